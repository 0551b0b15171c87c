"""The legal clock of an application (政府信息公开条例 第三十条、第三十二条、第三十三条), in working days.

- The answer is due 20 working days after the day the application was received (第三十三条).
- One extension of 20 more working days may be approved (第三十三条第二款); a second is refused.
- A 补正 notice must go out within 7 working days of receipt (第三十条); while the applicant has not sent
  the corrected application the clock stands still, and it restarts in full from the day the correction
  arrives ("答复期限自行政机关收到补正的申请之日起计算").
- Time spent consulting a third party is not counted (第三十三条第三款): the working days from the day
  the request goes out to the day the answer comes back are added to the limit.

Working days come from the calendar with 调休 (workflow.calendar): a make-up Saturday counts, a holiday
weekday does not. Everything here is pure given the calendar: `clock_for(application, events)`.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from workflow.calendar import WorkCalendar

ANSWER_DAYS = 20
EXTENSION_DAYS = 20
CORRECTION_NOTICE_DAYS = 7
REMIND_DAYS_BEFORE = 5  # working days

RUNNING, AWAITING_CORRECTION, CONSULTING, CLOSED = "running", "awaiting_correction", "consulting", "closed"


@dataclass
class Clock:
    start: datetime.date                 # the day counting starts after (receipt, or the correction's arrival)
    limit: int                           # 20, or 40 once extended
    paused_days: int = 0                 # working days spent consulting third parties
    state: str = RUNNING
    due_on: datetime.date | None = None  # None while the clock stands still
    correction_notice_due: datetime.date | None = None
    correction_notice_late: bool = False
    extended: bool = False
    used_days: int | None = None         # working days counted so far while paused (for the page)
    problems: list[str] = field(default_factory=list)

    @property
    def is_paused(self) -> bool:
        return self.state in (AWAITING_CORRECTION, CONSULTING)


# Order of events on the same day: a correction received restarts the clock before anything else that day.
_SAME_DAY_ORDER = {"correction_sent": 0, "correction_received": 1, "consultation_sent": 2,
                   "consultation_answered": 3, "extension": 4}


def clock_for(*, received_on: datetime.date, events, answered_on: datetime.date | None = None,
              calendar: WorkCalendar | None = None) -> Clock:
    """The clock after `events` (objects or dicts with .kind/.date), as of the answer when there is one."""
    cal = calendar or WorkCalendar()
    clock = Clock(start=received_on, limit=ANSWER_DAYS)
    clock.correction_notice_due = cal.add_working_days(received_on, CORRECTION_NOTICE_DAYS)
    waiting_correction = False
    consulting_since: datetime.date | None = None
    rows = sorted((_get(e, "date"), _SAME_DAY_ORDER.get(_get(e, "kind"), 9), _get(e, "kind")) for e in events)
    for day, _, kind in rows:
        if kind == "correction_sent":
            if not waiting_correction and day > clock.correction_notice_due and clock.start == received_on:
                clock.correction_notice_late = True
            waiting_correction = True
        elif kind == "correction_received":
            waiting_correction = False
            clock.start, clock.paused_days, consulting_since = day, 0, None
        elif kind == "extension":
            if clock.extended:
                clock.problems.append("答复期限只能延长一次")
                continue
            clock.extended = True
            clock.limit += EXTENSION_DAYS
        elif kind == "consultation_sent":
            if consulting_since is None:
                consulting_since = day
        elif kind == "consultation_answered":
            if consulting_since is not None:
                clock.paused_days += cal.working_days_between(consulting_since, day)
                consulting_since = None
    if waiting_correction:
        clock.state = AWAITING_CORRECTION
    elif consulting_since is not None:
        clock.state = CONSULTING
        clock.used_days = max(cal.working_days_between(clock.start, consulting_since) - clock.paused_days, 0)
    else:
        clock.due_on = cal.add_working_days(clock.start, clock.limit + clock.paused_days)
    if answered_on is not None:
        clock.state = CLOSED
    return clock


def _get(event, name):
    return event[name] if isinstance(event, dict) else getattr(event, name)


def working_days_left(due_on: datetime.date | None, today: datetime.date, *,
                      calendar: WorkCalendar | None = None) -> int | None:
    """Working days from today to the due date (0 on the day, negative when overdue); None without a date."""
    if due_on is None:
        return None
    return (calendar or WorkCalendar()).working_days_between(today, due_on)


def working_days_taken(received_on: datetime.date, answered_on: datetime.date, *,
                       calendar: WorkCalendar | None = None) -> int:
    """Working days from receipt to answer (the statistics' 平均办理用时)."""
    return (calendar or WorkCalendar()).working_days_between(received_on, answered_on)
