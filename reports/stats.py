"""Statistics of a year (or one notice): per unit, per section, and deadlines by month.

Scope: the user's visible ledger rows (``Assignment.objects.visible_to(user)``) of the year's notices,
so a unit's statistics cover only what that unit may see. Three queries whatever the size of the year: two
grouped over the rows' own columns (per unit; per item and 时限) and one of the items they name with their
sections. The pages that show them cache them until the next audited change (audit.stamped_cache).
A row counts as reported by ``Assignment.last_reported_on`` (set by every report), not a probe per row.

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

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone

from core.dates import cn_date
from reports.summary import (
    _CLOSED as CLOSED,
)
from reports.summary import (
    STATUS_DONE,
    STATUS_NOT_APPLICABLE,
    STATUS_OVERDUE,
    item_status_from_counts,
    row_is_overdue_q,
)
from tasks.models import Assignment, Item, Notice, Section
from tasks.querysets import overdue_q
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
    # Rows of the 逾期清单 (``overdue_rows``: overdue and not withdrawn); per unit and in the units' total only.
    overdue_listed: int = 0

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
                     "days_total", "days_count", "overdue_listed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Statistics:
    units: list[Figures] = field(default_factory=list)
    unit_total: Figures = field(default_factory=lambda: Figures("合计"))
    sections: list[Figures] = field(default_factory=list)
    section_total: Figures = field(default_factory=lambda: Figures("合计"))
    months: list[Figures] = field(default_factory=list)
    # Each item's status (``reports.summary.derive_item_status``) by id; items without a visible row are absent.
    item_status: dict[int, str] = field(default_factory=dict)


def _on_time(completed_on, due_date, is_ongoing) -> bool:
    return is_ongoing or due_date is None or completed_on is None or completed_on <= due_date


def _on_time_q() -> Q:
    """``_on_time`` of a row as a condition."""
    return (Q(is_ongoing=True) | Q(due_date__isnull=True) | Q(completed_on__isnull=True)
            | Q(completed_on__lte=F("due_date")))


def _days(completed_on, assigned_on) -> int | None:
    if completed_on is None:
        return None
    return max((completed_on - assigned_on).days, 0)


def scoped_rows(user, *, year: int, notice: Notice | None = None):
    qs = Assignment.objects.visible_to(user).filter(year=year)
    if notice is not None:
        qs = qs.filter(notice=notice)
    return qs


def _count(condition: Q) -> Count:
    return Count("id", filter=condition)


def _unit_figures(rows, today: datetime.date) -> list[Figures]:
    """Per unit, in the units' fixed order: one grouped query."""
    done = Q(status=Assignment.Status.DONE)
    dated = done & Q(completed_on__isnull=False)
    created_day = TruncDate("created_at")
    assigned_on = Least(Coalesce("notice__issue_date", created_day), created_day)  # _assigned_on_day in SQL
    days = Greatest(ExpressionWrapper(F("completed_on") - assigned_on, output_field=DurationField()),
                    Value(datetime.timedelta(0)))
    units = []
    groups = list(rows.order_by().values("unit_id", "unit__short_name")
                  .annotate(order=Max("unit_sort_order"), assigned=Count("id"), done=_count(done),
                            done_on_time=_count(done & _on_time_q()), overdue=_count(row_is_overdue_q(today)),
                            not_applicable=_count(Q(status=Assignment.Status.NOT_APPLICABLE)),
                            reported=_count(_reported_q()), days_total=Sum(days, filter=dated),
                            days_count=_count(dated), listed=_count(overdue_q(today))))
    for u in groups:
        name = u["unit__short_name"]
        units.append((u["order"], name, Figures(
            name, key=u["unit_id"], assigned=u["assigned"], done=u["done"],
            done_on_time=u["done_on_time"], overdue=u["overdue"], not_applicable=u["not_applicable"],
            not_reported=u["assigned"] - u["reported"], days_count=u["days_count"],
            days_total=u["days_total"].days if u["days_total"] is not None else 0, overdue_listed=u["listed"])))
    return [fig for _order, _name, fig in sorted(units, key=lambda u: (u[0], u[1]))]


def _nulls_last(*values) -> tuple:
    return tuple((v is None, v) for v in values)


