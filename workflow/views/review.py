"""Workflow pages: the working-day calendar, chasing late units (催办) and the chase record, review."""
import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.trail import get_scoped_or_404
from core.http import require_office, today
from tasks.models import Assignment, Notice, ProgressReport
from units.models import Unit
from workflow.models import CalendarDay, CalendarYear, Chase, with_chase_counts
from workflow.services import (
    calendar_day_add,
    calendar_day_delete,
    calendar_seed,
    calendar_year_confirm,
    can_review,
    chase_create,
    chaseable,
    review_accept,
    review_return,
)
from workflow.workdays import WorkCalendar, fallback_message, package_years

WEEKDAYS = "一二三四五六日"
CHASE_PAGE_LIMIT = 500
DEFAULT_CHASE_MESSAGE = "你单位承担的以下任务已超过完成时限，请抓紧落实，并尽快在系统中报送落实情况和佐证材料。"


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- the working-day calendar ----------------------------------------------------------------------------

class CalendarDayForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    kind = forms.ChoiceField(label="类型", choices=CalendarDay.Kind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    name = forms.CharField(label="节日", max_length=50, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：春节"}))


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=forms.HiddenInput)
    note = forms.CharField(label="依据", max_length=200, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control",
                                                         "placeholder": "如：国务院办公厅关于2027年部分节假日安排的通知"}))


def _year_param(request, default: int) -> int:
    value = request.GET.get("year") or request.POST.get("year") or ""
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default


@login_required
def calendar_view(request, day_form=None, year_form=None, status=200):
    year = _year_param(request, today().year)
    days = list(CalendarDay.objects.filter(date__year=year))
    known = CalendarYear.objects.filter(year=year).first()
    years = sorted(set(CalendarYear.objects.values_list("year", flat=True)) | {today().year, today().year + 1, year})
    rows = [{"day": d, "weekday": f"周{WEEKDAYS[d.date.weekday()]}"} for d in days]
    return render(request, "workflow/calendar.html", {
        "year": year, "years": years, "rows": rows, "known": known,
        "warning": None if known else fallback_message(year),
        "can_edit": request.user.is_office,
        "can_seed": request.user.is_office and not known and year in package_years(),
        "day_form": day_form or CalendarDayForm(initial={"kind": CalendarDay.Kind.HOLIDAY}),
        "year_form": year_form or CalendarYearForm(initial={"year": year}),
        "holidays": sum(1 for d in days if d.kind == CalendarDay.Kind.HOLIDAY),
        "workdays": sum(1 for d in days if d.kind == CalendarDay.Kind.WORKDAY),
    }, status=status)


def _calendar_url(year: int) -> str:
    return f"{reverse('workflow:calendar')}?year={year}"


