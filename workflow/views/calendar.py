"""The working-day calendar page: holidays and make-up working days, year confirmation and seeding."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.forms import add_errors
from core.http import require_office, today
from workflow.calendar import (
    calendar_day_add,
    calendar_day_delete,
    calendar_seed,
    calendar_year_confirm,
    fallback_message,
    package_years,
)
from workflow.forms import CalendarDayForm, CalendarYearForm
from workflow.models import CalendarDay, CalendarYear

WEEKDAYS = "一二三四五六日"

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
            add_errors(form, exc)
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
            add_errors(form, exc)
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
