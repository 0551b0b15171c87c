"""Shared helpers of the summary pages: the year/notice scope read from the query string."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import Http404

from reports.forms import ScopeForm
from reports.models import AnnualReport
from tasks.models import Notice
from tasks.years import default_work_year, year_choices, year_data


@dataclass
class Scope:
    year: int
    notice: Notice | None
    form: ScopeForm
    closed: bool = False  # the year is closed (年度归档): its pages say 已归档

    @property
    def query(self) -> str:
        return f"year={self.year}" + (f"&notice={self.notice.pk}" if self.notice else "")

    def label(self, user) -> str:
        text = self.notice.doc_number if self.notice else "全部通知"
        if not user.sees_everything:
            text += f"（{user.unit.short_name if user.unit_id else '无单位'}可见范围）"
        return text


def annual_report_open(year: int) -> bool:
    """Whether the government's annual report of ``year`` is still being written (not yet 已定稿)."""
    return not AnnualReport.objects.filter(year=year, unit__isnull=True, status=AnnualReport.Status.FINAL).exists()


def read_scope(request, today: datetime.date, *, strict: bool = False) -> Scope:
    """Year and notice from ?year=&notice=; a notice the user cannot see is a 404 when ``strict``."""
    data_years, closed = year_data(request.user)
    default_year = default_work_year(data_years, today, annual_open=annual_report_open)
    form = ScopeForm(request.GET, user=request.user, years=year_choices(data_years, today, closed=closed),
                     default_year=default_year)
    if form.is_valid():
        year = form.cleaned_data["year"]
        return Scope(year=year, notice=form.cleaned_data["notice"], form=form, closed=year in closed)
    if strict:
        raise Http404("没有找到该年度或通知。")
    return Scope(year=default_year, notice=None, form=form, closed=default_year in closed)
