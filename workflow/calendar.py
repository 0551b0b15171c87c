"""Working days (工作日) by China's official holiday calendar, read from the CalendarDay table.

A day is a working day when the table says so (调休上班), is not one when the table marks it a holiday,
and otherwise follows Monday–Friday. A year without a CalendarYear row has no arrangement entered yet:
the Monday–Friday rule applies alone and callers show `fallback_message(year)`.

The chinesecalendar package is read only to seed the table (`seed_from_package`), never at runtime:
it raises NotImplementedError for years past its data.

    cal = WorkCalendar()            # one instance caches the years it has read
    cal.is_working_day(d)
    cal.add_working_days(d, 2)      # "2个工作日内" from d
    cal.working_days_between(a, b)  # working days in (a, b]
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateField, Value

from core.dates import cn_date
from workflow.models import CalendarDay, CalendarYear

ONE_DAY = datetime.timedelta(days=1)
YEAR_ENTERED = "year"  # WorkCalendar._load's marker row: the year's CalendarYear exists


def fallback_message(year: int) -> str:
    return f"{year}年节假日安排尚未录入，按周一至周五计算工作日"


def _weekdays_through(day: datetime.date) -> int:
    """Monday–Friday days from a fixed Monday (0001-01-01) up to and including `day`."""
    ordinal = day.toordinal()  # 0001-01-01 (ordinal 1) is a Monday
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


class WorkCalendar:
    """Holiday table lookups for the years touched, read once per year."""

    def __init__(self):
        self._days: dict[int, dict[datetime.date, bool]] = {}
        self._known: dict[int, bool] = {}

    def _load(self, year: int) -> dict[datetime.date, bool]:
        """The year's exceptions and whether its arrangement is entered, in one query: the days, and one row
        without a date when the CalendarYear exists."""
        if year not in self._days:
            entered = (CalendarYear.objects.filter(year=year).order_by()
                       .annotate(day=Value(None, output_field=DateField()), what=Value(YEAR_ENTERED))
                       .values_list("day", "what"))
            rows = CalendarDay.objects.filter(date__year=year).order_by().values_list("date", "kind")
            days, known = {}, False
            for day, kind in rows.union(entered, all=True):
                if day is None:
                    known = True
                else:
                    days[day] = kind == CalendarDay.Kind.WORKDAY
            self._days[year], self._known[year] = days, known
        return self._days[year]

    def has_year(self, year: int) -> bool:
        self._load(year)
        return self._known[year]

    def missing_years(self, *dates: datetime.date | None) -> list[int]:
        return sorted({d.year for d in dates if d is not None and not self.has_year(d.year)})

    def is_working_day(self, day: datetime.date) -> bool:
        exception = self._load(day.year).get(day)
        if exception is not None:
            return exception
        return day.weekday() < 5

    def add_working_days(self, day: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `day` (before it when n < 0); `day` itself when n == 0."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        remaining = abs(n)
        current = day
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days d with start < d <= end; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = _weekdays_through(end) - _weekdays_through(start)
        for year in range(start.year, end.year + 1):
            for day, working in self._load(year).items():
                if start < day <= end and working != (day.weekday() < 5):
                    count += 1 if working else -1
        return count

    def next_working_day(self, day: datetime.date) -> datetime.date:
        return self.add_working_days(day, 1)

    def previous_working_day(self, day: datetime.date) -> datetime.date:
        return self.add_working_days(day, -1)


def is_working_day(day: datetime.date, *, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or WorkCalendar()).is_working_day(day)


def add_working_days(day: datetime.date, n: int, *, calendar: WorkCalendar | None = None) -> datetime.date:
    return (calendar or WorkCalendar()).add_working_days(day, n)


def working_days_between(start: datetime.date, end: datetime.date, *, calendar: WorkCalendar | None = None) -> int:
    return (calendar or WorkCalendar()).working_days_between(start, end)


def days_overdue(due: datetime.date, today: datetime.date, *, calendar: WorkCalendar | None = None) -> int:
    """THE "days overdue" of a row due on `due`: working days after it up to and including `today`
    (0 when not yet late). One unit everywhere — reminders, the 逾期清单, exports — shown with its name
    through `overdue_text`."""
    if today <= due:
        return 0
    return (calendar or WorkCalendar()).working_days_between(due, today)


def overdue_text(days: int) -> str:
    """How a number of days overdue is shown: 逾期3个工作日."""
    return f"逾期{days}个工作日"


def calendar_has_year(year: int) -> bool:
    return CalendarYear.objects.filter(year=year).exists()


# --- seeding from the chinesecalendar package -------------------------------------------------------------

def package_years() -> list[int]:
    """Years the installed chinesecalendar package has data for."""
    from chinese_calendar import constants

    return sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})


def package_days(year: int) -> list[tuple[datetime.date, str, str]]:
    """(date, kind, Chinese festival name) for every exceptional day of a year in the package."""
    from chinese_calendar import constants

    def chinese(name: str) -> str:
        try:
            return constants.Holiday(name).chinese
        except ValueError:
            return name

    rows = [(d, "holiday", chinese(n)) for d, n in constants.holidays.items() if d.year == year]
    rows += [(d, "workday", chinese(n)) for d, n in constants.workdays.items() if d.year == year]
    return sorted(rows)


def seed_from_package(day_model, year_model, *, years: list[int] | None = None) -> list[int]:
    """Add the package's years that the table does not know yet; days already in the table are kept.

    Takes the model classes so a data migration can pass its historical models. Returns the years added.
    """
    available = package_years()
    wanted = available if years is None else years
    known = set(year_model.objects.values_list("year", flat=True))
    added = []
    for year in wanted:
        if year in known or year not in available:
            continue
        existing = set(day_model.objects.filter(date__year=year).values_list("date", flat=True))
        day_model.objects.bulk_create([
            day_model(date=d, kind=kind, name=name) for d, kind, name in package_days(year) if d not in existing
        ])
        year_model.objects.create(year=year, source="package", note="由 chinesecalendar 数据包导入")
        added.append(year)
    return added


# --- changing the calendar (office admins) ----------------------------------------------------------------

@transaction.atomic
def calendar_day_add(*, date: datetime.date, kind: str, name: str = "") -> CalendarDay:
    """Add a holiday or a make-up working day (调休上班) to the calendar table."""
    if CalendarDay.objects.filter(date=date).exists():
        raise ValidationError({"date": f"{cn_date(date)}已在节假日表中，如需修改请先删除原记录。"})
    if kind == CalendarDay.Kind.WORKDAY and date.weekday() < 5:
        raise ValidationError({"kind": f"{cn_date(date)}是周一至周五，本来就是工作日，无需设为调休上班。"})
    if kind not in CalendarDay.Kind.values:
        raise ValidationError({"kind": "请选择“放假”或“调休上班”。"})
    return CalendarDay.objects.create(date=date, kind=kind, name=(name or "").strip()[:50])


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay) -> None:
    day.delete()


@transaction.atomic
def calendar_year_confirm(*, year: int, note: str = "", user=None) -> CalendarYear:
    """Declare a year's arrangement complete: from now on its working days follow the table."""
    if CalendarYear.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year}年的节假日安排已确认录入。"})
    if not CalendarDay.objects.filter(date__year=year).exists():
        raise ValidationError({"year": f"{year}年还没有录入任何放假或调休日期，请先逐日录入后再确认。"})
    return CalendarYear.objects.create(year=year, source=CalendarYear.Source.MANUAL, note=(note or "").strip()[:200],
                                       created_by=user)


@transaction.atomic
def calendar_seed(*, year: int) -> bool:
    """Import a year from the installed chinesecalendar package; False when the package has no such year."""
    if year not in package_years():
        return False
    return bool(seed_from_package(CalendarDay, CalendarYear, years=[year]))
