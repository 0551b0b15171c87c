"""The legal clock in working days: 20 days, 补正 restart, one extension, third-party pause, 调休."""
import pytest

from disclosure.clock import clock_for, working_days_left
from disclosure.tests.builders import d
from workflow.calendar import WorkCalendar
from workflow.models import CalendarDay

pytestmark = pytest.mark.django_db


def ev(kind, day):
    return {"kind": kind, "date": d(day)}


def test_answer_due_twenty_working_days_after_receipt():
    # Received Monday 2026-03-02: 20 working days (four weeks of weekdays) → Monday 2026-03-30.
    clock = clock_for(received_on=d("2026-03-02"), events=[])
    assert clock.due_on == d("2026-03-30")
    assert clock.state == "running"
    assert clock.correction_notice_due == d("2026-03-11")  # 7 working days


def test_received_on_a_saturday_counts_from_monday():
    assert clock_for(received_on=d("2026-03-07"), events=[]).due_on == d("2026-04-03")


def test_correction_pauses_then_restarts_in_full_from_its_arrival():
    events = [ev("correction_sent", "2026-03-04")]
    waiting = clock_for(received_on=d("2026-03-02"), events=events)
    assert waiting.state == "awaiting_correction" and waiting.due_on is None
    events.append(ev("correction_received", "2026-03-16"))
    restarted = clock_for(received_on=d("2026-03-02"), events=events)
    assert restarted.state == "running"
    assert restarted.start == d("2026-03-16")
    assert restarted.due_on == d("2026-04-13")  # 20 working days after Monday 16 March


def test_correction_notice_after_seven_working_days_is_flagged():
    late = clock_for(received_on=d("2026-03-02"), events=[ev("correction_sent", "2026-03-12")])
    assert late.correction_notice_late
    assert not clock_for(received_on=d("2026-03-02"), events=[ev("correction_sent", "2026-03-11")]).correction_notice_late


def test_one_extension_adds_twenty_working_days_a_second_does_not():
    once = clock_for(received_on=d("2026-03-02"), events=[ev("extension", "2026-03-25")])
    assert once.due_on == d("2026-04-27") and once.extended
    twice = clock_for(received_on=d("2026-03-02"), events=[ev("extension", "2026-03-25"), ev("extension", "2026-04-20")])
    assert twice.due_on == d("2026-04-27")
    assert twice.problems == ["答复期限只能延长一次"]


def test_third_party_consultation_is_not_counted():
    events = [ev("consultation_sent", "2026-03-06")]  # Friday, after 4 working days
    paused = clock_for(received_on=d("2026-03-02"), events=events)
    assert paused.state == "consulting" and paused.due_on is None and paused.used_days == 4
    events.append(ev("consultation_answered", "2026-03-20"))  # 10 working days later
    resumed = clock_for(received_on=d("2026-03-02"), events=events)
    assert resumed.paused_days == 10
    assert resumed.due_on == d("2026-04-13")  # 30 March + 10 working days


def test_extension_and_consultation_together():
    events = [ev("consultation_sent", "2026-03-06"), ev("consultation_answered", "2026-03-20"),
              ev("extension", "2026-04-01")]
    assert clock_for(received_on=d("2026-03-02"), events=events).due_on == d("2026-05-11")


def test_holidays_and_make_up_working_days_follow_the_calendar():
    # 国庆: 1–7 October off (Thursday to Wednesday), Saturday 10 October worked (调休).
    for day in range(1, 8):
        CalendarDay.objects.create(date=d(f"2026-10-0{day}"), kind="holiday", name="国庆节")
    CalendarDay.objects.create(date=d("2026-10-10"), kind="workday", name="国庆节")
    cal = WorkCalendar()
    # Received Tuesday 29 September: 30 Sep (1), 8 Oct (2), 9 Oct (3), Sat 10 Oct (4), 12–16 (9), 19–23 (14),
    # 26–30 (19), 2 Nov (20).
    clock = clock_for(received_on=d("2026-09-29"), events=[], calendar=cal)
    assert clock.due_on == d("2026-11-02")
    # Without the calendar rows the same application would be due on 27 October.
    CalendarDay.objects.all().delete()
    assert clock_for(received_on=d("2026-09-29"), events=[], calendar=WorkCalendar()).due_on == d("2026-10-27")


def test_working_days_left_is_zero_on_the_day_and_negative_after():
    cal = WorkCalendar()
    assert working_days_left(d("2026-03-30"), d("2026-03-23"), calendar=cal) == 5
    assert working_days_left(d("2026-03-30"), d("2026-03-30"), calendar=cal) == 0
    assert working_days_left(d("2026-03-30"), d("2026-04-01"), calendar=cal) == -2
