"""Deadline reminders (`reminders_send`, run once a day by `manage.py send_reminders`):
- nothing is sent on a day that is not a working day;
- "N days before" (settings.GOVOPEN_REMINDER_DAYS_BEFORE, calendar days): on a working day D, a row
  gets a reminder when one of its reminder dates (due date − N) falls between D and the next working
  day (so a reminder date on a weekend or holiday is sent early, on the working day before it); when
  several fall in that span (a long holiday) only the nearest to the deadline is sent;
- overdue: every working day while the row is open and past its due date;
- only open rows with a due date: not done / 不涉及 / ongoing, not waiting for review; only rows that
  still exist (a unit removed from an item has no row any more) of active units, to the unit's active
  liaisons as they are at send time;
- stalled (停滞, tasks.querysets.stalled_q): a row with its deadline ahead and no progress for
  settings.GOVOPEN_STALLED_WORKING_DAYS working days, once per quiet spell (keyed on its last activity);
- each notification has a unique key (row, kind, date, recipient): a second run, or a run on another
  server at the same time, creates nothing new and so sends nothing;
- then the digests (workflow.digests.digests_send): what is new goes out as one message per person and
  channel and per unit work group, outside the quiet hours (urgent messages always), failed sends retried.
  The run may therefore be scheduled often (e.g. every 30 minutes): reminders are made once a day, messages
  from the app (chases, reviews, new work) leave with the next run.
"""
from __future__ import annotations

import datetime
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.dates import cn_date
from tasks.models import Assignment
from workflow.calendar import WorkCalendar, days_overdue, fallback_message, overdue_text
from workflow.chasing import chaseable
from workflow.digests import DigestRun, digests_send
from workflow.models import Notification, ReminderRunLock
from workflow.notifications import assignment_title, recipients_by_unit


@dataclass
class ReminderRun:
    day: datetime.date
    working_day: bool = True
    warnings: list[str] = field(default_factory=list)
    due_soon: int = 0
    overdue: int = 0
    stalled: int = 0
    already_sent: int = 0
    digest: DigestRun | None = None

    @property
    def sent(self) -> int:
        return self.due_soon + self.overdue + self.stalled

    @property
    def emails(self) -> int:
        """Sends delivered by this run's digests (every channel)."""
        return self.digest.delivered if self.digest else 0


# Other reminders sent by the same daily run (apps above this one register them in AppConfig.ready()):
# callables (day=, next_day=, days_before=) -> list of new Notification, e.g. the annual-report deadlines.
REMINDER_SOURCES: list = []


def _reminder_candidates(day: datetime.date, horizon: datetime.date):
    rows = (chaseable(Assignment.objects.all())
            .filter(is_ongoing=False, due_date__isnull=False, unit__is_active=True)
            .filter(Q(due_date__lt=day) | Q(due_date__gte=day, due_date__lt=horizon))
            .select_related("notice", "unit", "item"))
    return rows.order_by("due_date", "unit_sort_order", "id")


def _due_soon_key(due: datetime.date, day: datetime.date, next_day: datetime.date, days_before) -> datetime.date | None:
    """The reminder date to send today for a row due on `due`, if any (the nearest to the deadline)."""
    keys = [due - datetime.timedelta(days=n) for n in days_before]
    in_span = [k for k in keys if day <= k < next_day]
    return max(in_span) if in_span else None


def stalled_cutoff(today: datetime.date, *, calendar: WorkCalendar | None = None) -> datetime.date:
    """THE cutoff of "stalled": settings.GOVOPEN_STALLED_WORKING_DAYS working days before today (registered
    as tasks.querysets.STALLED_CUTOFF for the ledger)."""
    return (calendar or WorkCalendar()).add_working_days(today, -settings.GOVOPEN_STALLED_WORKING_DAYS)


def _stalled_reminders(day: datetime.date, calendar: WorkCalendar, run: ReminderRun) -> list[int]:
    rows = list(Assignment.objects.stalled(stalled_cutoff(day, calendar=calendar), day).in_open_years()
                .filter(unit__is_active=True).select_related("notice", "unit", "item")
                .order_by("unit_sort_order", "due_date", "id"))
    liaisons = recipients_by_unit(a.unit_id for a in rows)
    created = []
    for assignment in rows:
        last = assignment.last_reported_on or timezone.localdate(assignment.created_at)
        since = f"自{cn_date(last)}{'报送后' if assignment.last_reported_on else '分配后'}"
        title = f"停滞提醒：{assignment_title(assignment)}{since}未报送进展"
        body = (f"{assignment.unit}：{assignment.item.short_text}（完成时限{cn_date(assignment.due_date)}），"
                f"已有{settings.GOVOPEN_STALLED_WORKING_DAYS}个工作日以上没有报送进展，请及时推进并报送落实情况。")
        for user in liaisons.get(assignment.unit_id, []):
            note, fresh = Notification.objects.get_or_create(
                assignment=assignment, kind=Notification.Kind.STALLED, key_date=last, recipient=user,
                defaults={"title": title[:200], "body": body, "link": assignment.get_absolute_url(),
                          "unit_id": assignment.unit_id})
            if fresh:
                created.append(note.pk)
                run.stalled += 1
            else:
                run.already_sent += 1
    return created


