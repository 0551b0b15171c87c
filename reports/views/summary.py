"""The yearly implementation summary page and its Excel download."""
from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audit.models import AuditEvent
from audit.trail import audit_event
from core.http import today
from reports.excel import write_summary_workbook
from reports.services import annual_text_draft, annual_text_get
from reports.stats import overdue_lines, year_statistics
from reports.summary import paged_summary, summary_rows
from reports.views.common import read_scope

# Items per page of 落实汇总: the whole year (4,000 items, 25 units each at province scale) is the export's job.
SUMMARY_PAGE_ITEMS = 20


@require_safe
@login_required
def summary_page(request):
    day = today()
    scope = read_scope(request, day)
    page = paged_summary(request.user, year=scope.year, today=day, notice=scope.notice,
                         page=request.GET.get("page") or 1, per_page=SUMMARY_PAGE_ITEMS)
    return render(request, "reports/summary.html", {
        "scope": scope, "page": page, "page_size": SUMMARY_PAGE_ITEMS, "rows": page.rows, "today": day, "item_count": page.total,
        "scope_label": scope.label(request.user),
    })


def export_filename(year: int, notice=None, user=None) -> str:
    parts = [notice.doc_number] if notice else []
    if user is not None and not user.sees_everything and user.unit_id:
        parts.append(user.unit.short_name)
    return f"{year}年落实情况汇总" + (f"（{'，'.join(parts)}）" if parts else "") + ".xlsx"


def build_export(out, *, user, year: int, notice, day, scope_label: str) -> int:
    """Write the four-sheet workbook of what ``user`` may see; returns the number of items written.

    The 年报文字 sheet holds the office's saved text for office staff and leaders, and otherwise a draft
    built from the user's own scope (the saved text speaks for every unit).
    """
    saved = annual_text_get(year=year, notice=notice, government_id=user.government_id) if user.sees_everything else None
    text = saved.text if saved else annual_text_draft(user=user, year=year, today=day, notice=notice)
    return write_summary_workbook(
        out, year=year, scope_label=scope_label, today=day,
        rows=summary_rows(user, year=year, today=day, notice=notice),
        stats=year_statistics(user, year=year, today=day, notice=notice),
        overdue=overdue_lines(user, year=year, today=day, notice=notice),
        annual_text=text)


@require_safe
@login_required
def summary_export(request):
    day = today()
    scope = read_scope(request, day, strict=True)
    out = tempfile.TemporaryFile()
    build_export(out, user=request.user, year=scope.year, notice=scope.notice, day=day,
                 scope_label=scope.label(request.user))
    out.seek(0)
    filename = export_filename(scope.year, scope.notice, request.user)
    audit_event(request, AuditEvent.Action.EXPORT, obj=scope.notice, object_type="reports.summary", label=filename,
                message=f"导出落实情况汇总（Excel）：{scope.label(request.user)}")
    # FileResponse is a StreamingHttpResponse: the built file goes out in blocks with its Content-Length, never
    # read into memory whole. openpyxl assembles the .xlsx (a zip) only when the workbook is saved, so the worker
    # is busy for the build (about 10 s for 100,000 ledger rows, README "What keeps pages fast"), then streams.
    response = FileResponse(out, as_attachment=True, filename=filename,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.block_size = 64 * 1024
    return response
