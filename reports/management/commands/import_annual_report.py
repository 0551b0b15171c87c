"""Load a unit's annual-report workbook as the unit's draft report for the year.

    python manage.py import_annual_report PATH.xlsx --year YEAR --unit UNIT

UNIT is a unit's short name, full name or alias, or the government report's 报告主体 (e.g.
测试区人民政府) for the government's own report. Saves the workbook's figures (and its section texts
where the workbook has them) as that unit's draft, replacing a draft, refusing a submitted or finalised
one; prints each finding ("Sheet!D12: message"); exit 0 when saved. A file that cannot be read, an
unknown unit or a report that may not be replaced: one Chinese line on stderr, exit 1.
"""
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from audit.trail import audit_actor
from reports.annual.importing import annual_report_import
from reports.annual.reader import WorkbookError
from reports.models import AnnualReport
from units.models import Alias, Unit, UnitGroup


class Command(BaseCommand):
    help = "把单位报送的政府信息公开工作年度报告工作簿（.xlsx）导入为该单位本年度报告的草稿。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="年度报告工作簿（.xlsx）的路径")
        parser.add_argument("--year", required=True, help="报告年度，如 2026")
        parser.add_argument("--unit", required=True, help="单位简称、全称或别名；本级政府填报告主体名称")

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(1)

    def handle(self, *args, path, year, unit, **options):
        if not (year.isdigit() and len(year) == 4):
            self.fail(f"年度“{year}”无效，请填写四位数字年份，如 2026。")
        target, owner = self.find_unit(unit.strip())
        try:
            with audit_actor(None):
                outcome = annual_report_import(path=path, year=int(year), unit=target, owner_name=owner)
        except WorkbookError as exc:
            self.fail(str(exc))
        except ValidationError as exc:
            self.fail("；".join(exc.messages))
        for line in outcome.lines:
            self.stdout.write(line)
        errors = sum(1 for f in outcome.findings if f.is_error) + len(outcome.read.problems)
        action = "已新建" if outcome.created else "已替换"
        self.stdout.write(f"{action}{outcome.report.title}（草稿）：{errors}处错误，"
                          f"{sum(1 for f in outcome.findings if not f.is_error)}处警告。")

    def find_unit(self, name: str):
        target = Alias.objects.resolve(name)
        if isinstance(target, UnitGroup):
            self.fail(f"“{name}”是单位组（{target.phrase}），请指定一个单位。")
        if isinstance(target, Unit):
            return target, target.name
        if AnnualReport.objects.filter(unit__isnull=True, owner_name=name).exists() or name.endswith("人民政府"):
            return None, name
        self.fail(f"未找到单位“{name}”，请使用单位简称、全称或别名（本级政府填报告主体，如“测试区人民政府”）。")
