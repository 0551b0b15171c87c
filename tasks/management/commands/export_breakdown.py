"""manage.py export_breakdown 文号 --output PATH: a notice's breakdown table as .xlsx, in the issued layout."""
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from audit.models import AuditEvent
from audit.trail import audit_event
from tasks.excel import breakdown_xlsx_bytes
from tasks.models import Notice
from tasks.parsing import DocNumberError, parse_doc_number
from tasks.services import notice_to_parsed


class Command(BaseCommand):
    help = "把一份通知的任务分解表导出为 Excel（.xlsx），版式与印发的表格一致。"

    def add_arguments(self, parser):
        parser.add_argument("doc_number", help="文号，例如 鼓政办〔2022〕46号")
        parser.add_argument("--output", "-o", required=True, help="输出文件路径（.xlsx）")

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(1)

    def handle(self, *args, **options):
        try:
            doc_number = parse_doc_number(options["doc_number"]).text
        except DocNumberError as exc:
            self.fail(str(exc))
        notice = Notice.objects.filter(doc_number=doc_number).first()
        if notice is None:
            self.fail(f"找不到文号为“{doc_number}”的通知。")
        output = Path(options["output"])
        if output.is_dir():
            self.fail(f"输出路径“{output}”是一个文件夹，请写出文件名，例如 {output / (doc_number + ' 任务分解表.xlsx')}")
        parsed = notice_to_parsed(notice)
        data = breakdown_xlsx_bytes(parsed)
        try:
            output.write_bytes(data)
        except OSError as exc:
            self.fail(f"无法写入“{output}”：{exc.strerror or exc}")
        audit_event(None, AuditEvent.Action.EXPORT, obj=notice, message=f"命令行导出任务分解表：{output.name}")
        self.stdout.write(f"已导出“{doc_number}”的任务分解表（{len(parsed.all_tasks())} 项任务）：{output}")