def reminders_send(*, day: datetime.date, calendar: WorkCalendar | None = None,
                   days_before: list[int] | None = None, now: datetime.datetime | None = None) -> ReminderRun:
    """One reminder run for `day`, then the digests as of `now` (default: 09:00 of `day`, local time). Each
    notification commits on its own, so parallel runs cannot double-send."""
    calendar = calendar or WorkCalendar()
    days_before = sorted(set(settings.GOVOPEN_REMINDER_DAYS_BEFORE if days_before is None else days_before))
    now = now or timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    run = ReminderRun(day=day)
    run.warnings += [fallback_message(y) for y in calendar.missing_years(day)]
    if not calendar.is_working_day(day):
        run.working_day = False
        run.digest = digests_send(now=now, calendar=calendar)  # urgent messages and their retries only
        return run
    next_day = calendar.next_working_day(day)
    run.warnings += [fallback_message(y) for y in calendar.missing_years(next_day) if y != day.year]
    horizon = next_day + datetime.timedelta(days=max(days_before, default=0))
    rows = list(_reminder_candidates(day, horizon))
    liaisons = recipients_by_unit(a.unit_id for a in rows)
    for assignment in rows:
        if assignment.due_date < day:
            kind, key = Notification.Kind.OVERDUE, day
            late = days_overdue(assignment.due_date, day, calendar=calendar)
            title = f"逾期提醒：{assignment_title(assignment)}已{overdue_text(late)}"
        else:
            key = _due_soon_key(assignment.due_date, day, next_day, days_before)
            if key is None:
                continue
            kind = Notification.Kind.DUE_SOON
            left = (assignment.due_date - day).days
            title = f"临近时限：{assignment_title(assignment)}还有{left}天到期"
        body = (f"{assignment.unit}：{assignment.item.short_text}（完成时限{cn_date(assignment.due_date)}），"
                f"请按时落实并在系统中报送落实情况。")
        for user in liaisons.get(assignment.unit_id, []):
            note, created = Notification.objects.get_or_create(
                assignment=assignment, kind=kind, key_date=key, recipient=user,
                defaults={"title": title, "body": body, "link": assignment.get_absolute_url(),
                          "unit_id": assignment.unit_id})
            if not created:
                run.already_sent += 1
                continue
            if kind == Notification.Kind.OVERDUE:
                run.overdue += 1
            else:
                run.due_soon += 1
    for source in REMINDER_SOURCES:
        for note in source(day=day, next_day=next_day, days_before=days_before):
            run.overdue += note.kind == Notification.Kind.OVERDUE
            run.due_soon += note.kind == Notification.Kind.DUE_SOON
    _stalled_reminders(day, calendar, run)
    run.digest = digests_send(now=now, calendar=calendar)
    return run


# --- one run per day at a time ------------------------------------------------------------------------

LOCK_LEASE = datetime.timedelta(hours=1)  # a run holding the lock longer than this has died
# The digests are not per day: every run sends whatever is pending. Runs for different days (the cron's and a
# manual --date) therefore also take turns on this one row, so two runs never build the same person's digest.
DIGESTS_LOCK_DAY = datetime.date(1970, 1, 1)


class ReminderRunBusy(Exception):
    """Another run is sending this day's reminders and did not finish within the wait."""

    def __init__(self, lock: ReminderRunLock):
        self.lock = lock
        started = timezone.localtime(lock.started_at).strftime("%H:%M:%S") if lock.started_at else "不久前"
        what = "汇总消息" if lock.day == DIGESTS_LOCK_DAY else f"{cn_date(lock.day)}的提醒"
        super().__init__(f"{what}正由另一次运行发送（{started}开始），本次未发送，以免同一人收到多封邮件。")


@contextmanager
def reminder_run_lock(day: datetime.date, *, wait_seconds: float | None = None, poll_seconds: float = 1.0):
    """Hold the day's reminder lock inside the block: a database row claimed by a conditional UPDATE, so
    runs on several servers (or an overlapping cron) take turns. Waits up to `wait_seconds`
    (settings.GOVOPEN_REMINDER_LOCK_WAIT_SECONDS) for a running one to finish, then raises
    ReminderRunBusy. Each statement commits on its own (call it outside a transaction)."""
    wait = settings.GOVOPEN_REMINDER_LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds
    token = uuid.uuid4().hex
    ReminderRunLock.objects.get_or_create(day=day)
    give_up = time.monotonic() + wait
    while True:
        now = timezone.now()
        free = Q(holder="") | Q(started_at__lt=now - LOCK_LEASE) | Q(started_at__isnull=True)
        if ReminderRunLock.objects.filter(free, day=day).update(holder=token, started_at=now, finished_at=None):
            break
        if time.monotonic() >= give_up:
            raise ReminderRunBusy(ReminderRunLock.objects.get(day=day))
        time.sleep(poll_seconds)
    try:
        yield
    finally:
        ReminderRunLock.objects.filter(day=day, holder=token).update(holder="", finished_at=timezone.now())

