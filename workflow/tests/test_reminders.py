"""send_reminders: who gets what on which day, across the 2026 National Day holiday, run twice."""
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from conftest import make_item, make_user
from tasks.models import Assignment
from tasks.services import item_sync_assignments
from workflow.calendar import seed_from_package
from workflow.models import CalendarDay, CalendarYear, Notification

D = datetime.date


@pytest.fixture(autouse=True)
def calendar_2026(db):
    """The 2026 arrangement as the data migration seeds it (a flush by a live-server test removes it)."""
    seed_from_package(CalendarDay, CalendarYear, years=[2026])



def run(day: datetime.date) -> list[str]:
    out = io.StringIO()
    call_command("send_reminders", date=day.isoformat(), stdout=out)
    return out.getvalue().strip().splitlines()


@pytest.fixture
def people(alice, bob, charlie):
    alice.email = "alice@example.gov.cn"
    alice.save()
    return {"alice": alice, "bob": bob, "charlie": charlie}


def test_overdue_rows_remind_the_units_liaisons_once_per_working_day(notice, unit_a, unit_b, people):
    make_item(notice, 1, responsible=["区发改局"], deadline=D(2026, 11, 20))
    lines = run(D(2026, 11, 23))
    assert lines[-1] == "sent 1 reminders"
    note = Notification.objects.get()
    assert note.recipient == people["alice"] and note.kind == Notification.Kind.OVERDUE
    assert "已逾期1个工作日" in note.title
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.gov.cn"]
    assert "第1项" in mail.outbox[0].subject and "/tasks/assignments/" in mail.outbox[0].body

    assert run(D(2026, 11, 23))[-1] == "sent 0 reminders"  # idempotent
    assert len(mail.outbox) == 1
    assert run(D(2026, 11, 24))[-1] == "sent 1 reminders"  # the next working day again


def test_the_national_day_holiday_and_its_make_up_days(notice, unit_a, people):
    make_item(notice, 1, responsible=["区发改局"], deadline=D(2026, 9, 29))
    assert run(D(2026, 10, 1))[-2:] == ["2026年10月1日不是工作日，不发送提醒。", "sent 0 reminders"]
    assert run(D(2026, 10, 11))[-1] == "sent 0 reminders"  # an ordinary Sunday
    assert run(D(2026, 10, 10))[-1] == "sent 1 reminders"  # the make-up Saturday is a working day
    assert run(D(2026, 9, 20))[-1] == "sent 0 reminders"   # a make-up Sunday, but not overdue yet
    note = Notification.objects.get()
    # 9-30, 10-8, 10-9, 10-10 are the working days after the deadline.
    assert "已逾期4个工作日" in note.title


def test_before_due_reminders_fall_on_working_days_only(notice, unit_a, people):
    # Due Monday 10-12: the 7-day date is 10-05 (holiday), the 3-day date 10-09 (Friday).
    make_item(notice, 1, responsible=["区发改局"], deadline=D(2026, 10, 12))
    sent_on = {}
    day = D(2026, 9, 25)
    while day <= D(2026, 10, 12):
        last = run(day)[-1]
        if last != "sent 0 reminders":
            sent_on[day] = last
        day += datetime.timedelta(days=1)
    # The holiday's reminder goes out early, on the last working day before it; then the 3-day one.
    assert sent_on == {D(2026, 9, 30): "sent 1 reminders", D(2026, 10, 9): "sent 1 reminders"}
    titles = list(Notification.objects.order_by("key_date").values_list("title", flat=True))
    assert titles == ["临近时限：测政办〔2026〕1号 第1项还有12天到期", "临近时限：测政办〔2026〕1号 第1项还有3天到期"]


def test_closed_ongoing_and_unassigned_rows_are_skipped(notice, unit_a, unit_b, people):
    done = make_item(notice, 1, responsible=["区发改局"], deadline=D(2026, 11, 2)).assignments.get()
    done.status = Assignment.Status.DONE
    done.save()
    na = make_item(notice, 2, responsible=["区发改局"], deadline=D(2026, 11, 2)).assignments.get()
    na.status = Assignment.Status.NOT_APPLICABLE
    na.save()
    make_item(notice, 3, responsible=["区发改局"], deadline_text="持续推进")
    moved = make_item(notice, 4, responsible=["区发改局", "区教育局"], deadline=D(2026, 11, 2))
    moved.responsible_units_text = ["区教育局"]  # unit A is taken off item 4
    moved.save()
    item_sync_assignments(item=moved)
    assert run(D(2026, 11, 23))[-1] == "sent 1 reminders"
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["charlie"]


