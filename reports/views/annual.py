"""Annual report pages: the year's status list, drafting, editing with live checks, submit and export.

Every page fetches the report through ``AnnualReport.objects.visible_to(user)``: another unit's report
is a 404; a report the user can read but not change is a 403 on writes.
"""
from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from audit.trail import audit_event
from reports.annual import format as fmt
from reports.annual.checks import Finding
from reports.annual.docx import build_document
from reports.annual.drafting import draft_sections
from reports.annual.figures import display, external_figures, parse_cells, with_totals
from reports.annual.forms import AnnualReportForm, PublishForm
from reports.annual.services import (
    annual_report_create,
    annual_report_finalise,
    annual_report_note_finding,
    annual_report_publish,
    annual_report_return,
    annual_report_save,
    annual_report_submit,
    errors_of,
    finding_key,
    report_findings,
)
from reports.annual.xlsx import build_workbook
from reports.models import AnnualReport
from reports.views.common import annual_report_open
from tasks.archive import closed_years, year_is_closed
from tasks.years import default_work_year, year_label, years_with_data
from units.models import Unit

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _today():
    return timezone.localdate()


def _year(request) -> int:
    today = _today()
    default = default_work_year(years_with_data(request.user), today, annual_open=annual_report_open)
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or default)
    except ValueError:
        return default
    return year if 2000 <= year <= today.year + 1 else default


def year_nav(user, year: int, today) -> dict:
    """The annual pages' year switcher (includes _year_nav.html) and their 已归档 mark: the last five years and
    next, each labelled as every year selector labels it (2025年（已归档）)."""
    closed = closed_years(user.government_id)
    years = sorted(set(range(today.year - 4, today.year + 2)) | {year}, reverse=True)
    return {"year": year, "years": [(y, year_label(y, closed=y in closed)) for y in years], "year_closed": year in closed}


def _visible(request, pk: int) -> AnnualReport:
    return get_object_or_404(AnnualReport.objects.visible_to(request.user).select_related("unit"), pk=pk)


def _editable(request, pk: int) -> AnnualReport:
    report = _visible(request, pk)
    if not report.can_edit(request.user):
        raise PermissionDenied("您不能修改这份年度报告（只读用户，或报告已提交/定稿）。")
    return report


@login_required
def annual_list(request):
    """Office and leaders: who has and has not submitted this year. A unit: its own reports."""
    user, year = request.user, _year(request)
    today = _today()
    nav = year_nav(user, year, today)
    if user.sees_everything:
        reports = {r.unit_id: r for r in AnnualReport.objects.visible_to(user).for_year(year).select_related("unit")}
        units = list(Unit.objects.visible_to(user).active().exclude(kind=Unit.Kind.UPPER).in_fixed_order())
        rows = [{"unit": unit, "report": reports.get(unit.pk)} for unit in units]
        counts = {label: 0 for label in ("未开始", *AnnualReport.Status.labels)}
        for row in rows:
            counts[row["report"].get_status_display() if row["report"] else "未开始"] += 1
        return render(request, "reports/annual/status_list.html", {
            **nav, "rows": rows, "counts": counts,
            "government_report": reports.get(None), "can_create": user.is_office,
        })
    own = list(AnnualReport.objects.visible_to(user).select_related("unit").order_by("-year"))
    return render(request, "reports/annual/unit_list.html", {
        **nav, "reports": own,
        "has_this_year": any(r.year == year for r in own),
        "can_create": user.unit_id is not None and user.role == user.Role.LIAISON,
    })


@login_required
@require_POST
def annual_create(request):
    user, year = request.user, _year(request)
    target = request.POST.get("unit", "")
    if target == "government":
        unit = None
    elif target:
        unit = get_object_or_404(Unit.objects.visible_to(user).active(), pk=target) if target.isdigit() else None
        if unit is None:
            raise Http404("没有找到该单位。")
    else:
        unit = user.unit
        if unit is None:
            raise PermissionDenied("您不属于任何单位，不能起草单位年度报告。")
    try:
        report = annual_report_create(user=user, year=year, unit=unit, today=_today())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{reverse('reports:annual-list')}?year={year}")
    messages.success(request, f"已生成{report.title}初稿：第一、五、六部分根据本年度任务落实情况起草，请修改完善并填写表格。")
    return redirect("reports:annual-edit", pk=report.pk)


def _locked(report: AnnualReport) -> tuple[frozenset, str]:
    external, source = external_figures(report)
    return frozenset(external), source


def _carried_from(report: AnnualReport) -> int | None:
    previous = report.previous()
    return previous.year if previous else None


