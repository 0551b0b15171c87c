"""manage.py import_units PATH.xlsx [--dry-run] [--government 政府]: load or update a government's unit directory.

Columns 单位全称, 简称, 类型, 排序, 别名 (、-separated), 企业微信机器人, 钉钉机器人 (any cell may be blank; see
tasks.importers.unit_directory). Units are matched by 全称, else 简称; a blank cell leaves the value as it is.
Prints each unit created and changed; all or nothing. --dry-run checks and prints the same, saves nothing.
--government: needed only where the install serves several governments.
A bad file ends with exit status 1 and one Chinese line on stderr.
"""
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction

from core.uploads import MAX_UPLOAD_BYTES
from tasks.importers.result import ImportFailure
from tasks.importers.unit_directory import parse_unit_directory
from units.directory import unit_directory_import
from units.models import Government


class DryRunDone(Exception):
    """Raised to roll the dry run's transaction back."""


class Command(BaseCommand):
    help = "从 Excel 工作簿导入或更新单位名录（单位全称、简称、类型、排序、别名、企业微信机器人、钉钉机器人）。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="单位名录 .xlsx 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查并列出将新建和更新的单位，不保存")
        parser.add_argument("--government", help="所属政府（全称或简称）；系统中只有一个政府时可省略")

    def fail(self, message: str):
        self.stderr.write(" ".join(str(message).split()))
        sys.exit(1)

    def government(self, name: str | None) -> Government:
        if name:
            found = list(Government.objects.filter(name=name)) or list(Government.objects.filter(short_name=name))
            if len(found) != 1:
                self.fail(f"找不到名为“{name}”的政府" if not found else f"有多个政府简称为“{name}”，请写全称")
            return found[0]
        found = list(Government.objects.all()[:2])
        if len(found) != 1:
            self.fail("系统中没有政府，请先添加政府" if not found else "系统中有多个政府，请用 --government 指定所属政府")
        return found[0]

    def read(self, path: Path) -> bytes:
        if not path.is_file():
            self.fail(f"找不到文件“{path}”" if not path.exists() else f"“{path}”不是文件")
        if path.suffix.lower() != ".xlsx":
            self.fail(f"“{path.name}”不是 .xlsx 工作簿，请在 Excel 或 WPS 中另存为 .xlsx")
        size = path.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            self.fail(f"文件过大（{size / 1024 / 1024:.1f} MB），上限为 {MAX_UPLOAD_BYTES / 1024 / 1024:.1f} MB")
        try:
            return path.read_bytes()
        except OSError as exc:
            self.fail(f"无法读取文件“{path}”：{exc.strerror or exc}")

    def handle(self, *args, **options):
        path = Path(options["path"])
        data = self.read(path)
        government = self.government(options["government"])
        try:
            rows = parse_unit_directory(data)
        except ImportFailure as exc:
            self.fail(f"无法导入“{path.name}”：{exc.message}")
        except MemoryError:
            self.fail(f"无法导入“{path.name}”：文件过大，无法读取")
        except Exception as exc:  # a damaged workbook must end in one line, never a traceback
            self.fail(f"无法导入“{path.name}”：文件无法读取或格式异常（{exc.__class__.__name__}）")
        try:
            with transaction.atomic():
                result = unit_directory_import(government=government, rows=rows)
                if options["dry_run"]:
                    raise DryRunDone
        except DryRunDone:
            pass
        except ValidationError as exc:
            self.fail(f"无法导入“{path.name}”：{'；'.join(exc.messages)}，未保存任何内容")
        for line in result.created + result.changed:
            self.stdout.write(line)
        tail = "（试运行，未保存任何内容）" if options["dry_run"] else ""
        self.stdout.write(f"{government}：新建{len(result.created)}个单位，更新{len(result.changed)}个，"
                          f"未变{result.unchanged}个{tail}")