@require_POST
@login_required
def calendar_day_create(request):
    require_office(request.user)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        try:
            day = calendar_day_add(date=form.cleaned_data["date"], kind=form.cleaned_data["kind"],
                                   name=form.cleaned_data["name"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已添加：{day}。")
            return redirect(_calendar_url(day.date.year))
    return calendar_view(request, day_form=form, status=400)


@require_POST
@login_required
def calendar_day_remove(request, pk):
    require_office(request.user)
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    label = str(day)
    calendar_day_delete(day=day)
    messages.success(request, f"已删除：{label}。")
    return redirect(_calendar_url(year))


@require_POST
@login_required
def calendar_year_create(request):
    require_office(request.user)
    form = CalendarYearForm(request.POST)
    if form.is_valid():
        try:
            calendar_year_confirm(year=form.cleaned_data["year"], note=form.cleaned_data["note"], user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已确认{form.cleaned_data['year']}年节假日安排录入完整，工作日按此计算。")
            return redirect(_calendar_url(form.cleaned_data["year"]))
    if form.errors.get("year"):
        messages.error(request, "；".join(form.errors["year"]))
    return calendar_view(request, year_form=form, status=400)


@require_POST
@login_required
def calendar_year_seed(request):
    require_office(request.user)
    year = _year_param(request, 0)
    if calendar_seed(year=year):
        messages.success(request, f"已从 chinesecalendar 数据包导入{year}年节假日安排。")
    else:
        messages.error(request, f"数据包中没有{year}年的节假日安排，或该年度已录入，请手工录入。")
    return redirect(_calendar_url(year or today().year))


# --- chasing ---------------------------------------------------------------------------------------------

class ChaseForm(forms.Form):
    message = forms.CharField(label="催办内容", max_length=1000, error_messages={"required": "请填写催办内容。"},
                              widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


def _chase_rows(request, day: datetime.date):
    rows = chaseable(Assignment.objects.all()).filter(is_ongoing=False, due_date__isnull=False)
    scope = request.GET.get("scope", "overdue")
    if scope != "open":
        rows = rows.filter(due_date__lt=day)
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        rows = rows.filter(unit_id=int(unit))
    notice = request.GET.get("notice", "")
    if notice.isdigit():
        rows = rows.filter(notice_id=int(notice))
    year = request.GET.get("year", "")
    if year.isdigit():
        rows = rows.filter(year=int(year))
    rows = with_chase_counts(rows.with_ledger_related()).order_by("due_date", "unit_sort_order", "item_number", "id")
    return rows, {"scope": scope, "unit": unit, "notice": notice, "year": year}


@login_required
def chase_create_view(request):
    """催办: the office picks late rows (one or many) and writes one message to their units."""
    require_office(request.user)
    day = today()
    form = ChaseForm(request.POST or None, initial={"message": DEFAULT_CHASE_MESSAGE})
    selected = {int(v) for v in request.POST.getlist("assignments") + request.GET.getlist("ids") if v.isdigit()}
    status = 200
    if request.method == "POST":
        chosen = list(Assignment.objects.filter(pk__in=selected).select_related("notice", "unit", "item"))
        if form.is_valid():
            try:
                chases = chase_create(assignments=chosen, message=form.cleaned_data["message"], author=request.user,
                                      today=day)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                units = len({c.unit_id for c in chases})
                messages.success(request, f"已向{units}个单位催办{len(chases)}项，相关单位联络员已收到消息。")
                return redirect("workflow:chase-list")
        if not selected and not form.non_field_errors():
            form.add_error(None, "请至少选择一行台账。")
        status = 400
    rows, params = _chase_rows(request, day)
    rows = list(rows[:CHASE_PAGE_LIMIT + 1])
    calendar = WorkCalendar()
    for row in rows:
        row.late_working_days = calendar.working_days_between(row.due_date, day) if row.due_date < day else 0
    return render(request, "workflow/chase_create.html", {
        "form": form, "rows": rows[:CHASE_PAGE_LIMIT], "truncated": len(rows) > CHASE_PAGE_LIMIT,
        "limit": CHASE_PAGE_LIMIT, "selected": selected, "params": params, "today": day,
        "units": Unit.objects.in_fixed_order(), "notices": Notice.objects.order_by("-work_year", "doc_number"),
        "years": sorted(set(Notice.objects.values_list("work_year", flat=True)), reverse=True),
        "warnings": [fallback_message(y) for y in calendar.missing_years(day)],
    }, status=status)


@login_required
def chase_list(request):
    """The chase record: all chases for the office and leaders, a unit's own (and its led items') for units."""
    chases = (Chase.objects.visible_to(request.user)
              .select_related("unit", "created_by", "assignment__notice", "item").order_by("-created_at", "-id"))
    year = request.GET.get("year", "")
    if year.isdigit():
        chases = chases.filter(year=int(year))
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        chases = chases.filter(unit_id=int(unit))
    page = Paginator(chases, 50).get_page(request.GET.get("page"))
    counts = None
    if request.user.sees_everything:
        counts = Chase.objects.filter(year=int(year)) if year.isdigit() else Chase.objects.all()
        counts = list(counts.counts_per_unit())
    years = sorted(set(Chase.objects.visible_to(request.user).values_list("year", flat=True)), reverse=True)
    return render(request, "workflow/chase_list.html", {
        "page_obj": page, "chases": page.object_list, "is_paginated": page.has_other_pages(), "counts": counts,
        "year": year, "unit": unit, "years": years,
    })



# --- review ----------------------------------------------------------------------------------------------

class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", max_length=500, error_messages={"required": "请填写退回理由。"},
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control",
                                                          "placeholder": "说明需要补充或修改的内容"}))


def _pending_reports(user):
    return (ProgressReport.objects.filter(review_status=ProgressReport.Review.PENDING,
                                          assignment__in=Assignment.objects.reviewable_by(user))
            .select_related("assignment__unit", "assignment__notice", "assignment__item", "author")
            .prefetch_related("evidence").order_by("created_at", "id"))


@login_required
def review_list(request):
    """待审核: done-claims this user may accept or return, oldest first."""
    page = Paginator(_pending_reports(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "workflow/review_list.html", {
        "page_obj": page, "reports": page.object_list, "is_paginated": page.has_other_pages(),
        "return_form": ReturnForm(),
    })


def _reviewable_report(request, pk) -> ProgressReport:
    """404 for a report the user cannot see; 403 for one the user can see but not review."""
    report = get_scoped_or_404(request, ProgressReport.objects.visible_to(request.user)
                               .select_related("assignment__unit", "assignment__notice", "assignment__item"), pk=pk)
    if not can_review(request.user, report.assignment):
        raise PermissionDenied("您没有权限审核该单位的报送。")
    return report


def _back(request, report):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "workflow:review-list")


@require_POST
@login_required
def report_accept(request, pk):
    report = _reviewable_report(request, pk)
    try:
        review_accept(report=report, reviewer=request.user, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已审核通过“{report.assignment.unit}”第{report.assignment.item_number}项，"
                                  f"该项计为已完成。")
    return _back(request, report)


@login_required
def report_return(request, pk):
    """退回: GET shows the report and the reason form, POST returns it (reason required)."""
    report = _reviewable_report(request, pk)
    form = ReturnForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                review_return(report=report, reviewer=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"已退回“{report.assignment.unit}”第{report.assignment.item_number}项，"
                                          f"该单位联络员已收到退回理由。")
                return _back(request, report)
        status = 400
    return render(request, "workflow/review_return.html", {"report": report, "form": form,
                                                                 "next": request.GET.get("next", "")},
                  status=status)
