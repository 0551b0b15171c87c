"""催办: chasing late units, the chase record and its 督办通知单."""
import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from audit.trail import audit_event
from core.forms import add_errors
from core.http import require_office, today
from tasks.models import Assignment, Notice
from units.models import Government, Unit
from workflow.calendar import (
    WorkCalendar,
    days_overdue,
    fallback_message,
)
from workflow.chase_sheet import build_chase_document, chase_sheet, default_reply_by
from workflow.chasing import chase_create, chase_government_create, chaseable
from workflow.forms import ChaseForm, ChaseSheetForm
from workflow.models import Chase, with_chase_counts

CHASE_PAGE_SIZE = 50
CHASE_ORDER = ("due_date", "unit_sort_order", "item_number", "id")
DEFAULT_CHASE_MESSAGE = "你单位承担的以下任务已超过完成时限，请抓紧落实，并尽快在系统中报送落实情况和佐证材料。"


def _chaseable_rows(user):
    """The rows this office may chase (chaseable), told the government when the office has one: the office's
    rows are all of it (Assignment.editable_by), and the planner then reads pages off asg_gov_chase_order."""
    government_id = None if user.sees_all_governments else user.government_id
    return chaseable(Assignment.objects.editable_by(user), government_id=government_id)


def _latest_overdue_year(user, day: datetime.date) -> int | None:
    """The latest work year that has rows this office may chase: where the chase page opens."""
    rows = _chaseable_rows(user).overdue(day).order_by("-year").values_list("year", flat=True)
    return rows.first()


def _chase_rows(request, day: datetime.date):
    """The filter's rows (ids and order only: a page's rows are read with their joins once the page is known)."""
    rows = _chaseable_rows(request.user).filter(is_ongoing=False, due_date__isnull=False)
    scope = request.GET.get("scope", "overdue")
    if scope != "open":
        rows = rows.overdue(day)
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        rows = rows.filter(unit_id=int(unit))
    notice = request.GET.get("notice", "")
    if notice.isdigit():
        rows = rows.filter(notice_id=int(notice))
    # No year asked for: the latest work year with overdue rows ("" is 全部年度, chosen on purpose).
    year = request.GET["year"] if "year" in request.GET else str(_latest_overdue_year(request.user, day) or "")
    if year.isdigit():
        rows = rows.filter(year=int(year))
    # The earliest deadline is the most working days overdue: most overdue first. The order is the partial
    # indexes asg_gov_chase_order (a year) and asg_gov_chase_due (全部年度): a page is read off the index.
    rows = rows.order_by(*CHASE_ORDER)
    return rows, {"scope": scope, "unit": unit, "notice": notice, "year": year}


def _page_rows(page_ids) -> list[Assignment]:
    """The page's rows with what the table shows (and their chase counts), in the page's order. ``page_ids``: the
    page's slice of the filter's ids (a subquery: the ids off the index, then only those rows joined, one query)."""
    return list(with_chase_counts(Assignment.objects.filter(pk__in=page_ids))
                .select_related("notice", "unit", "item")
                .only("id", "item_id", "unit_id", "notice_id", "item_number", "unit_sort_order", "due_date", "status",
                      "version", "notice__doc_number", "unit__short_name", "item__title", "item__requirement")
                .order_by(*CHASE_ORDER))


