"""Load a unit's report workbook (prepared in Excel/WPS in the official layout) as the unit's draft.

``annual_report_import`` reads the workbook with reader.read_workbook (tables wherever they start,
wording variants, tables split across sheets), saves its figures and, where the workbook has them, its
section texts into the unit's report for the year as a draft (creating it, or replacing a draft or a
returned report; a submitted, finalised or published report is refused) and returns the findings:
the reader's problems and every check on the saved report. Used by ``manage.py import_annual_report``
and the upload on the 年报收集 page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from reports.annual import format as fmt
from reports.annual.checks import Finding
from reports.annual.figures import parse_cells, with_totals
from reports.annual.reader import ReadResult, read_workbook
from reports.annual.services import report_findings
from reports.models import AnnualReport
from units.models import Unit

MAX_WORKBOOK_BYTES = 10 * 1024 * 1024


@dataclass
class ImportOutcome:
    report: AnnualReport
    created: bool
    read: ReadResult
    lines: list[str] = field(default_factory=list)  # every finding, "Sheet!D12: message"
    findings: list[Finding] = field(default_factory=list)


def _government_of(unit: Unit | None, user):
    """The report's government: the unit's, else the importing user's, else the install's only one."""
    from units.models import Government

    if unit is not None:
        return unit.government
    if user is not None and getattr(user, "government_id", None):
        return user.government
    governments = list(Government.objects.all()[:2])
    if len(governments) != 1:
        raise ValidationError("系统中有多个政府，请指定报告所属的单位或政府。")
    return governments[0]


@transaction.atomic
def annual_report_import(*, path, year: int, unit: Unit | None, user=None, owner_name: str = "") -> ImportOutcome:
    """Raises reader.WorkbookError (file unreadable) or ValidationError (report not replaceable)."""
    result = read_workbook(path)
    government = _government_of(unit, user)
    existing = AnnualReport.objects.select_for_update().filter(year=year, government=government)
    existing = (existing.filter(unit__isnull=True) if unit is None else existing.filter(unit=unit)).first()
    if existing is not None and existing.status not in AnnualReport.EDITABLE_STATUSES:
        raise ValidationError(f"{existing.title}已{existing.get_status_display().removeprefix('已')}，不能用工作簿覆盖"
                              "（须由公开办退回后再导入）。")
    cells, cell_errors = parse_cells(result.figures)
    report = existing or AnnualReport(government=government, year=year, unit=unit, owner_name=owner_name or (unit.name if unit else ""),
                                      author=user)
    report.figures = with_totals(cells)
    if result.sections is not None:
        for key in fmt.SECTION_KEYS:
            setattr(report, key, result.sections.get(key, ""))
    report.status = AnnualReport.Status.DRAFT if existing is None else existing.status
    report.updated_by = user
    if existing is not None:
        report.version += 1
    report.save()
    outcome = ImportOutcome(report=report, created=existing is None, read=result)
    name = str(path).rsplit("/", 1)[-1]
    for problem in result.problems:
        outcome.lines.append(f"{problem.where or name}: {problem.message}")
    for code, message in cell_errors.items():
        outcome.lines.append(f"{result.where(code) or name}: {message}")
    outcome.findings = report_findings(report)
    for finding in outcome.findings:
        prefix = "" if finding.is_error else "（警告）"
        outcome.lines.append(f"{result.where(finding.field) or name}: {prefix}{finding.message}")
    return outcome
