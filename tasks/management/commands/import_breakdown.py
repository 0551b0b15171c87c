"""manage.py import_breakdown PATH [--dry-run] [--json] [--columns 序号,工作要求,…] [--government 政府] [--update]: the browser
import's parser on the command line.

--columns the role of each column, left to right (序号 / 工作任务 / 工作要求 / 牵头单位 / 责任单位 /
          配合单位 / 时限 / 备注 / 忽略), for a table whose headers the parser does not know; without it
          the parser guesses such columns by their content and prints its guess on stderr as a hint.

--json    print only the parsed notice (../shared/breakdown-json.md, units as written) on stdout;
          nothing is saved, warnings go to stderr.
--dry-run parse and check everything the save would check (文号 not yet used, every unit name known),
          in a transaction that is rolled back: nothing is saved.
--update  the 文号 is already stored: update that notice to this table (tasks.services.notice_reimport).
          Without it, a stored 文号 prints what differs (items added, changed, removed; units added,
          removed) and exits 1 having saved nothing.
--government  the issuing government (全称 or 简称), whose unit directory resolves the names; needed only
          where the install serves more than one government.
Without --columns the office's remembered column choices (tasks.models.ColumnChoice) are used.
A file that cannot be imported ends with exit status 1 and one Chinese line on stderr.
"""
import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import DatabaseError, transaction

from audit.models import AuditEvent
from audit.trail import audit_event
from tasks.importers import MAX_UPLOAD_BYTES, ImportFailure, parse_upload_capped
from tasks.importers.columns import parse_mapping
from tasks.models import ColumnChoice
from tasks.reimport import existing_notice, notice_diff
from tasks.services import notice_import, notice_reimport, unresolved_names


def remembered_columns() -> dict[str, str] | None:
    """The office's remembered column choices; none where the database has no such table yet (``--json``
    needs no database: a file is parsed on a machine that was never migrated)."""
    try:
        return ColumnChoice.objects.mapping() or None
    except DatabaseError:
        return None


class DryRunDone(Exception):
    """Raised to roll the dry run's transaction back."""


