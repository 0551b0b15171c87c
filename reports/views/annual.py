"""Annual report pages: the year's status list, drafting, editing with live checks, submit and export.

Every page fetches the report through ``AnnualReport.objects.visible_to(user)``: another unit's report
is a 404; a report the user can read but not change is a 403 on writes.
"""
from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from reports.annual import format as fmt
from reports.annual.checks import MESSAGES, NOTHING_WORDS, PLACEHOLDER, TEXT_REQUIRED_SECTIONS
from reports.annual.docx import build_document
from reports.annual.forms import AnnualReportForm
from reports.annual.services import (
    annual_report_create,
    annual_report_finalise,
    annual_report_return,
    annual_report_save,
    annual_report_submit,
    errors_of,
    report_findings,
)
from reports.annual.xlsx import build_workbook
from reports.models import AnnualReport
from units.models import Unit

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _today():
    return timezone.localdate()


def _year(request) -> int:
    today = _today()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


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
    years = list(range(today.year + 1, today.year - 5, -1))
    if user.sees_everything:
        reports = {r.unit_id: r for r in AnnualReport.objects.for_year(year).select_related("unit")}
        units = list(Unit.objects.active().exclude(kind=Unit.Kind.UPPER).in_fixed_order())
        rows = [{"unit": unit, "report": reports.get(unit.pk)} for unit in units]
        counts = {label: 0 for label in ("未起草", *AnnualReport.Status.labels)}
        for row in rows:
            counts[row["report"].get_status_display() if row["report"] else "未起草"] += 1
        return render(request, "reports/annual/status_list.html", {
            "year": year, "years": years, "rows": rows, "counts": counts,
            "government_report": reports.get(None), "can_create": user.is_office,
        })
    own = list(AnnualReport.objects.visible_to(user).select_related("unit").order_by("-year"))
    return render(request, "reports/annual/unit_list.html", {
        "year": year, "years": years, "reports": own,
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
        unit = get_object_or_404(Unit.objects.active(), pk=target) if target.isdigit() else None
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


def _context(report: AnnualReport, user, form=None) -> dict:
    findings = report_findings(report)
    return {
        "report": report, "form": form or AnnualReportForm(initial=AnnualReportForm.initial_for(report)),
        "findings": findings, "errors": errors_of(findings),
        "warnings": [f for f in findings if not f.is_error],
        "can_edit": report.can_edit(user), "is_office": user.is_office,
        "t3_rule": fmt.T3_RULE_SHORT, "t3_rule_note": fmt.T3_RULE_NOTE,
        "t3_columns": fmt.T3_COLUMNS, "t3_legal_columns": fmt.T3_LEGAL_PERSON_COLUMNS,
        "t4_groups": fmt.T4_GROUPS, "t4_columns": fmt.T4_COLUMNS, "sections": fmt.SECTIONS,
        "section_texts": [(s, getattr(report, s.key)) for s in fmt.SECTIONS],
    }


@login_required
def annual_detail(request, pk: int):
    report = _visible(request, pk)
    context = _context(report, request.user)
    context["read_only"] = True
    return render(request, "reports/annual/detail.html", context)


def _live_config(report: AnnualReport) -> dict:
    previous = report.previous()
    return {
        "format": fmt.js_config(),
        "messages": MESSAGES,
        "text_required": list(TEXT_REQUIRED_SECTIONS), "nothing_words": sorted(NOTHING_WORDS),
        "placeholder": PLACEHOLDER,
        "previous": {"year": previous.year, "figures": previous.figure_values(), "sections": previous.sections}
        if previous else None,
    }


@login_required
def annual_edit(request, pk: int):
    user = request.user
    report = _editable(request, pk)
    if request.method == "POST":
        form = AnnualReportForm(request.POST, can_rename=user.is_office)
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
        form = AnnualReportForm(initial=AnnualReportForm.initial_for(report), can_rename=user.is_office)
    context = _context(report, user, form)
    context["live_config"] = _live_config(report)
    return render(request, "reports/annual/edit.html", context)


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
    return _action(request, report, lambda r: annual_report_return(report=r, user=request.user),
                   "已退回，单位可以继续修改。")


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
    return FileResponse(buffer, as_attachment=True, filename=f"{report.title}.{extension}", content_type=content_type)


@login_required
def annual_export_xlsx(request, pk: int):
    return _export(request, pk, lambda r: build_workbook(title=r.title, sections=r.sections,
                                                         figures=r.figure_values()), "xlsx", XLSX_TYPE)


@login_required
def annual_export_docx(request, pk: int):
    return _export(request, pk, lambda r: build_document(title=r.title, sections=r.sections,
                                                         figures=r.figure_values()), "docx", DOCX_TYPE)

