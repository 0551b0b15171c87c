"""年度归档: the office's list of its government's work years (close, reopen), and a year's unfinished rows for
the 回头看 — listed, exported, and carried into the next year in one step."""
from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from audit.models import AuditEvent
from audit.trail import audit_event
from core.forms import add_errors
from core.http import require_office, today
from reports.archive import archive_years, build_unfinished_workbook, unfinished_rows, with_lateness
from reports.forms import LookbackForm
from reports.services import lookback_create
from reports.summary import lookback_candidates
from tasks.archive import closed_years, year_close, year_reopen

ROWS_PER_PAGE = 100


def _office_government(user):
    require_office(user)
    if user.government_id is None:
        raise PermissionDenied("年度归档按政府进行，请使用本级政府的公开办管理员账号。")
    return user.government


@require_GET
@login_required
def archive_index(request):
    government = _office_government(request.user)
    day = today()
    return render(request, "reports/archive.html", {
        "government": government, "years": archive_years(government_id=government.pk, today=day), "today": day,
    })


@require_POST
@login_required
def archive_close(request, year):
    government = _office_government(request.user)
    try:
        year_close(government=government, year=year, user=request.user, today=today(),
                   note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已归档{year}年度：该年度不再提醒和催办，不能再报送落实情况，各页面标注“已归档”。"
                                  f"未完成事项可在下方“回头看”中转入{year + 1}年。")
    return redirect("reports:archive")


@require_POST
@login_required
def archive_reopen(request, year):
    government = _office_government(request.user)
    try:
        year_reopen(government=government, year=year, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已重新开放{year}年度：恢复提醒和催办，可以继续报送落实情况（已记入审计日志）。")
    return redirect("reports:archive")


def _year_context(request, year: int, form=None) -> dict:
    day = today()
    user = request.user
    page = Paginator(unfinished_rows(user, year=year), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    candidates = lookback_candidates(user, from_year=year, today=day)
    waiting = [c for c in candidates if not c.carried_into]
    closed = closed_years(user.government_id).get(year)
    carried_into = {c.item.pk: c.carried_into for c in candidates}
    rows = with_lateness(page.object_list, day)
    for row in rows:
        row.carried_into = carried_into.get(row.item_id, [])
    return {
        "year": year, "next_year": year + 1, "closed": closed, "today": day, "page": page,
        "rows": rows, "candidates": candidates, "waiting": waiting,
        "carried": len(candidates) - len(waiting),
        "form": form or LookbackForm(candidates=candidates, to_year=year + 1, user=user),
    }


@require_GET
@login_required
def archive_year(request, year):
    _office_government(request.user)
    return render(request, "reports/archive_year.html", _year_context(request, year))


@require_POST
@login_required
def archive_carry(request, year):
    """Carry every unfinished item of ``year`` not yet carried into a notice of the next year (回头看整改), in
    one step: lookback_create, each new item linked to its origin."""
    _office_government(request.user)
    user, day = request.user, today()
    candidates = lookback_candidates(user, from_year=year, today=day)
    form = LookbackForm(request.POST, candidates=candidates, to_year=year + 1, user=user)
    ids = [c.item.pk for c in candidates if not c.carried_into]
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = lookback_create(
                user=user, from_year=year, item_ids=ids, today=day, to_notice=data["to_notice"],
                deadline=data["deadline"], new_doc_number=data["new_doc_number"], new_title=data["new_title"],
                to_year=year + 1)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已将{year}年{len(result.created)}项未完成事项转入{result.notice.doc_number}"
                                      f"“{result.section.heading}”，每项都链接到原事项。")
            return redirect(result.notice.get_absolute_url())
    return render(request, "reports/archive_year.html", _year_context(request, year, form), status=400)


@require_GET
@login_required
def archive_export(request, year):
    government = _office_government(request.user)
    day = today()
    rows = with_lateness(unfinished_rows(request.user, year=year), day)
    book = build_unfinished_workbook(government_name=str(government), year=year, rows=rows, today=day,
                                     closed=year in closed_years(government.pk))
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    name = f"{government}{year}年度未完成事项.xlsx"
    audit_event(request, AuditEvent.Action.EXPORT, object_type="reports.archive", object_id=year, label=name,
                message=f"导出{year}年度未完成事项（{len(rows)}行）")
    return FileResponse(handle, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