def _item_facts(rows, today: datetime.date, year: int, notice: Notice | None):
    """Per item: its status facts and the 时限 of its first row in the units' order.

    One grouped query over the rows' own columns only (no join: PostgreSQL hashes or sorts 100,000 narrow rows
    instead of joining every item of the table for its section), then one query of the items those groups name
    (through their notices' index), with their sections, parents and notices. Rows are grouped by item and 时限, so
    that the group holding the item's first row (the least ``unit_sort_order``, then ``id``: ``first_key``) names the
    item's 时限 without a per-row subquery.
    """
    groups = list(rows.order_by().values("item_id", "due_date", "is_ongoing", "notice_id")
                  .annotate(n=Count("id"), not_applicable=_count(Q(status=Assignment.Status.NOT_APPLICABLE)),
                            closed=_count(Q(status__in=CLOSED)), overdue=_count(row_is_overdue_q(today)),
                            worked=_count(~Q(status__in=(Assignment.Status.NOT_STARTED,
                                                         Assignment.Status.NOT_APPLICABLE))),
                            last_done_on=Max("completed_on", filter=Q(status=Assignment.Status.DONE)),
                            reported=_count(_reported_q()), first_created=Min("created_at"),
                            first_key=Min(F("unit_sort_order") * Value(10 ** 12) + F("id")))
                  .order_by("item_id"))
    if not groups:
        return
    top_sections = Section.objects.filter(notice__work_year=year, parent__isnull=True)
    if notice is not None:
        top_sections = top_sections.filter(notice=notice)
    # Top-level sections of more than one notice: their labels name the notice (computed once, not per item).
    several = Subquery(top_sections.order_by().values("notice__work_year")
                       .annotate(notices=Count("notice_id", distinct=True)).values("notices")[:1])
    items = {i["id"]: i for i in Item.objects.filter(notice_id__in={g["notice_id"] for g in groups})
             .values("id", "section_id", "section__parent_id", "section__number", "section__title",
                     "section__position", "section__parent__number", "section__parent__title",
                     "section__parent__position", "notice__issue_date", "notice__doc_number", "notice__doc_serial")
             .annotate(several=several).order_by()}
    tops: dict[int | None, tuple | None] = {}
    for item_id, parts in groupby(groups, key=lambda g: g["item_id"]):
        parts = list(parts)
        i = min(parts, key=lambda g: g["first_key"])
        item = items[item_id]
        dates = [g["last_done_on"] for g in parts if g["last_done_on"] is not None]
        status, completed_on = item_status_from_counts(
            rows=sum(g["n"] for g in parts), not_applicable=sum(g["not_applicable"] for g in parts),
            closed=sum(g["closed"] for g in parts), overdue=sum(g["overdue"] for g in parts),
            worked=sum(g["worked"] for g in parts), last_done_on=max(dates) if dates else None)
        done = status == STATUS_DONE
        assigned_on = _assigned_on(min(g["first_created"] for g in parts), item["notice__issue_date"])
        top_id = item["section__parent_id"] or item["section_id"]
        if top_id not in tops:  # one label per section, not one per item
            tops[top_id] = _top_section(item, i["notice_id"], (item["several"] or 0) > 1)
        section = tops[top_id]
        yield (item_id, status, top_id, section, i["due_date"], i["is_ongoing"], dict(
            done=done, on_time=_on_time(completed_on, i["due_date"], i["is_ongoing"]),
            overdue=status == STATUS_OVERDUE, not_applicable=status == STATUS_NOT_APPLICABLE,
            reported=any(g["reported"] for g in parts), days=_days(completed_on, assigned_on) if done else None))


def _top_section(item: dict, notice_id: int, several: bool) -> tuple | None:
    """The item's top-level section (a subsection counts in its parent): its sort key and label."""
    if item["section_id"] is None:
        return None
    top = "section__parent__" if item["section__parent_id"] else "section__"
    top_id = item["section__parent_id"] or item["section_id"]
    heading = Section(number=item[top + "number"], title=item[top + "title"]).heading
    order = _nulls_last(item["notice__issue_date"], item["notice__doc_serial"], notice_id, item[top + "position"],
                        top_id)
    return order, f"{item['notice__doc_number']} {heading}" if several else heading


def _reported_q() -> Q:
    """The row has a progress report: ``last_reported_on`` is set by every report (tasks.services) and never
    cleared, so the denormalised column answers without a probe of the reports table per row."""
    return Q(last_reported_on__isnull=False)


