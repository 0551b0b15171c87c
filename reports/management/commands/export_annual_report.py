"""Export a unit's (or the government's) annual report as an Excel workbook in the official layout.

    python manage.py export_annual_report --year YEAR --unit UNIT --output PATH.xlsx
    python manage.py export_annual_report --year YEAR --combined --output PATH.xlsx

--combined writes the sum (汇总) of every report of the year, the units' and the government's own, in
the same official layout (tables 二、三、四), with a sheet listing the reports summed.

UNIT is a unit's short name, full name or alias (or the government report's 报告主体, e.g.
测试区人民政府). The checks run first: with errors nothing is written and the errors are printed
(``--force`` writes anyway). Unknown unit or year, or no report: one Chinese line on stderr, exit 1.
"""
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from audit.models import AuditEvent
from audit.trail import audit_event
from reports.annual.collect import build_combined_workbook, combined_title, year_reports
from reports.annual.services import report_findings
from reports.annual.xlsx import build_workbook
from reports.models import AnnualReport
from units.models import Alias, Unit, UnitGroup


class Command(BaseCommand):
    help = "按国家规定格式导出政府信息公开工作年度报告（.xlsx）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="报告年度，如 2026")
        parser.add_argument("--unit", help="单位简称、全称或别名")
        parser.add_argument("--combined", action="store_true", help="导出本年度全部报告的汇总")
        parser.add_argument("--output", required=True, help="输出文件路径（.xlsx）")
        parser.add_argument("--force", action="store_true", help="检查有错误时仍然导出")

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(1)

    def handle(self, *args, year, unit, combined, output, force, **options):
        if not (year.isdigit() and len(year) == 4):
            self.fail(f"年度“{year}”无效，请填写四位数字年份，如 2026。")
        if bool(unit) == bool(combined):
            self.fail("请指定 --unit 单位，或用 --combined 导出全部报告的汇总（二者选一）。")
        year = int(year)
        output_path = Path(output)
        if output_path.suffix.lower() != ".xlsx":
            self.fail(f"输出文件“{output}”应以 .xlsx 结尾。")
        if not output_path.parent.exists():
            self.fail(f"输出目录“{output_path.parent}”不存在。")
        if combined:
            reports = year_reports(year)
            if not reports:
                self.fail(f"{year}年还没有任何政府信息公开工作年度报告，无法汇总。")
            build_combined_workbook(year=year, reports=reports).save(output_path)
            drafts = sum(1 for r in reports if not r.is_clean)
            self.stdout.write(f"已导出{combined_title(year, reports)}（{len(reports)}份报告"
                              + (f"，其中{drafts}份尚未定稿" if drafts else "") + f"）：{output_path}")
            return
        report = self.find_report(year, unit.strip())
        findings = report_findings(report)
        errors = [f for f in findings if f.is_error]
        for finding in findings:
            self.stderr.write(("" if finding.is_error else "（警告）") + finding.message)
        if errors and not force:
            self.fail(f"{report.title}还有{len(errors)}处错误，未导出（修正后再导出，或加 --force 强制导出）。")
        build_workbook(title=report.title, sections=report.sections, figures=report.cells(),
                       draft=not report.is_clean).save(output_path)
        audit_event(None, AuditEvent.Action.EXPORT, obj=report, label=report.title,
                    message=f"命令行导出年度报告（xlsx）：{output_path}" + ("（有错误，强制导出）" if errors else ""))
        self.stdout.write(f"已导出{report.title}：{output_path}")

    def find_report(self, year: int, name: str) -> AnnualReport:
        target = Alias.objects.resolve(name)
        if isinstance(target, UnitGroup):
            self.fail(f"“{name}”是单位组（{target.phrase}），请指定一个单位。")
        if isinstance(target, Unit):
            report = AnnualReport.objects.filter(year=year, unit=target).select_related("unit").first()
            if report is None:
                self.fail(f"{target.name}没有{year}年的政府信息公开工作年度报告。")
            return report
        government = AnnualReport.objects.filter(year=year, unit__isnull=True, owner_name=name).first()
        if government is not None:
            return government
        if AnnualReport.objects.filter(unit__isnull=True, owner_name=name).exists():
            self.fail(f"{name}没有{year}年的政府信息公开工作年度报告。")
        self.fail(f"未找到单位“{name}”，请使用单位简称、全称或别名。")