class Command(BaseCommand):
    help = ("导入任务分解表（.docx .xlsx .pdf .doc .wps .xls .et .odt .ods 或 .txt 文本）：解析表格并保存通知、事项和台账。"
            "解析在内存和时间受限的子进程中进行。")

    def add_arguments(self, parser):
        parser.add_argument("path", help="分解表文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只解析和检查，不保存任何内容")
        parser.add_argument("--json", action="store_true",
                            help="只在标准输出打印解析结果（JSON，单位按原文写法），不保存")
        parser.add_argument("--year", type=int, help="工作年度：文件未写明年份时用于计算“10月底前”等时限")
        parser.add_argument("--columns", help="按列的顺序写出各列的含义，例如“序号,工作要求,牵头单位,责任单位,时限”"
                                              "（可用：序号、工作任务、工作要求、牵头单位、责任单位、配合单位、时限、备注、忽略）")
        parser.add_argument("--update", action="store_true",
                            help="文号已存在时，按此表更新该通知（未变事项和已报送的落实情况保留）；不加此项时只列出差异")
        parser.add_argument("--government", help="发文政府（全称或简称）；系统中只有一个政府时可省略")

    def government(self, name: str | None):
        from units.models import Government

        if name:
            found = list(Government.objects.filter(name=name)) or list(Government.objects.filter(short_name=name))
            if len(found) != 1:
                self.fail(f"找不到名为“{name}”的政府" if not found else f"有多个政府简称为“{name}”，请写全称")
            return found[0]
        found = list(Government.objects.all()[:2])
        if len(found) != 1:
            self.fail("系统中没有政府，请先在“基础数据”中添加" if not found
                      else "系统中有多个政府，请用 --government 指定发文政府")
        return found[0]

    def fail(self, message: str):
        line = " ".join(str(message).split())
        self.stderr.write(line)
        # A refused import is recorded too (nothing else of the run is kept). Without a usable database
        # (or with database access refused, as in some tests) there is nothing to record it in: the one
        # Chinese line above is then all there is, never a traceback.
        try:
            audit_event(None, AuditEvent.Action.IMPORT, success=False, label=getattr(self, "path_name", ""),
                        message=f"命令行导入失败：{line}")
        except (DatabaseError, RuntimeError):
            pass
        sys.exit(1)

    def read(self, path: Path) -> bytes:
        if not path.exists():
            self.fail(f"找不到文件“{path}”")
        if not path.is_file():
            self.fail(f"“{path}”不是文件")
        size = path.stat().st_size
        if size > MAX_UPLOAD_BYTES:  # refused before reading a byte
            self.fail(f"文件过大（{size / 1024 / 1024:.1f} MB），上限为 {MAX_UPLOAD_BYTES / 1024 / 1024:.1f} MB")
        try:
            return path.read_bytes()
        except OSError as exc:
            self.fail(f"无法读取文件“{path}”：{exc.strerror or exc}")

    def handle(self, *args, **options):
        path = Path(options["path"])
        self.path_name = path.name
        data = self.read(path)
        try:
            columns = parse_mapping(options["columns"]) if options["columns"] else remembered_columns()
            result = parse_upload_capped(path.name, data, year=options["year"], columns=columns)
        except ImportFailure as exc:
            self.fail(f"无法导入“{path.name}”：{exc.message}")
        except Exception as exc:  # a reader choking on a malformed file: one line, no traceback
            if options["traceback"]:
                raise
            self.fail(f"无法导入“{path.name}”：文件无法读取或格式异常（{exc.__class__.__name__}）")
        if any(c.guessed for c in result.columns) and not options["columns"]:
            guess = ",".join(c.label for c in result.columns)
            self.stderr.write(f"提示：部分列按内容识别，识别结果为 --columns \"{guess}\"；如有误，请用 --columns 指定各列")
        for issue in result.warnings:
            self.stderr.write(f"提示：{issue.message}")
        if result.missing_deadlines:
            rows = "、".join(str(i.row) for i in result.missing_deadlines[:10] if i.row)
            more = "等" if len(result.missing_deadlines) > 10 else ""
            self.stderr.write(f"提示：{len(result.missing_deadlines)} 项任务没有时限（第{rows}{more}行），"
                              "导入后按反馈日期计算，持续性工作请改为“持续推进”")
        if options["json"]:
            self.stdout.write(json.dumps(result.notice.to_json(), ensure_ascii=False, indent=2))
            return
        parsed = result.notice
        tasks = parsed.all_tasks()
        self.stdout.write(f"已解析“{path.name}”：文号 {parsed.doc_number or '（未写明）'}，"
                          f"{len(parsed.sections)} 个部分，{len(tasks)} 项任务，"
                          f"提示 {len(result.warnings)} 条，跳过 {len(result.skipped_rows)} 行。")
        names = [n for t in tasks for n in t.lead_units + t.responsible_units + t.cooperating_units]
        government = self.government(options["government"])
        unknown = unresolved_names(names, government=government)
        if unknown:
            self.fail(f"以下单位名称在单位名录中找不到：{'、'.join(unknown)}。"
                      "请先在“基础数据”中添加单位或别名，或改用网页导入逐个对应。")
        meta = {"cited_documents": result.cited_documents}
        existing = existing_notice(parsed.doc_number)
        if existing is not None:
            return self.reimport(existing, parsed, meta, path=path, options=options)
        try:
            with transaction.atomic():
                notice = notice_import(parsed=parsed, government=government, meta=meta, work_year=options["year"])
                rows = notice.assignments.count()
                if options["dry_run"]:
                    raise DryRunDone
                audit_event(None, AuditEvent.Action.IMPORT, obj=notice,
                            message=f"命令行导入任务分解表：{path.name}，{len(tasks)} 项任务")
        except DryRunDone:
            self.stdout.write(f"试运行：可以导入“{notice.doc_number}”（{rows} 条台账），未保存任何内容。")
            return
        except ValidationError as exc:
            self.fail(f"无法导入“{path.name}”：{'；'.join(exc.messages)}")
        self.stdout.write(f"已导入“{notice.doc_number}”：{len(tasks)} 项任务，{rows} 条台账。")

    def reimport(self, notice, parsed, meta, *, path: Path, options):
        """A stored 文号: print the diff; update only with --update (and not on --dry-run)."""
        from django.utils import timezone

        diff = notice_diff(notice, parsed)
        for line in diff.lines():
            self.stdout.write(line)
        if not options["update"]:
            self.fail(f"文号“{notice.doc_number}”的通知已存在，未保存任何内容；如要按此表更新该通知，请加 --update")
        try:
            with transaction.atomic():
                diff = notice_reimport(notice=notice, parsed=parsed, meta=meta, work_year=options["year"],
                                       today=timezone.localdate())
                if options["dry_run"]:
                    raise DryRunDone
                audit_event(None, AuditEvent.Action.IMPORT, obj=notice,
                            message=f"命令行重新导入并更新通知：{path.name}，新增{len(diff.added)}项，"
                                    f"修改{len(diff.changed)}项，删除{len(diff.removed)}项（撤销{len(diff.withdrawn)}项）")
        except DryRunDone:
            self.stdout.write(f"试运行：可以按此表更新“{notice.doc_number}”，未保存任何内容。")
            return
        except ValidationError as exc:
            self.fail(f"无法更新“{notice.doc_number}”：{'；'.join(exc.messages)}")
        self.stdout.write(f"已更新“{notice.doc_number}”：新增 {len(diff.added)} 项，修改 {len(diff.changed)} 项，"
                          f"删除 {len(diff.removed)} 项（其中 {len(diff.withdrawn)} 项已有落实情况，保留为撤销）。")
