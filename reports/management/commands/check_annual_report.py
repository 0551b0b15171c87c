"""Check an annual-report workbook as a unit sent it: every failed check with the cell it concerns.

    python manage.py check_annual_report PATH.xlsx

Prints one line per finding, "Sheet1!D12: <message>" (warnings marked （警告）), then a summary line.
Exit status 1 when any check fails (an error), 0 when all pass (warnings do not fail the file). A
missing, damaged or non-xlsx file: one Chinese line on stderr, exit status 1.
"""
import sys

from django.core.management.base import BaseCommand

from reports.annual.checks import run_checks
from reports.annual.reader import WorkbookError, read_workbook


class Command(BaseCommand):
    help = "检查政府信息公开工作年度报告工作簿（.xlsx）的表格数字是否相符。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="年度报告工作簿（.xlsx）的路径")

    def handle(self, *args, path, **options):
        try:
            result = read_workbook(path)
        except WorkbookError as exc:
            self.stderr.write(str(exc))
            sys.exit(1)
        name = path.rsplit("/", 1)[-1]
        errors = warnings = 0
        for problem in result.problems:
            errors += 1
            self.stdout.write(f"{problem.where or name}: {problem.message}")
        for finding in run_checks(result.figures, result.sections):
            where = result.where(finding.field) or name
            if finding.is_error:
                errors += 1
                self.stdout.write(f"{where}: {finding.message}")
            else:
                warnings += 1
                self.stdout.write(f"{where}: （警告）{finding.message}")
        if errors:
            self.stdout.write(f"检查未通过：{errors}处错误" + (f"，{warnings}处警告。" if warnings else "。"))
            sys.exit(1)
        self.stdout.write("检查通过：表格数字均相符" + (f"（另有{warnings}处警告，请核实）。" if warnings else "。"))
