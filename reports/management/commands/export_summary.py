"""Export the yearly implementation summary workbook: manage.py export_summary --year 2026 --output 汇总.xlsx"""
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.models import AuditEvent
from audit.trail import audit_event
from reports.views.summary import build_export
from tasks.models import Notice
from units.models import User


class _WholeDistrict:
    """The command's reader: sees every row, like the office (no user account needed)."""

    is_authenticated = True
    is_office = True
    sees_everything = True
    is_superuser = False
    sees_all_governments = True
    government_id = None
    unit_id = None
    unit = None


class Command(BaseCommand):
    help = "导出某年度（或某份通知）的落实情况汇总表（Excel）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="工作年度，例如 2026")
        parser.add_argument("--notice", default="", help="只导出这份通知（文号），例如 鼓政办〔2026〕12号")
        parser.add_argument("--output", required=True, help="输出的 .xlsx 文件路径")
        parser.add_argument("--user", default="", help="按该用户的可见范围导出（默认：全部单位）")

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(1)

    def handle(self, *args, year, notice, output, user, **options):
        from tasks.parsing import DocNumberError, parse_doc_number

        reader = _WholeDistrict()
        if user:
            reader = User.objects.select_related("unit").filter(username=user, is_active=True).first()
            if reader is None:
                self.fail(f"没有找到用户“{user}”。")
        chosen = None
        if notice:
            try:
                doc_number = parse_doc_number(notice).text
            except DocNumberError as exc:
                self.fail(f"文号“{notice}”无法识别：{exc}。")
            chosen = Notice.objects.visible_to(reader).filter(doc_number=doc_number).first()
            if chosen is None:
                self.fail(f"没有找到文号为“{doc_number}”的通知。")
            if chosen.work_year != year:
                self.fail(f"通知“{doc_number}”属于{chosen.work_year}年，不是{year}年。")
        elif not Notice.objects.visible_to(reader).filter(work_year=year).exists():
            self.fail(f"{year}年没有任何通知，无法导出。")
        path = Path(output)
        if not path.parent.exists():
            self.fail(f"输出目录“{path.parent}”不存在。")
        today = timezone.localdate()
        label = chosen.doc_number if chosen else "全部通知"
        if getattr(reader, "pk", None) and not reader.sees_everything:
            label += f"（{reader.unit.short_name if reader.unit_id else '无单位'}可见范围）"
        # Write next to the target and rename at the end: a failed export leaves no half-written file.
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("wb") as out:
                count = build_export(out, user=reader, year=year, notice=chosen, day=today, scope_label=label)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        audit_event(None, AuditEvent.Action.EXPORT, obj=chosen, object_type="reports.summary", label=path.name,
                    message=f"命令行导出{year}年落实情况汇总（{label}，{count}项）：{path}")
        self.stdout.write(f"已导出{year}年落实情况汇总（{label}，{count}项）：{path}")