@login_required
def chase_create_view(request):
    """催办: the office picks late rows (on this page, or all N rows of the filter) and writes one message to
    their units. The filter lives in the query string, so the POST sees the same rows as the page."""
    require_office(request.user)
    day = today()
    form = ChaseForm(request.POST or None, initial={"message": DEFAULT_CHASE_MESSAGE})
    rows, params = _chase_rows(request, day)
    selected = {int(v) for v in request.POST.getlist("assignments") + request.GET.getlist("ids") if v.isdigit()}
    all_matching = request.POST.get("all_matching") == "1"
    status = 200
    if request.method == "POST":
        if all_matching:
            selected = set(rows.values_list("pk", flat=True))
        chosen = list(Assignment.objects.editable_by(request.user).filter(pk__in=selected)
                      .select_related("notice", "unit", "item"))
        if form.is_valid():
            try:
                chases = chase_create(assignments=chosen, message=form.cleaned_data["message"], author=request.user,
                                      today=day, urgent=form.cleaned_data["urgent"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                units = len({c.unit_id for c in chases})
                messages.success(request, f"已向{units}个单位催办{len(chases)}项，相关单位联络员已收到消息。")
                return redirect("workflow:chase-list")
        if not selected and not form.non_field_errors():
            form.add_error(None, "请至少选择一行台账。")
        status = 400
    # The count and the page's ids read the partial index alone; then only the page's rows are joined.
    page = Paginator(rows.values_list("pk", flat=True), CHASE_PAGE_SIZE).get_page(request.GET.get("page"))
    page_rows = _page_rows(page.object_list)
    own_notices = Notice.objects.visible_to(request.user)
    if not request.user.sees_all_governments:
        own_notices = own_notices.filter(government_id=request.user.government_id)
    # The filter's notices (the chosen year's, when one is chosen) and its years, from one narrow read.
    notices = list(own_notices.order_by("-work_year", "doc_number").values("pk", "work_year", "doc_number"))
    years = sorted({n["work_year"] for n in notices}, reverse=True)
    if params["year"].isdigit():
        notices = [n for n in notices if n["work_year"] == int(params["year"]) or str(n["pk"]) == params["notice"]]
    calendar = WorkCalendar()
    for row in page_rows:
        row.late_working_days = days_overdue(row.due_date, day, calendar=calendar)
    return render(request, "workflow/chase_create.html", {
        "form": form, "rows": page_rows, "page_obj": page, "total": page.paginator.count,
        "selected": selected, "all_matching": all_matching, "params": params, "today": day,
        "units": Unit.objects.visible_to(request.user).in_fixed_order().only("id", "short_name"),
        "notices": notices, "years": years,
        "warnings": [fallback_message(y) for y in calendar.missing_years(day)],
    }, status=status)


@login_required
def chase_list(request):
    """The chase record: all chases for the office and leaders, a unit's own (and its led items') for units."""
    chases = (Chase.objects.visible_to(request.user)
              .select_related("unit", "created_by", "assignment__notice", "item__notice", "government")
              .order_by("-created_at", "-id"))
    year = request.GET.get("year", "")
    if year.isdigit():
        chases = chases.filter(year=int(year))
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        chases = chases.filter(unit_id=int(unit))
    page = Paginator(chases, 50).get_page(request.GET.get("page"))
    calendar = WorkCalendar()
    for c in page.object_list:  # the 督办通知单 form's proposed 要求报送日期
        c.sheet_form = ChaseSheetForm(initial={"by": default_reply_by(c.created_on, calendar=calendar)},
                                      chased_on=c.created_on, auto_id=f"sheet-{c.pk}-%s")
    counts = None
    if request.user.sees_everything:
        visible = Chase.objects.visible_to(request.user)
        counts = visible.filter(year=int(year)) if year.isdigit() else visible
        counts = list(counts.counts_per_unit())
    years = sorted(set(Chase.objects.visible_to(request.user).values_list("year", flat=True)), reverse=True)
    return render(request, "workflow/chase_list.html", {
        "page_obj": page, "chases": page.object_list, "is_paginated": page.has_other_pages(), "counts": counts,
        "year": year, "unit": unit, "years": years,
    })


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def chase_sheet_download(request, pk):
    """督办通知单: the round of chases ``pk`` belongs to, as a Word document (print or send). ``by``
    (YYYY-MM-DD, the chase list's date input) sets the requested date (要求报送日期); without it, the default
    (chase_sheet.default_reply_by). A bad date shows the form again with a Chinese message."""
    visible = Chase.objects.visible_to(request.user)
    chase = get_object_or_404(visible.select_related("unit", "government", "created_by__unit__government",
                                                     "created_by__government__office_unit"), pk=pk)
    if request.method not in ("GET", "HEAD"):  # after the scope check: another unit's chase stays a 404
        return HttpResponseNotAllowed(["GET", "HEAD"])
    reply_by = None
    if "by" in request.GET:
        form = ChaseSheetForm(request.GET, chased_on=chase.created_on)
        if not form.is_valid():  # the form again, with the message; no document
            return render(request, "workflow/chase_sheet_form.html", {"chase": chase, "form": form}, status=400)
        reply_by = form.cleaned_data["by"]
    sheet = chase_sheet(chase, chases=visible, reply_by=reply_by)
    buffer = io.BytesIO()
    build_chase_document(sheet).save(buffer)
    buffer.seek(0)
    audit_event(request, AuditEvent.Action.EXPORT, obj=chase, message=f"导出督办通知单（{sheet.unit_name}，{len(sheet.lines)}项）")
    return FileResponse(buffer, as_attachment=True, filename=sheet.filename, content_type=DOCX_TYPE)


@require_POST
@login_required
def chase_government(request, pk):
    """催办下级政府: the cells the upper office ticked on its roll-up (item × lower government)."""
    notice = get_object_or_404(Notice.objects.visible_to(request.user).select_related("government"), pk=pk)
    require_office(request.user, notice.government_id)
    items = {i.pk: i for i in notice.items.select_related("notice__government")}
    governments = {g.pk: g for g in Government.objects.lower_of(notice.government)}
    cells = []
    for value in request.POST.getlist("cells"):
        item_id, _, government_id = value.partition(":")
        if item_id.isdigit() and government_id.isdigit() and int(item_id) in items \
                and int(government_id) in governments:
            cells.append((items[int(item_id)], governments[int(government_id)]))
    try:
        chases = chase_government_create(cells=cells, message=request.POST.get("message", ""), author=request.user,
                                         today=today())
    except ValidationError as exc:
        messages.error(request, "未催办：" + "；".join(exc.messages))
    else:
        names = "、".join(sorted({str(c.government) for c in chases}))
        messages.success(request, f"已向{names}催办{len(chases)}项，相关政府办已收到消息，记入催办记录。")
    return redirect(reverse("reports:chain-rollup", args=[notice.pk]))
