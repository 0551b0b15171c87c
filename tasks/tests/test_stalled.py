"""停滞 (stalled): deadline ahead, no progress for N working days. One rule (tasks.querysets.stalled_q, with
Assignment.is_stalled for one row), the cutoff counted in working days by workflow's calendar; shown on the
ledger (a marker beside the status, a filter) and reminded once per quiet spell."""
import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import TODAY, make_item
from tasks.models import Assignment
from tasks.querysets import stalled_cutoff
from workflow.calendar import WorkCalendar, seed_from_package
from workflow.models import CalendarDay, CalendarYear, Notification
from workflow.reminders import reminders_send

D = datetime.date


@pytest.fixture(autouse=True)
def calendar_2026(db):
    seed_from_package(CalendarDay, CalendarYear, years=[2026])


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("tasks.views.ledger.today", lambda: TODAY)


SEPTEMBER_1 = D(2026, 9, 1)


def row(notice, number, unit, *, due, reported=None, created=SEPTEMBER_1, status="in_progress"):
    assignment = make_item(notice, number, responsible=[unit], deadline=due).assignments.get()
    Assignment.objects.filter(pk=assignment.pk).update(
        last_reported_on=reported, status=status,
        created_at=timezone.make_aware(datetime.datetime.combine(created, datetime.time(10))))
    assignment.refresh_from_db()
    return assignment


@pytest.fixture
def rows(notice, unit_a, unit_b):
    return {
        "old_report": row(notice, 1, "区发改局", due=D(2026, 12, 31), reported=D(2026, 10, 9)),
        "recent_report": row(notice, 2, "区发改局", due=D(2026, 12, 31), reported=D(2026, 11, 20)),
        "never_reported": row(notice, 3, "区教育局", due=D(2026, 12, 15)),
        "assigned_lately": row(notice, 4, "区教育局", due=D(2026, 12, 15), created=D(2026, 11, 16)),
        "overdue": row(notice, 5, "区发改局", due=D(2026, 11, 20), reported=D(2026, 9, 1)),
        "done": row(notice, 6, "区发改局", due=D(2026, 12, 31), reported=D(2026, 9, 1), status="done"),
        "in_review": row(notice, 7, "区发改局", due=D(2026, 12, 31), reported=D(2026, 9, 1), status="pending_review"),
    }


def test_the_cutoff_counts_working_days_across_the_national_day_holiday():
    cutoff = stalled_cutoff(TODAY)
    assert WorkCalendar().working_days_between(cutoff, TODAY) == 20
    assert cutoff == D(2026, 10, 26)  # 20 working days before Monday 23 November
    # the National Day holiday does not count, its make-up Sunday 20 September does
    assert stalled_cutoff(D(2026, 10, 12)) == D(2026, 9, 8)
    assert WorkCalendar().working_days_between(D(2026, 9, 8), D(2026, 10, 12)) == 20


def test_the_queryset_and_the_row_agree(rows):
    cutoff = stalled_cutoff(TODAY)
    stalled = set(Assignment.objects.stalled(cutoff, TODAY).values_list("pk", flat=True))
    assert stalled == {rows["old_report"].pk, rows["never_reported"].pk}
    for assignment in rows.values():
        assert assignment.is_stalled(cutoff, TODAY) == (assignment.pk in stalled)


def test_the_ledger_marks_stalled_rows_and_filters_them(client, office, rows):
    client.force_login(office)
    page = client.get(reverse("tasks:ledger")).content.decode()
    assert page.count(">停滞</span>") == 2
    assert "只看停滞" in page
    only = client.get(reverse("tasks:ledger"), {"stalled": "on"}).content.decode()
    assert only.count(">停滞</span>") == 2
    assert "第1项工作要求" in only and "第3项工作要求" in only and "第2项工作要求" not in only


def test_stalled_rows_are_reminded_once_and_appear_in_the_digest(alice, charlie, rows):
    alice.email = "alice@example.gov.cn"
    alice.save()
    run = reminders_send(day=TODAY)
    assert run.stalled == 2
    note = Notification.objects.get(kind="stalled", recipient=alice)
    assert note.title == "停滞提醒：测政办〔2026〕1号 第1项自2026年10月9日报送后未报送进展"
    assert note.key_date == D(2026, 10, 9)
    mine = next(m for m in mail.outbox if m.to == ["alice@example.gov.cn"])
    assert "【停滞】（1条）" in mine.body
    assert reminders_send(day=D(2026, 11, 24)).stalled == 0  # the same quiet spell: not again


def test_the_stalled_filter_and_marker_read_the_calendar_once(client, office, rows):
    """The filter and the marker beside the status share one cutoff: the work calendar is read once a request."""
    client.force_login(office)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("tasks:ledger"), {"stalled": "on"}).content.decode()
    assert html.count(">停滞</span>") == 2  # old_report and never_reported
    calendar_reads = [q["sql"] for q in ctx.captured_queries if "workflow_calendarday" in q["sql"]]
    assert len(calendar_reads) == 1
