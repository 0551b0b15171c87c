"""Writes of the annual report: create (with first drafts), save, submit, return, finalise.

Who may do what: the office creates, edits, returns and finalises any report; a unit's liaison creates
the unit's own report and edits and submits it while it is a draft; viewers read. Submitting and
finalising are refused while the checks find errors.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from reports.annual import format as fmt
from reports.annual.checks import Finding, run_checks
from reports.annual.drafting import draft_sections
from reports.annual.figures import carry_forward, external_figures, parse_cell, with_totals
from reports.models import AnnualReport
from units.models import Unit

GOVERNMENT_FALLBACK_NAME = "本级人民政府"


def report_findings(report: AnnualReport, *, cells: dict | None = None,
                    sections: dict | None = None) -> list[Finding]:
    """Every check on the report (or on ``cells``/``sections`` typed into its form but not saved yet),
    against the same owner's report of the year before where there is one."""
    previous = report.previous()
    return run_checks(
        report.cells() if cells is None else cells, report.sections if sections is None else sections,
        previous_figures=previous.cells() if previous else None,
        previous_sections=previous.sections if previous else None,
        previous_year=previous.year if previous else None,
        year=report.year, complete=True,
    )


def finding_key(finding: Finding) -> str:
    """How a finding is named in AnnualReport.finding_notes: the check and the cell or section."""
    return f"{finding.check}:{finding.field}"