def _context(report: AnnualReport, user, form=None) -> dict:
    findings = report_findings(report)
    notes = report.finding_notes or {}
    locked, source = _locked(report)
    previous = report.previous()
    return {
        "report": report,
        "form": form or AnnualReportForm(initial=AnnualReportForm.initial_for(report), locked=locked),
        "findings": findings, "errors": errors_of(findings),
        "warnings": [{"finding": f, "key": finding_key(f), "note": notes.get(finding_key(f))}
                     for f in findings if not f.is_error],
        "can_edit": report.can_edit(user), "is_office": user.is_office,
        "can_publish": report.status in AnnualReport.DONE_STATUSES and (
            user.is_office or (report.unit_id == user.unit_id and user.role == user.Role.LIAISON)),
        "t3_rule": fmt.T3_RULE_SHORT, "t3_rule_note": fmt.T3_RULE_NOTE,
        "t3_columns": fmt.T3_COLUMNS, "t3_legal_columns": fmt.T3_LEGAL_PERSON_COLUMNS,
        "t4_groups": fmt.T4_GROUPS, "t4_columns": fmt.T4_COLUMNS, "sections": fmt.SECTIONS,
        "section_texts": [(s, getattr(report, s.key)) for s in fmt.SECTIONS],
        "previous": previous, "external_source": source,
        "year_closed": year_is_closed(report.government_id, report.year),
    }


@login_required
def annual_detail(request, pk: int):
    report = _visible(request, pk)
    context = _context(report, request.user)
    context["read_only"] = True
    return render(request, "reports/annual/detail.html", context)


@login_required
def annual_edit(request, pk: int):
    user = request.user
    report = _editable(request, pk)
    locked, _source = _locked(report)
    if request.method == "POST":
        form = AnnualReportForm(request.POST, can_rename=user.is_office, locked=locked, carried_from=_carried_from(report))
        if form.is_valid():
            try:
                report = annual_report_save(
                    report=report, user=user, sections=form.sections(), figures=form.figures(),
                    owner_name=form.cleaned_data.get("owner_name") if user.is_office else None,
                    expected_version=form.cleaned_data.get("version"))
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                errors = errors_of(report_findings(report))
                if errors:
                    messages.warning(request, f"已保存。检查发现{len(errors)}处错误，请在提交或导出前修正。")
                else:
                    messages.success(request, "已保存，检查全部通过。")
                return redirect("reports:annual-edit", pk=report.pk)
        messages.error(request, "有填写错误，请按提示修改，本次内容未保存。")
    else:
        form = AnnualReportForm(initial=AnnualReportForm.initial_for(report), can_rename=user.is_office,
                                locked=locked, carried_from=_carried_from(report))
    context = _context(report, user, form)
    context["check_url"] = reverse("reports:annual-check", args=[report.pk])
    return render(request, "reports/annual/edit.html", context)


@login_required
@require_POST
def annual_check(request, pk: int):
    """The checks on the form as typed (nothing saved): findings and computed totals as JSON.

    The edit page's script posts the form here as the user types; the checks exist once, in
    reports/annual/checks.py and evaluator.py.
    """
    report = _editable(request, pk)
    external, _source = external_figures(report)
    raw = {code: request.POST.get(code) for code in fmt.FIELD_CODES if code not in fmt.TOTAL_CODES}
    cells, cell_errors = parse_cells(raw | external)
    cells = with_totals(cells | dict.fromkeys(cell_errors, 0))  # an unreadable cell: its own error, not a blank
    sections = {key: request.POST.get(key, "") for key in fmt.SECTION_KEYS}
    findings = [Finding("error", "bad_count", message, code) for code, message in cell_errors.items()]
    findings += report_findings(report, cells=cells, sections=sections)
    notes = report.finding_notes or {}
    return JsonResponse({
        "findings": [{"level": f.level, "field": f.field, "message": f.message,
                      "dismissed": (notes.get(finding_key(f)) or {}).get("decision") == "dismissed"}
                     for f in findings],
        "totals": {code: display(cells[code]) for code in sorted(fmt.TOTAL_CODES)},
        "errors": sum(1 for f in findings if f.is_error),
        "warnings": sum(1 for f in findings if not f.is_error),
    })


def _action(request, report: AnnualReport, action, done: str):
    try:
        action(report)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("reports:annual-detail", pk=report.pk)


@login_required
@require_POST
def annual_submit(request, pk: int):
    report = _visible(request, pk)
    if not report.can_edit(request.user):
        raise PermissionDenied("您不能提交这份年度报告。")
    return _action(request, report, lambda r: annual_report_submit(report=r, user=request.user, now=timezone.now()),
                   "年度报告已提交公开办。")


