"""Statistics of a year (or one notice): per unit, per section, and deadlines by month.

Scope: the user's visible ledger rows (``Assignment.objects.visible_to(user)``) of the year's notices,
so a unit's statistics cover only what that unit may see. Two queries whatever the size of the year.

Per unit the counts are of ledger rows (台账行): one unit's share of an item. Per section and by month
they are of items (事项), each item's status derived from its visible rows by
``reports.summary.derive_item_status``; sections are the top-level sections (一、二、…), a
subsection's items count in its parent. Items without any ledger row are not counted.

Definitions (``Figures``):

* assigned (分配): rows (per unit) or items (per section / month) in scope.
* done (已完成): status 已完成 (for a row, ``Assignment.status == done``).
* done_on_time (按期完成): done and completed on or before the 时限: ``completed_on <= due_date``;
  a 持续推进 row/item, one without a 时限, or one without a recorded completion date counts as on
  time once done. For an item the completion date is the latest of its rows' completion dates.
* done_late (逾期完成): done − done_on_time.
* overdue (逾期未完成): not closed, not 持续推进 and past its 时限 today.
* not_applicable (不涉及): status 不涉及 (an item: every row 不涉及).
* not_reported (未报送): no progress report at all (an item: none of its visible rows reported).
* applicable (应完成) = assigned − not_applicable.
* on_time_rate (按期完成率) = done_on_time / applicable; None when applicable is 0.
* overdue_share (逾期占比) = (overdue + done_late) / applicable: the share that missed its 时限,
  finished late or not yet; None when applicable is 0.
* avg_days_to_done (平均完成天数) = mean over done rows (items) with a completion date of
  completion date − the day the row was assigned, never below 0; None when nothing is done. The day
  assigned is the notice's 成文日期 where it is earlier than the row's creation (a table typed in
  after it was issued), else the day the row was created (``Assignment.created_at``, local time);
  for an item, its earliest row.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.dates import cn_date
from reports.summary import (
    STATUS_DONE,
    STATUS_NOT_APPLICABLE,
    STATUS_OVERDUE,
    derive_item_status,
    row_is_overdue,
)
from tasks.models import Assignment, Notice, ProgressReport, Section
from workflow.calendar import WorkCalendar, days_overdue

NO_SECTION = "（未分部分）"
NO_DEADLINE = "持续推进/无时限"


def format_pct(value: float | None) -> str:
    """0.8571 → "85.7%"; None (nothing to divide) → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"