def item_statuses(user, *, year: int, today: datetime.date, notice: Notice | None = None) -> dict[int, str]:
    """Each item's status (``reports.summary.derive_item_status``) from the user's visible rows, by item id, in
    one grouped query; items without a visible row are absent (未分配)."""
    statuses = {}
    for i in (scoped_rows(user, year=year, notice=notice).order_by().values("item_id")
              .annotate(n=Count("id"), not_applicable=_count(Q(status=Assignment.Status.NOT_APPLICABLE)),
                        closed=_count(Q(status__in=CLOSED)), overdue=_count(row_is_overdue_q(today)),
                        worked=_count(~Q(status__in=(Assignment.Status.NOT_STARTED,
                                                     Assignment.Status.NOT_APPLICABLE))))):
        statuses[i["item_id"]] = item_status_from_counts(
            rows=i["n"], not_applicable=i["not_applicable"], closed=i["closed"], overdue=i["overdue"],
            worked=i["worked"], last_done_on=None)[0]
    return statuses


def _assigned_on(created: datetime.datetime, issued: datetime.date | None) -> datetime.date:
    """The day a row was assigned: the notice's 成文日期 when it precedes the row, else the row's creation day.

    A table entered after it was issued (or a year entered afterwards) counts from the notice, not from
    the day somebody typed it in.
    """
    created_on = timezone.localdate(created) if timezone.is_aware(created) else created.date()
    return _assigned_on_day(created_on, issued)


def _assigned_on_day(created_on: datetime.date, issued: datetime.date | None) -> datetime.date:
    return issued if issued and issued < created_on else created_on


def year_statistics(user, *, year: int, today: datetime.date, notice: Notice | None = None,
                    per_unit: bool = True) -> Statistics:
    """Per unit, per section and per month figures of the user's visible rows (see the module docstring); without
    ``per_unit`` no units (one grouped query less: the 年报文字 draft names sections only)."""
    rows = scoped_rows(user, year=year, notice=notice)
    sections: dict[int | None, Figures] = {}
    months: dict[tuple[int, int] | None, Figures] = {}
    section_order: dict[int, tuple] = {}
    stats = Statistics()
    for item_id, status, top_section_id, section, due_date, is_ongoing, facts in _item_facts(rows, today, year, notice):
        stats.item_status[item_id] = status
        if top_section_id not in sections and section is not None:
            section_order[top_section_id] = section[0]
        sections.setdefault(top_section_id, Figures(section[1] if section else NO_SECTION,
                                                    key=top_section_id)).add(**facts)
        month = None if is_ongoing or due_date is None else (due_date.year, due_date.month)
        months.setdefault(month, Figures(_month_label(month, year), key=month)).add(**facts)

    stats.units = _unit_figures(rows, today) if per_unit else []
    for fig in stats.units:
        stats.unit_total.merge(fig)
    stats.sections = [sections[k] for k in sorted(section_order, key=section_order.get)]
    if None in sections:
        stats.sections.append(sections[None])  # items outside any section, last
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
    return (scoped_rows(user, year=year, notice=notice).overdue(today).select_related("item", "notice", "unit")
            .only(*_OVERDUE_FIELDS)
            .order_by("notice__issue_date", "notice_id", "item_number", "unit_sort_order", "id"))


# What an ``OverdueLine`` reads: a year's export writes tens of thousands, so not the notices' bodies.
_OVERDUE_FIELDS = ("id", "role", "status", "due_date", "last_reported_on", "item_number", "item__title",
                   "item__requirement", "item__deadline_text", "item__deadline", "item__is_ongoing",
                   "notice__doc_number", "unit__short_name")


def overdue_lines(user, *, year: int, today: datetime.date, notice: Notice | None = None, limit: int | None = None):
    """``overdue_rows`` as plain lines for pages and the workbook (streamed, one query per chunk); the first
    ``limit`` only where given."""
    calendar = WorkCalendar()
    rows = overdue_rows(user, year=year, today=today, notice=notice)
    if limit is not None:
        # The first ``limit`` ids in a narrow query, then only those rows with their item, unit and notice: sorting
        # every overdue row of the year (tens of thousands) with its item's text cost ten times more.
        rows = rows.filter(pk__in=rows.select_related(None).values("pk")[:limit])  # one query: the ids a subquery
    for row in rows.iterator(chunk_size=2000):
        yield OverdueLine(
            assignment_id=row.pk, doc_number=row.notice.doc_number, item_number=row.item_number,
            item_text=row.item.short_text, unit_name=row.unit.short_name, role=row.get_role_display(),
            deadline_display=row.item.deadline_display or cn_date(row.due_date), due_date=row.due_date,
            days_overdue=days_overdue(row.due_date, today, calendar=calendar), status=row.get_status_display(),
            last_reported_on=row.last_reported_on)