def test_only_active_liaisons_of_the_unit_now(notice, unit_a, unit_b, people):
    make_item(notice, 1, responsible=["区发改局"], deadline=D(2026, 11, 2))
    make_user("dora", unit=unit_a, role="liaison", is_active=False)
    people["alice"].unit = unit_b  # alice moved to unit B
    people["alice"].save()
    assert run(D(2026, 11, 23))[-1] == "sent 0 reminders"


def test_the_unique_key_refuses_a_second_copy(notice, unit_a, people):
    row = make_item(notice, 1, responsible=["区发改局"], deadline=D(2026, 11, 2)).assignments.get()
    key = {"assignment": row, "kind": Notification.Kind.OVERDUE, "key_date": D(2026, 11, 23),
           "recipient": people["alice"], "title": "x"}
    Notification.objects.create(**key)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**key)  # what a second server racing the first would hit
    assert run(D(2026, 11, 23))[-1] == "sent 0 reminders"


def test_2027_without_an_arrangement_says_so_and_uses_monday_to_friday(notice, unit_a, people):
    make_item(notice, 1, responsible=["区发改局"], deadline=D(2026, 12, 31))
    lines = run(D(2027, 1, 1))
    assert lines[0] == "2027年节假日安排尚未录入，按周一至周五计算工作日"
    assert lines[-1] == "sent 1 reminders"  # 1 January 2027 is a Friday: treated as a working day


def test_a_bad_date_is_refused_in_chinese(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("send_reminders", date="2026-13-01", stdout=io.StringIO())


# --- one run per day at a time (issue 16: overlapping runs split one person's digest) ------------------

def test_a_run_started_while_another_sends_the_same_day_sends_nothing(notice, unit_a, people, settings):
    from workflow.models import ReminderRunLock
    from workflow.reminders import reminder_run_lock

    settings.GOVOPEN_REMINDER_LOCK_WAIT_SECONDS = 0
    make_item(notice, 1, responsible=["区发改局"], deadline=D(2026, 11, 20))
    make_item(notice, 2, responsible=["区发改局"], deadline=D(2026, 11, 19))
    with reminder_run_lock(D(2026, 11, 23)):  # another server's run, still sending
        lines = run(D(2026, 11, 23))
        assert lines[0].startswith("2026年11月23日的提醒正由另一次运行发送（")
        assert lines[0].endswith("本次未发送，以免同一人收到多封邮件。") and lines[-1] == "sent 0 reminders"
        assert not Notification.objects.exists() and not mail.outbox
        assert run(D(2026, 11, 24))[-1] == "sent 2 reminders"  # another day is not blocked
    lines = run(D(2026, 11, 23))  # once it is done, the day's run goes through: one e-mail for both rows
    assert lines[-1] == "sent 2 reminders"
    assert len(mail.outbox) == 2  # one digest per run: the 24th's and the 23rd's, never split
    assert "第1项" in mail.outbox[-1].body and "第2项" in mail.outbox[-1].body
    assert ReminderRunLock.objects.get(day=D(2026, 11, 23)).holder == ""


def test_a_lock_left_by_a_run_that_died_is_taken_over(notice, unit_a, people):
    from django.utils import timezone

    from workflow.models import ReminderRunLock

    make_item(notice, 1, responsible=["区发改局"], deadline=D(2026, 11, 20))
    ReminderRunLock.objects.create(day=D(2026, 11, 23), holder="dead-run",
                                   started_at=timezone.now() - datetime.timedelta(hours=2))
    assert run(D(2026, 11, 23))[-1] == "sent 1 reminders"
    lock = ReminderRunLock.objects.get(day=D(2026, 11, 23))
    assert lock.holder == "" and lock.finished_at is not None


def test_runs_of_different_days_take_turns_on_the_digests(notice, unit_a, people, settings):
    from workflow.reminders import DIGESTS_LOCK_DAY, reminder_run_lock

    settings.GOVOPEN_REMINDER_LOCK_WAIT_SECONDS = 0
    make_item(notice, 1, responsible=["区发改局"], deadline=D(2026, 11, 20))
    with reminder_run_lock(DIGESTS_LOCK_DAY):  # a run of another day is sending digests
        lines = run(D(2026, 11, 24))
        assert lines[0].startswith("汇总消息正由另一次运行发送（") and lines[-1] == "sent 0 reminders"
        assert not Notification.objects.exists() and not mail.outbox
    assert run(D(2026, 11, 24))[-1] == "sent 1 reminders" and len(mail.outbox) == 1