@login_required
@require_POST
def annual_return(request, pk: int):
    report = _visible(request, pk)
    if not request.user.is_office:
        raise PermissionDenied("只有公开办管理员可以退回年度报告。")
    reason = request.POST.get("reason", "")
    return _action(request, report, lambda r: annual_report_return(report=r, user=request.user, reason=reason),
                   "已退回，单位可以继续修改。")


@login_required
@require_POST
def annual_publish(request, pk: int):
    """Record the date and web address where the finalised report was published."""
    report = _visible(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("reports:annual-detail", pk=report.pk)
    return _action(request, report, lambda r: annual_report_publish(
        report=r, user=request.user, published_on=form.cleaned_data["published_on"],
        url=form.cleaned_data["url"]), "已登记发布日期和网址。")


@login_required
@require_POST
def annual_note_finding(request, pk: int):
    """Confirm or dismiss one warning with a reason."""
    report = _visible(request, pk)
    return _action(request, report, lambda r: annual_report_note_finding(
        report=r, user=request.user, key=request.POST.get("key", ""), decision=request.POST.get("decision", ""),
        reason=request.POST.get("reason", "")), "已记录对检查意见的处理。")


@login_required
@require_POST
def annual_finalise(request, pk: int):
    report = _visible(request, pk)
    if not request.user.is_office:
        raise PermissionDenied("只有公开办管理员可以定稿年度报告。")
    return _action(request, report, lambda r: annual_report_finalise(report=r, user=request.user, now=timezone.now()),
                   "年度报告已定稿。")


def _export(request, pk: int, build, extension: str, content_type: str):
    report = _visible(request, pk)
    errors = errors_of(report_findings(report))
    if errors:
        messages.error(request, f"报告还有{len(errors)}处错误，修正后才能导出。")
        return redirect("reports:annual-detail", pk=report.pk)
    buffer = io.BytesIO()
    build(report).save(buffer)
    buffer.seek(0)
    audit_event(request, AuditEvent.Action.EXPORT, obj=report, message=f"导出年度报告（{extension}）：{report.title}")
    suffix = "" if report.is_clean else "（草稿）"
    return FileResponse(buffer, as_attachment=True, filename=f"{report.title}{suffix}.{extension}",
                        content_type=content_type)


@login_required
def annual_export_xlsx(request, pk: int):
    return _export(request, pk, lambda r: build_workbook(title=r.title, sections=r.sections, figures=r.cells(),
                                                         draft=not r.is_clean), "xlsx", XLSX_TYPE)


@login_required
def annual_export_docx(request, pk: int):
    return _export(request, pk, lambda r: build_document(title=r.title, sections=r.sections, figures=r.cells(),
                                                         draft=not r.is_clean), "docx", DOCX_TYPE)


REDRAFTED = ("overview", "problems", "other")


@login_required
def annual_redraft(request, pk: int):
    """重新起草: the new drafts of 一, 五 and 六 beside the current texts; only what is ticked replaces."""
    user = request.user
    report = _editable(request, pk)
    fresh = draft_sections(user=user, owner=report.owner_name, year=report.year, today=_today(),
                           use_office_text=report.is_government, is_government=report.is_government,
                           unit=report.unit)
    if request.method == "POST":
        accepted = [key for key in REDRAFTED if request.POST.get(f"accept_{key}")]
        if not accepted:
            messages.info(request, "没有选择要采用的新稿，原文未改动。")
            return redirect("reports:annual-edit", pk=report.pk)
        sections = report.sections | {key: request.POST.get(f"draft_{key}", fresh[key]) for key in accepted}
        stored = {code: value for code, value in (report.figures or {}).items() if code not in fmt.TOTAL_CODES}
        try:
            annual_report_save(report=report, user=user, sections=sections, figures=stored,
                               expected_version=int(request.POST.get("version") or 0) or None)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("reports:annual-redraft", pk=report.pk)
        names = "、".join(fmt.SECTION_BY_KEY[key].heading for key in accepted)
        messages.success(request, f"已采用新稿：{names}；其他部分保持原文。")
        return redirect("reports:annual-edit", pk=report.pk)
    return render(request, "reports/annual/redraft.html", {
        "report": report, "year_closed": year_is_closed(report.government_id, report.year),
        "pairs": [(fmt.SECTION_BY_KEY[key], getattr(report, key), fresh[key]) for key in REDRAFTED],
    })
