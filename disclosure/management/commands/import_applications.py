"""manage.py import_applications PATH --unit UNIT [--dry-run]: import an existing 依申请公开 register.

Reads .xlsx / .xls / .csv (columns by header: 收到日期, 申请人类型, 申请内容, 办理结果, 办结日期 at least). A
file that cannot be imported ends with exit status 1 and one Chinese line on stderr, and nothing is saved.
Doubtful rows are listed on stderr ("提示：…") and imported. The last line is `imported N applications`
(0 with --dry-run, which checks everything and saves nothing).
"""
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.models import AuditEvent
from audit.trail import audit_event
from core.uploads import MAX_UPLOAD_BYTES
from disclosure.importers import parse_register
from disclosure.management.commands._common import resolve_unit
from disclosure.services import applications_import, import_problems
from tasks.importers.result import ImportFailure


class Command(BaseCommand):
    help = "导入依申请公开登记簿（.xlsx、.xls 或 .csv）到指定单位。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="登记簿文件路径")
        parser.add_argument("--unit", required=True, help="办理单位（简称、全称、别名或编号）")
        parser.add_argument("--dry-run", action="store_true", help="只解析和检查，不保存任何内容")
        parser.add_argument("--today", help="以该日期为今天检查未来日期（YYYY-MM-DD，默认今天）")

    def fail(self, message: str):
        self.stderr.write(" ".join(str(message).split()))
        sys.exit(1)

    def handle(self, *args, **options):
        path = Path(options["path"])
        unit = resolve_unit(options["unit"])
        if unit is None:
            self.fail(f"找不到单位“{options['unit']}”：请使用单位名录中的简称、全称或别名")
        if not path.is_file():
            self.fail(f"找不到文件“{path}”")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            self.fail(f"文件过大（{path.stat().st_size / 1024 / 1024:.1f} MB），上限为 {MAX_UPLOAD_BYTES / 1024 / 1024:.1f} MB")
        today = timezone.localdate()
        if options["today"]:
            import datetime
            today = datetime.date.fromisoformat(options["today"])
        try:
            parsed = parse_register(path.name, path.read_bytes(), today=today)
        except ImportFailure as exc:
            self.fail(f"无法导入“{path.name}”：{exc.message}")
        except Exception as exc:  # a reader choking on a malformed file: one line, no traceback
            if options["traceback"]:
                raise
            self.fail(f"无法导入“{path.name}”：文件无法读取或格式异常（{exc.__class__.__name__}）")
        errors = parsed.errors + import_problems(unit=unit, rows=parsed.rows)
        if errors:
            more = f"等{len(errors)}处错误" if len(errors) > 3 else ""
            self.fail(f"无法导入“{path.name}”：{'；'.join(errors[:3])}{more}。未导入任何内容")
        for row in parsed.doubtful:
            self.stderr.write(f"提示：第{row.row}行：{'；'.join(row.doubts)}")
        open_count = sum(1 for r in parsed.rows if not r.values["answered_on"])
        self.stdout.write(f"已解析“{path.name}”：{len(parsed.rows)} 条申请（其中未办结 {open_count} 条），"
                          f"存疑 {len(parsed.doubtful)} 行。")
        if options["dry_run"]:
            self.stdout.write("试运行：检查通过，未保存任何内容。")
            self.stdout.write("imported 0 applications")
            return
        try:
            created = applications_import(unit=unit, rows=parsed.rows)
        except ValidationError as exc:
            self.fail(f"无法导入“{path.name}”：{'；'.join(exc.messages)}")
        audit_event(None, AuditEvent.Action.IMPORT, object_type="disclosure.application", unit=unit,
                    label=f"{unit}依申请公开登记簿", message=f"命令行导入依申请公开登记簿：{path.name}，{len(created)} 条")
        self.stdout.write(f"imported {len(created)} applications")
