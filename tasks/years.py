"""Which work year a page opens on, and which years its selector offers: one rule for every year page.

A page opens on the latest work year with data (a notice with items the user can see), not on the
calendar year: in January–March the office still works on last year (its annual report is due then), so
while last year's annual report is open, last year is the default. A year without data stays selectable
but its option says 暂无数据.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db.models import Exists, OuterRef

from tasks.models import Item, Notice

# The months in which last year is still "the" work year while its annual report is open.
LAST_YEAR_MONTHS = (1, 2, 3)


def years_with_data(user) -> list[int]:
    """Work years of the notices with items that ``user`` can see, newest first."""
    # EXISTS per notice (a few hundred notices a year at most) instead of joining every item and ledger row.
    years = (Notice.objects.visible_to(user).filter(Exists(Item.objects.filter(notice_id=OuterRef("pk"))))
             .order_by().values_list("work_year", flat=True).distinct())
    return sorted(set(years), reverse=True)


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


def year_choices(data_years: Iterable[int], today: datetime.date, *, also: Iterable[int] = ()) -> list[tuple[int, str]]:
    """(year, label) options, newest first: every year with data, plus this year and ``also``; a year
    without data is labelled 暂无数据."""
    data = set(data_years)
    years = sorted(data | {today.year} | set(also), reverse=True)
    return [(year, f"{year}年" if year in data else f"{year}年（暂无数据）") for year in years]