@dataclass
class Figures:
    """Counts for one unit, section or month; see the module docstring for each definition."""

    label: str
    key: object = None
    assigned: int = 0
    done: int = 0
    done_on_time: int = 0
    overdue: int = 0
    not_applicable: int = 0
    not_reported: int = 0
    days_total: int = 0
    days_count: int = 0

    @property
    def done_late(self) -> int:
        return self.done - self.done_on_time

    @property
    def applicable(self) -> int:
        return self.assigned - self.not_applicable

    @property
    def pending(self) -> int:
        """Open and not overdue: still within its 时限 (or 持续推进)."""
        return self.applicable - self.done - self.overdue

    @property
    def on_time_rate(self) -> float | None:
        return self.done_on_time / self.applicable if self.applicable else None

    @property
    def overdue_share(self) -> float | None:
        return (self.overdue + self.done_late) / self.applicable if self.applicable else None

    @property
    def avg_days_to_done(self) -> float | None:
        return round(self.days_total / self.days_count, 1) if self.days_count else None

    @property
    def on_time_pct(self) -> str:
        return format_pct(self.on_time_rate)

    @property
    def overdue_pct(self) -> str:
        return format_pct(self.overdue_share)

    def add(self, *, done: bool, on_time: bool, overdue: bool, not_applicable: bool, reported: bool,
            days: int | None) -> None:
        self.assigned += 1
        self.done += done
        self.done_on_time += done and on_time
        self.overdue += overdue
        self.not_applicable += not_applicable
        self.not_reported += not reported
        if days is not None:
            self.days_total += days
            self.days_count += 1

    def merge(self, other: Figures) -> None:
        for name in ("assigned", "done", "done_on_time", "overdue", "not_applicable", "not_reported",
                     "days_total", "days_count"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Statistics:
    units: list[Figures] = field(default_factory=list)
    unit_total: Figures = field(default_factory=lambda: Figures("合计"))
    sections: list[Figures] = field(default_factory=list)
    section_total: Figures = field(default_factory=lambda: Figures("合计"))
    months: list[Figures] = field(default_factory=list)


@dataclass
class _Row:
    item_id: int
    unit_id: int
    unit_name: str
    unit_order: int
    status: str
    due_date: datetime.date | None
    is_ongoing: bool
    completed_on: datetime.date | None
    assigned_on: datetime.date
    reported: bool
    top_section_id: int | None


def _on_time(completed_on, due_date, is_ongoing) -> bool:
    return is_ongoing or due_date is None or completed_on is None or completed_on <= due_date


def _days(completed_on, assigned_on) -> int | None:
    if completed_on is None:
        return None
    return max((completed_on - assigned_on).days, 0)


def scoped_rows(user, *, year: int, notice: Notice | None = None):
    qs = Assignment.objects.visible_to(user).filter(year=year)
    if notice is not None:
        qs = qs.filter(notice=notice)
    return qs


def _rows(user, *, year: int, notice: Notice | None):
    reported = Exists(ProgressReport.objects.filter(assignment=OuterRef("pk")))
    qs = (scoped_rows(user, year=year, notice=notice)
          .annotate(has_report=reported)
          .order_by("item_id", "unit_sort_order", "id")
          .values_list("item_id", "unit_id", "unit__short_name", "unit_sort_order", "status", "due_date",
                       "is_ongoing", "completed_on", "created_at", "notice__issue_date", "has_report",
                       "item__section_id", "item__section__parent_id"))
    for (item_id, unit_id, unit_name, unit_order, status, due, ongoing, completed, created, issued, has_report,
         section_id, parent_id) in qs.iterator(chunk_size=2000):
        yield _Row(item_id=item_id, unit_id=unit_id, unit_name=unit_name, unit_order=unit_order, status=status,
                   due_date=due, is_ongoing=ongoing, completed_on=completed, assigned_on=_assigned_on(created, issued),
                   reported=bool(has_report), top_section_id=parent_id or section_id)


def _assigned_on(created: datetime.datetime, issued: datetime.date | None) -> datetime.date:
    """The day a row was assigned: the notice's 成文日期 when it precedes the row, else the row's creation day.

    A table entered after it was issued (or a year entered afterwards) counts from the notice, not from
    the day somebody typed it in.
    """
    created_on = timezone.localdate(created) if timezone.is_aware(created) else created.date()
    return issued if issued and issued < created_on else created_on


def _section_labels(year: int, notice: Notice | None) -> list[tuple[int, str]]:
    qs = Section.objects.filter(notice__work_year=year, parent__isnull=True)
    if notice is not None:
        qs = qs.filter(notice=notice)
    sections = list(qs.select_related("notice").order_by("notice__issue_date", "notice__doc_serial", "notice_id",
                                                         "position", "id"))
    several = len({s.notice_id for s in sections}) > 1
    return [(s.pk, f"{s.notice.doc_number} {s.heading}" if several else s.heading) for s in sections]


def year_statistics(user, *, year: int, today: datetime.date, notice: Notice | None = None) -> Statistics:
    """Per unit, per section and per month figures of the user's visible rows (see the module docstring)."""
    units: dict[int, Figures] = {}
    unit_order: dict[int, tuple] = {}
    sections: dict[int | None, Figures] = {}
    months: dict[tuple[int, int] | None, Figures] = {}
    for _item_id, group in groupby(_rows(user, year=year, notice=notice), key=lambda r: r.item_id):
        rows = list(group)
        for r in rows:
            fig = units.setdefault(r.unit_id, Figures(r.unit_name, key=r.unit_id))
            unit_order[r.unit_id] = (r.unit_order, r.unit_name)
            done = r.status == Assignment.Status.DONE
            fig.add(done=done, on_time=_on_time(r.completed_on, r.due_date, r.is_ongoing),
                    overdue=row_is_overdue(r, today), not_applicable=r.status == Assignment.Status.NOT_APPLICABLE,
                    reported=r.reported, days=_days(r.completed_on, r.assigned_on) if done else None)
        status, completed_on = derive_item_status(rows, today)
        first = rows[0]
        done = status == STATUS_DONE
        item_facts = dict(
            done=done, on_time=_on_time(completed_on, first.due_date, first.is_ongoing),
            overdue=status == STATUS_OVERDUE, not_applicable=status == STATUS_NOT_APPLICABLE,
            reported=any(r.reported for r in rows),
            days=_days(completed_on, min(r.assigned_on for r in rows)) if done else None)
        sections.setdefault(first.top_section_id, Figures(NO_SECTION, key=first.top_section_id)).add(**item_facts)
        month = None if first.is_ongoing or first.due_date is None else (first.due_date.year, first.due_date.month)
        months.setdefault(month, Figures(_month_label(month, year), key=month)).add(**item_facts)

    stats = Statistics()
    stats.units = [units[k] for k in sorted(units, key=lambda k: unit_order[k])]
    for fig in stats.units:
        stats.unit_total.merge(fig)
    if sections:
        for key, label in _section_labels(year, notice):
            if key in sections:
                sections[key].label = label
                stats.sections.append(sections.pop(key))
        stats.sections.extend(sections.values())  # items outside any section, last
    for fig in stats.sections:
        stats.section_total.merge(fig)
    keys = {(year, m) for m in range(1, 13)} | {k for k in months if k is not None}
    stats.months = [months.get(k) or Figures(_month_label(k, year), key=k) for k in sorted(keys)]
    if None in months:
        stats.months.append(months[None])
    return stats


def _month_label(key: tuple[int, int] | None, year: int) -> str:
    if key is None:
        return NO_DEADLINE
    return f"{key[1]}月" if key[0] == year else f"{key[0]}年{key[1]}月"


@dataclass
class OverdueLine:
    """One row of the 逾期清单."""

    assignment_id: int
    doc_number: str
    item_number: int
    item_text: str
    unit_name: str
    role: str
    deadline_display: str
    due_date: datetime.date
    days_overdue: int  # working days (workflow.calendar.days_overdue)
    status: str
    last_reported_on: datetime.date | None


def overdue_rows(user, *, year: int, today: datetime.date, notice: Notice | None = None):
    """The user's visible open rows past their 时限, by notice, item and the units' fixed order."""
    return (scoped_rows(user, year=year, notice=notice).overdue(today).with_ledger_related()
            .order_by("notice__issue_date", "notice_id", "item_number", "unit_sort_order", "id"))


def overdue_lines(user, *, year: int, today: datetime.date, notice: Notice | None = None):
    """``overdue_rows`` as plain lines for pages and the workbook (streamed, one query per chunk)."""
    calendar = WorkCalendar()
    for row in overdue_rows(user, year=year, today=today, notice=notice).iterator(chunk_size=2000):
        yield OverdueLine(
            assignment_id=row.pk, doc_number=row.notice.doc_number, item_number=row.item_number,
            item_text=row.item.short_text, unit_name=row.unit.short_name, role=row.get_role_display(),
            deadline_display=row.item.deadline_display or cn_date(row.due_date), due_date=row.due_date,
            days_overdue=days_overdue(row.due_date, today, calendar=calendar), status=row.get_status_display(),
            last_reported_on=row.last_reported_on)
