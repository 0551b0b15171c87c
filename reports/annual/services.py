"""Writes of the annual report: create (with first drafts), save, submit, return, finalise.

Who may do what: the office creates, edits, returns and finalises any report; a unit's liaison creates
the unit's own report and edits and submits it while it is a draft; viewers read. Submitting and
finalising are refused while the checks find errors.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from reports.annual import format as fmt
from reports.annual.checks import Finding, run_checks
from reports.annual.drafting import draft_sections
from reports.models import AnnualReport
from units.models import Unit

GOVERNMENT_FALLBACK_NAME = "本级人民政府"


def report_findings(report: AnnualReport) -> list[Finding]:
    """Every check on the report, against the same owner's report of the year before where there is one."""
    previous = report.previous()
    return run_checks(
        report.figure_values(), report.sections,
        previous_figures=previous.figure_values() if previous else None,
        previous_sections=previous.sections if previous else None,
        previous_year=previous.year if previous else None,
    )


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
    existing = AnnualReport.objects.filter(year=year)
    existing = existing.filter(unit__isnull=True) if unit is None else existing.filter(unit=unit)
    if existing.exists():
        raise ValidationError(f"{unit.name if unit else '本级政府'}{year}年的年度报告已存在。")
    owner = unit.name if unit else government_name(user)
    use_office_text = unit is None or (user.is_office and unit.pk == user.unit_id)
    texts = draft_sections(user=user, owner=owner, year=year, today=today, use_office_text=use_office_text)
    return AnnualReport.objects.create(year=year, unit=unit, owner_name=owner, author=user, updated_by=user,
                                       figures=figures_to_json(fmt.empty_figures()), **texts)


def figures_to_json(figures: dict) -> dict:
    """Counts as integers, 收费金额 as a decimal string, for every field code (missing → 0)."""
    stored = {}
    for spec in fmt.FIELDS:
        value = figures.get(spec.code)
        if spec.decimal:
            amount = Decimal(str(value or 0)).normalize()
            stored[spec.code] = format(amount, "f")
        else:
            stored[spec.code] = int(value or 0)
    return stored


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
        setattr(report, key, (sections.get(key) or "").strip())
    if owner_name is not None and user.is_office:
        if not owner_name.strip():
            raise ValidationError({"owner_name": "请填写报告主体。"})
        report.owner_name = owner_name.strip()
    report.figures = figures_to_json(figures)
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
    if report.status != AnnualReport.Status.DRAFT:
        raise ValidationError(f"这份报告的状态是“{report.get_status_display()}”，不能再次提交。")
    _refuse_on_errors(report, "提交")
    report.status = AnnualReport.Status.SUBMITTED
    report.submitted_at = now
    report.updated_by = user
    report.version += 1
    report.save()
    return report


@transaction.atomic
def annual_report_return(*, report: AnnualReport, user) -> AnnualReport:
    """The office sends a submitted (or finalised) report back to the unit as a draft."""
    if not user.is_office:
        raise PermissionDenied("只有公开办管理员可以退回年度报告。")
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status == AnnualReport.Status.DRAFT:
        raise ValidationError("这份报告还是草稿，无需退回。")
    report.status = AnnualReport.Status.DRAFT
    report.finalised_at = None
    report.updated_by = user
    report.version += 1
    report.save()
    return report


@transaction.atomic
def annual_report_finalise(*, report: AnnualReport, user, now: datetime.datetime) -> AnnualReport:
    if not user.is_office:
        raise PermissionDenied("只有公开办管理员可以定稿年度报告。")
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status == AnnualReport.Status.FINAL:
        raise ValidationError("这份报告已经定稿。")
    _refuse_on_errors(report, "定稿")
    report.status = AnnualReport.Status.FINAL
    report.finalised_at = now
    report.submitted_at = report.submitted_at or now
    report.updated_by = user
    report.version += 1
    report.save()
    return report
