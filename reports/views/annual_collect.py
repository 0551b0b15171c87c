"""年报收集 (the office gathers every unit's annual report), the district-wide sum, workbook upload and
the one-click year-end materials.

The collection page and the sum are for those who read every unit's rows (user.sees_everything);
uploads go to the uploader's own unit's report (a liaison) or any unit's (the office).
"""
from __future__ import annotations

import io
import tempfile
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from reports.annual.collect import (
    STATE_ORDER,
    build_combined_workbook,
    collect_rows,
    combined_cells,
    combined_title,
    government_due_date,
    unit_due_date,
)
from reports.annual.docx import build_document
from reports.annual.importing import MAX_WORKBOOK_BYTES, annual_report_import
from reports.annual.reader import WorkbookError
from reports.annual.xlsx import build_workbook
from reports.models import AnnualReport
from reports.views.annual import XLSX_TYPE, _year, year_nav
from units.models import Unit

# Rows of the side-by-side sum on the page: (label, field code).
SUM_ROWS = (
    ("表三 一、本年新收申请", "t3.new.total"),
    ("表三 二、上年结转申请", "t3.carried.total"),
    ("表三 （一）予以公开", "t3.open.total"),
    ("表三 （二）部分公开", "t3.partial.total"),
    ("表三 （七）总计（办结）", "t3.total.total"),
    ("表三 四、结转下年度继续办理", "t3.carry_next.total"),
    ("表四 行政复议总计", "t4.review.total"),
    ("表四 未经复议直接起诉总计", "t4.suit_direct.total"),
    ("表四 复议后起诉总计", "t4.suit_after_review.total"),
    ("表二 行政规范性文件本年制发", "t2.normative.issued"),
    ("表二 行政许可处理决定", "t2.licensing.decisions"),
    ("表二 行政处罚处理决定", "t2.penalty.decisions"),
    ("表二 行政事业性收费（万元）", "t2.fees.amount"),
)


def _today():
    return timezone.localdate()


def _reader(request):
    if not request.user.sees_everything:
        raise PermissionDenied("年报收集由公开办管理员和领导查看。")


@login_required
def annual_collect(request):
    _reader(request)
    year, today = _year(request), _today()
    government, rows = collect_rows(year=year, today=today)
    reports = [row.report for row in [government, *rows] if row.report]
    counts = dict.fromkeys(STATE_ORDER, 0)
    for row in rows:
        counts[row.state] += 1
    combined = combined_cells(reports) if reports else {}
    own = government.report.cells() if government.report else {}
    return render(request, "reports/annual/collect.html", {
        **year_nav(request.user, year, today), "today": today,
        "government": government, "rows": rows, "counts": counts,
        "overdue": sum(1 for row in rows if row.overdue),
        "unit_due": unit_due_date(year), "government_due": government_due_date(year),
        "sum_rows": [(label, combined.get(code), own.get(code)) for label, code in SUM_ROWS],
        "report_count": len(reports), "is_office": request.user.is_office,
    })


@login_required
def annual_combined_xlsx(request):
    _reader(request)
    year = _year(request)
    reports = list(AnnualReport.objects.for_year(year).select_related("unit", "unit__disclosure_register"))
    if not reports:
        messages.error(request, f"{year}年还没有任何年度报告，无法汇总。")
        return redirect(f"{reverse('reports:annual-collect')}?year={year}")
    buffer = io.BytesIO()
    build_combined_workbook(year=year, reports=reports).save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{combined_title(year, reports)}.xlsx",
                        content_type=XLSX_TYPE)


@login_required
@require_POST
def annual_upload(request):
    """A report workbook in the official layout → the unit's draft for the year, findings shown."""
    user, year = request.user, _year(request)
    target = request.POST.get("unit", "")
    if target == "government":
        unit = None
    elif target.isdigit():
        unit = get_object_or_404(Unit.objects.active(), pk=target)
    else:
        unit = user.unit
    allowed = user.is_office or (unit is not None and unit.pk == user.unit_id and user.role == user.Role.LIAISON)
    if not allowed:
        raise PermissionDenied("只能导入本单位的年度报告。")
    back = (f"{reverse('reports:annual-collect')}?year={year}" if user.sees_everything
            else f"{reverse('reports:annual-list')}?year={year}")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要导入的年度报告工作簿（.xlsx）。")
        return redirect(back)
    if upload.size > MAX_WORKBOOK_BYTES:
        messages.error(request, f"文件过大（{upload.size / 1024 / 1024:.1f} MB），上限为 10 MB。")
        return redirect(back)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            owner = "" if unit else _government_owner(user, year)
            outcome = annual_report_import(path=handle.name, year=year, unit=unit, user=user, owner_name=owner)
        except WorkbookError as exc:
            messages.error(request, str(exc).replace(handle.name.rsplit("/", 1)[-1], upload.name))
            return redirect(back)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(back)
    errors = sum(1 for f in outcome.findings if f.is_error) + len(outcome.read.problems)
    action = "已新建" if outcome.created else "已替换"
    note = f"{action}{outcome.report.title}（草稿），读取自“{upload.name}”。"
    if outcome.read.problems:
        note += "读取时发现：" + "；".join(p.message for p in outcome.read.problems[:5])
    (messages.warning if errors else messages.success)(request, note + (f"检查发现{errors}处错误。" if errors else ""))
    return redirect("reports:annual-detail", pk=outcome.report.pk)


def _government_owner(user, year: int) -> str:
    from reports.annual.services import government_name

    existing = AnnualReport.objects.filter(year=year, unit__isnull=True).first()
    return existing.owner_name if existing else government_name(user)


@login_required
def annual_year_end_zip(request):
    """年终材料 in one download: the year's summary workbook, the statistics, the annual report (.docx/.xlsx)
    and the district-wide sum of the units' reports."""
    _reader(request)
    from reports.views.summary import build_export, export_filename

    year, today = _year(request), _today()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        summary = io.BytesIO()  # 落实情况汇总, 单位统计 (the statistics), 逾期清单, 年报文字
        build_export(summary, user=request.user, year=year, notice=None, day=today, scope_label="全部通知")
        bundle.writestr(export_filename(year), summary.getvalue())
        government = AnnualReport.objects.filter(year=year, unit__isnull=True).first()
        if government is not None:
            suffix = "" if government.is_clean else "（草稿）"
            cells = government.cells()
            bundle.writestr(f"{government.title}{suffix}.docx", _saved(build_document(
                title=government.title, sections=government.sections, figures=cells, draft=not government.is_clean)))
            bundle.writestr(f"{government.title}{suffix}.xlsx", _saved(build_workbook(
                title=government.title, sections=government.sections, figures=cells, draft=not government.is_clean)))
        reports = list(AnnualReport.objects.for_year(year).select_related("unit", "unit__disclosure_register"))
        if reports:
            bundle.writestr(f"{combined_title(year, reports)}.xlsx",
                            _saved(build_combined_workbook(year=year, reports=reports)))
    response = HttpResponse(archive.getvalue(), content_type="application/zip")
    filename = f"{year}年政务公开年终材料.zip"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)

