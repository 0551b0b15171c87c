"""Which work year a page opens on, and which years its selector offers: one rule for every year page.

A page opens on the latest work year with data (a notice with items the user can see), not on the
calendar year: in January–March the office still works on last year (its annual report is due then), so
while last year's annual report is open, last year is the default. A year without data stays selectable
but its option says 暂无数据; a year the user's government has closed (年度归档, tasks.archive) says 已归档.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db.models import Exists, OuterRef

from tasks.models import ClosedYear, Item, Notice

# The months in which last year is still "the" work year while its annual report is open.
LAST_YEAR_MONTHS = (1, 2, 3)


def years_with_data(user) -> list[int]:
    """Work years of the notices with items that ``user`` can see, newest first."""
    return year_data(user)[0]


def year_data(user) -> tuple[list[int], set[int]]:
    """(years with data as ``years_with_data`` gives them, those of them the user's government has closed),
    in one query: EXISTS per notice (a few hundred notices a year at most) instead of joining every item."""
    closed = ClosedYear.objects.filter(government_id=getattr(user, "government_id", None), year=OuterRef("work_year"))
    rows = set(Notice.objects.visible_to(user).filter(Exists(Item.objects.filter(notice_id=OuterRef("pk"))))
               .order_by().annotate(closed=Exists(closed)).values_list("work_year", "closed").distinct())
    return sorted({year for year, _ in rows}, reverse=True), {year for year, is_closed in rows if is_closed}


def default_work_year(data_years: Iterable[int], today: datetime.date, *,
                      annual_open: Callable[[int], bool] | None = None) -> int:
    """The year a year page opens on. ``annual_open(year)`` says whether that year's annual report is still
    open (not final); without it, last year counts as open in January–March."""
    years = sorted(set(data_years), reverse=True)
    last_year = today.year - 1
    if today.month in LAST_YEAR_MONTHS and last_year in years and (annual_open is None or annual_open(last_year)):
        return last_year
    current = [year for year in years if year <= today.year]
    if current:
        return current[0]
    return years[-1] if years else today.year


def year_label(year: int, *, has_data: bool = True, closed: bool = False) -> str:
    """A year as a selector shows it: 2021年（已归档）, 2027年（暂无数据）."""
    if closed:
        return f"{year}年（已归档）"
    return f"{year}年" if has_data else f"{year}年（暂无数据）"


def year_choices(data_years: Iterable[int], today: datetime.date, *, also: Iterable[int] = (),
                 closed: Iterable[int] = ()) -> list[tuple[int, str]]:
    """(year, label) options, newest first: every year with data, plus this year and ``also``; a year
    without data is labelled 暂无数据, a closed one 已归档."""
    data, closed = set(data_years), set(closed)
    years = sorted(data | {today.year} | set(also), reverse=True)
    return [(year, year_label(year, has_data=year in data, closed=year in closed)) for year in years]
