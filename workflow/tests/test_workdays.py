"""The working-day calendar: the seeded 2026 arrangement, admin corrections and the 2027 fallback."""
import datetime

import pytest

from workflow.calendar import (
    WorkCalendar,
    add_working_days,
    calendar_has_year,
    fallback_message,
    is_working_day,
    package_days,
    seed_from_package,
    working_days_between,
)
from workflow.models import CalendarDay, CalendarYear

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def calendar_2026(db):
    """The 2026 arrangement as the data migration seeds it (a flush by a live-server test removes it)."""
    seed_from_package(CalendarDay, CalendarYear, years=[2026])



def test_2026_is_seeded_from_the_package():
    assert calendar_has_year(2026)
    assert CalendarYear.objects.get(year=2026).source == CalendarYear.Source.PACKAGE
    national_day = CalendarDay.objects.filter(date__range=(D(2026, 10, 1), D(2026, 10, 7)))
    assert national_day.count() == 7
    assert set(national_day.values_list("name", flat=True)) == {"国庆节"}


@pytest.mark.parametrize("day, working", [
    (D(2026, 9, 18), True),    # Friday
    (D(2026, 9, 19), False),   # Saturday
    (D(2026, 9, 20), True),    # Sunday worked in lieu (调休上班)
    (D(2026, 10, 1), False),   # National Day
    (D(2026, 10, 5), False),   # Monday inside the holiday
    (D(2026, 10, 8), True),    # Thursday after the holiday
    (D(2026, 10, 10), True),   # Saturday worked in lieu
    (D(2026, 10, 11), False),  # Sunday
])
def test_is_working_day_follows_the_official_2026_arrangement(day, working):
    assert is_working_day(day) is working


def test_add_working_days_skips_the_national_day_holiday():
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 9)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)  # the make-up Saturday counts
    assert add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert add_working_days(D(2026, 10, 8), 0) == D(2026, 10, 8)


def test_working_days_between_counts_the_end_but_not_the_start():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    assert working_days_between(D(2026, 10, 9), D(2026, 9, 30)) == -2
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0


def test_2027_falls_back_to_monday_to_friday_without_calling_the_package():
    calendar = WorkCalendar()
    assert not calendar.has_year(2027)
    assert calendar.missing_years(D(2026, 12, 31), D(2027, 1, 1)) == [2027]
    assert calendar.is_working_day(D(2027, 1, 1)) is True   # a Friday: no arrangement entered yet
    assert calendar.is_working_day(D(2027, 1, 2)) is False  # Saturday
    assert add_working_days(D(2026, 12, 31), 2) == D(2027, 1, 4)
    assert fallback_message(2027) == "2027年节假日安排尚未录入，按周一至周五计算工作日"


def test_an_entered_2027_arrangement_is_used():
    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕X号")
    CalendarDay.objects.create(date=D(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    calendar = WorkCalendar()
    assert calendar.has_year(2027)
    assert calendar.is_working_day(D(2027, 1, 1)) is False
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_one_calendar_reads_each_year_once(django_assert_num_queries):
    calendar = WorkCalendar()
    with django_assert_num_queries(1):  # the year's days and whether it is entered, in one query
        for offset in range(60):
            calendar.is_working_day(D(2026, 9, 1) + datetime.timedelta(days=offset))


def test_seeding_again_keeps_admin_corrections_and_skips_known_years():
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    day.delete()  # say an admin removed a make-up day
    assert seed_from_package(CalendarDay, CalendarYear) == []
    assert not CalendarDay.objects.filter(date=D(2026, 10, 10)).exists()


def test_package_days_are_named_in_chinese():
    rows = package_days(2026)
    assert (D(2026, 9, 20), "workday", "国庆节") in rows
    assert (D(2026, 2, 17), "holiday", "春节") in rows


def test_working_days_between_matches_counting_day_by_day():
    calendar = WorkCalendar()
    start = D(2025, 12, 20)
    for span in (0, 1, 2, 5, 6, 7, 13, 40, 300, 420):
        end = start + datetime.timedelta(days=span)
        by_day = sum(1 for k in range(1, span + 1) if calendar.is_working_day(start + datetime.timedelta(days=k)))
        assert calendar.working_days_between(start, end) == by_day, span


def test_seed_calendar_command_fills_an_emptied_table_and_refuses_unknown_years():
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    CalendarYear.objects.filter(year=2025).delete()
    CalendarDay.objects.filter(date__year=2025).delete()
    out = io.StringIO()
    call_command("seed_calendar", year=[2025], stdout=out)
    assert out.getvalue().strip() == "已导入：2025年。"
    assert calendar_has_year(2025) and not is_working_day(D(2025, 10, 1))
    with pytest.raises(CommandError, match="数据包中没有2027年的节假日安排"):
        call_command("seed_calendar", year=[2027], stdout=io.StringIO())