def errors_of(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


def government_name(user) -> str:
    """The district government's name from the office's unit: 测试区人民政府办公室 → 测试区人民政府."""
    name = user.unit.name if user.unit_id else ""
    for suffix in ("办公室", "办公厅"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return GOVERNMENT_FALLBACK_NAME


def can_create(user, unit: Unit | None) -> bool:
    """The office drafts the government's report and its own unit's; a liaison drafts the unit's.

    Drafts are written from what the drafting user sees of the task table, so the office does not
    start another unit's report (it edits it once the unit has drafted it).
    """
    if not user.is_authenticated:
        return False
    if unit is None:
        return user.is_office
    return user.unit_id == unit.pk and (user.is_office or user.role == user.Role.LIAISON)


@transaction.atomic
def annual_report_create(*, user, year: int, unit: Unit | None, today: datetime.date) -> AnnualReport:
    """A new draft for the unit (or the government when unit is None), sections 一, 五, 六 drafted."""
    if not can_create(user, unit):
        raise PermissionDenied("只能起草本单位的年度报告（本级政府的报告由公开办起草）。")
    if not 2000 <= year <= today.year + 1:
        raise ValidationError({"year": f"年度应在2000年至{today.year + 1}年之间。"})
    government = unit.government if unit else user.government
    existing = AnnualReport.objects.filter(year=year, government=government)
    existing = existing.filter(unit__isnull=True) if unit is None else existing.filter(unit=unit)
    if existing.exists():
        raise ValidationError(f"{unit.name if unit else '本级政府'}{year}年的年度报告已存在。")
    owner = unit.name if unit else government_name(user)
    use_office_text = unit is None or (user.is_office and unit.pk == user.unit_id)
    texts = draft_sections(user=user, owner=owner, year=year, today=today, use_office_text=use_office_text,
                           is_government=unit is None, unit=unit)
    previous = existing_previous(year=year, unit=unit, government=government)
    cells = {code: None for code in fmt.FIELD_CODES} | carry_forward(previous.cells() if previous else None)
    return AnnualReport.objects.create(government=government, year=year, unit=unit, owner_name=owner, author=user, updated_by=user,
                                       figures=with_totals(cells), **texts)


def existing_previous(*, year: int, unit: Unit | None, government=None) -> AnnualReport | None:
    qs = AnnualReport.objects.filter(year=year - 1)
    if government is not None:
        qs = qs.filter(government=government)
    return (qs.filter(unit__isnull=True) if unit is None else qs.filter(unit=unit)).first()


def figures_to_json(figures: dict) -> dict:
    """Cells as stored (int, decimal string, None for blank, "/"), totals computed, for every field code."""
    cells = {}
    for code in fmt.FIELD_CODES:
        value = figures.get(code)
        cells[code] = value if value in (None, fmt.NOT_APPLICABLE) else parse_cell(code, value)
    return with_totals(cells)


@transaction.atomic
def annual_report_save(*, report: AnnualReport, user, sections: dict[str, str], figures: dict,
                       owner_name: str | None = None, expected_version: int | None = None) -> AnnualReport:
    """Save the texts and the tables (the figures already validated as numbers by the form)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if not report.can_edit(user):
        raise PermissionDenied("您不能修改这份年度报告（已提交的报告须由公开办退回后才能修改）。")
    if expected_version is not None and expected_version != report.version:
        raise ValidationError("这份报告已被其他人修改，请刷新页面后重新编辑（您的修改未保存）。")
    for key in fmt.SECTION_KEYS:
        setattr(report, key, (sections.get(key) or "").replace("\r\n", "\n").strip())  # browsers post CRLF
    if owner_name is not None and user.is_office:
        if not owner_name.strip():
            raise ValidationError({"owner_name": "请填写报告主体。"})
        report.owner_name = owner_name.strip()
    external, _source = external_figures(report)
    report.figures = figures_to_json(figures | external)
    report.updated_by = user
    report.version += 1
    report.save()
    return report


def _refuse_on_errors(report: AnnualReport, action: str) -> None:
    errors = errors_of(report_findings(report))
    if errors:
        raise ValidationError([f"报告还有{len(errors)}处错误，不能{action}："] + [f.message for f in errors])


@transaction.atomic
def annual_report_submit(*, report: AnnualReport, user, now: datetime.datetime) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if not report.can_edit(user):
        raise PermissionDenied("您不能提交这份年度报告。")
    if report.status not in AnnualReport.EDITABLE_STATUSES:
        raise ValidationError(f"这份报告的状态是“{report.get_status_display()}”，不能再次提交。")
    _refuse_on_errors(report, "提交")
    report.status = AnnualReport.Status.SUBMITTED
    report.submitted_at = now
    report.updated_by = user
    report.version += 1
    report.save()
    return report


@transaction.atomic
def annual_report_return(*, report: AnnualReport, user, reason: str = "") -> AnnualReport:
    """The office sends a submitted (or finalised) report back to the unit, which edits it again."""
    if not user.is_office:
        raise PermissionDenied("只有公开办管理员可以退回年度报告。")
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status in AnnualReport.EDITABLE_STATUSES:
        raise ValidationError("这份报告还是草稿，无需退回。")
    report.status = AnnualReport.Status.RETURNED
    report.return_reason = (reason or "").strip()[:500]
    report.finalised_at = None
    report.published_on = None
    report.published_url = ""
    report.updated_by = user
    report.version += 1
    report.save()
    return report


@transaction.atomic
def annual_report_publish(*, report: AnnualReport, user, published_on: datetime.date, url: str) -> AnnualReport:
    """Record where and when a finalised report was published (the office, or the unit's liaison)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if not (user.is_office or (report.unit_id and report.unit_id == user.unit_id and user.role == user.Role.LIAISON)):
        raise PermissionDenied("您不能登记这份报告的发布情况。")
    if report.status not in AnnualReport.DONE_STATUSES:
        raise ValidationError("报告定稿后才能登记发布。")
    if published_on.year < report.year:
        raise ValidationError({"published_on": f"发布日期不能早于{report.year}年。"})
    report.status = AnnualReport.Status.PUBLISHED
    report.published_on = published_on
    report.published_url = url.strip()
    report.updated_by = user
    report.version += 1
    report.save()
    return report


@transaction.atomic
def annual_report_note_finding(*, report: AnnualReport, user, key: str, decision: str, reason: str) -> AnnualReport:
    """Confirm or dismiss one finding (a warning) with a reason, kept with the report."""
    if not report.can_edit(user) and not user.is_office:
        raise PermissionDenied("您不能处理这份报告的检查意见。")
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    findings = {finding_key(f): f for f in report_findings(report)}
    finding = findings.get(key)
    if finding is None:
        raise ValidationError("该检查意见已不存在（内容可能已修改），请刷新页面。")
    if finding.is_error:
        raise ValidationError("错误必须修正，不能排除；只有警告可以确认或排除。")
    if decision not in ("confirmed", "dismissed"):
        raise ValidationError("请选择“确认”或“排除”。")
    reason = (reason or "").strip()
    if decision == "dismissed" and not reason:
        raise ValidationError("排除检查意见时请写明理由。")
    notes = dict(report.finding_notes or {})
    notes[key] = {"decision": decision, "reason": reason[:500], "by": str(user), "message": finding.message}
    report.finding_notes = notes
    report.save(update_fields=["finding_notes", "updated_at"])
    return report


@transaction.atomic
def annual_report_finalise(*, report: AnnualReport, user, now: datetime.datetime) -> AnnualReport:
    if not user.is_office:
        raise PermissionDenied("只有公开办管理员可以定稿年度报告。")
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status in AnnualReport.DONE_STATUSES:
        raise ValidationError("这份报告已经定稿。")
    _refuse_on_errors(report, "定稿")
    report.status = AnnualReport.Status.FINAL
    report.finalised_at = now
    report.submitted_at = report.submitted_at or now
    report.updated_by = user
    report.version += 1
    report.save()
    return report
