"""The public progress page (公开进度页): what an anonymous visitor sees of a notice the office has published.

Only the table as issued (文号, issuer, date, title; sections; each item's 工作任务, 工作要求, 牵头单位,
责任单位 as written, 时限) and each item's state: 未开始 / 推进中 / 已完成 (with the date). Never a unit's
progress text, evidence, people, reviews, chases or return reasons: the rows are read as plain values
(status and dates) and nothing else leaves this module.

The state comes from ``reports.summary.derive_item_status`` (the one rule for an item's status) over all the
item's rows, with "overdue" left out: the public page says how far the work is, not who is late.
Queries: four, whatever the size of the table (government, sections, items, rows).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from core.dates import cn_date
from reports.summary import (
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_APPLICABLE,
    STATUS_NOT_STARTED,
    derive_item_status,
)
from tasks.models import Assignment, Item, Notice

# With this "today" no row is ever past its 时限, so derive_item_status never answers 已逾期.
_NEVER_OVERDUE = datetime.date.min


@dataclass
class _Row:
    status: str
    completed_on: datetime.date | None
    due_date: datetime.date | None
    is_ongoing: bool
    last_reported_on: datetime.date | None


@dataclass
class PublicItem:
    number: int
    title: str
    requirement: str
    lead_units: list[str]
    responsible_units: list[str]
    cooperating_units: list[str]
    deadline: str
    state: str  # 未开始 / 推进中 / 已完成 / 不涉及
    state_date: datetime.date | None  # 已完成: the completion date; 推进中: the latest progress

    @property
    def state_class(self) -> str:
        return {STATUS_DONE: "done", STATUS_IN_PROGRESS: "progress", STATUS_NOT_APPLICABLE: "na"}.get(self.state, "todo")

    @property
    def state_note(self) -> str:
        if self.state_date is None:
            return ""
        if self.state == STATUS_DONE:
            return f"{cn_date(self.state_date)}完成"
        return f"最近进展{cn_date(self.state_date)}"


@dataclass
class PublicRow:
    kind: str  # "section" / "subsection" / "item"
    heading: str = ""
    item: PublicItem | None = None


def public_state(rows: list[_Row]) -> tuple[str, datetime.date | None]:
    """An item's public state and its date from its ledger rows' statuses."""
    status, completed_on = derive_item_status(rows, _NEVER_OVERDUE)
    if status == STATUS_DONE:
        return STATUS_DONE, completed_on
    if status == STATUS_NOT_APPLICABLE:
        return STATUS_NOT_APPLICABLE, None
    if status == STATUS_IN_PROGRESS:
        dates = [r.last_reported_on for r in rows if r.last_reported_on]
        return STATUS_IN_PROGRESS, max(dates) if dates else None
    return STATUS_NOT_STARTED, None  # 未开始, or no row at all


def public_notice(token: str) -> Notice | None:
    """The published notice behind a public address, or None (unknown, or withdrawn from the public)."""
    return Notice.objects.public().select_related("government").filter(public_token=token).first()


def public_rows(notice: Notice) -> list[PublicRow]:
    """The notice's table in issued order, each item with its state; withdrawn (撤销) items left out."""
    rows_by_item: dict[int, list[_Row]] = {}
    values = (Assignment.objects.filter(notice=notice, is_withdrawn=False)
              .values_list("item_id", "status", "completed_on", "due_date", "is_ongoing", "last_reported_on"))
    for item_id, *fields in values:
        rows_by_item.setdefault(item_id, []).append(_Row(*fields))
    items = list(Item.objects.filter(notice=notice, withdrawn_on__isnull=True).order_by("number"))
    by_section: dict[int | None, list[PublicItem]] = {}
    for item in items:
        state, state_date = public_state(rows_by_item.get(item.pk, []))
        by_section.setdefault(item.section_id, []).append(PublicItem(
            number=item.number, title=item.title, requirement=item.requirement,
            lead_units=list(item.lead_units_text), responsible_units=list(item.responsible_units_text),
            cooperating_units=list(item.cooperating_units_text),
            deadline=item.deadline_display or cn_date(notice.report_back_date) or "—",
            state=state, state_date=state_date))
    sections = list(notice.sections.order_by("position", "id"))
    result: list[PublicRow] = []
    for top in (s for s in sections if s.parent_id is None):
        result.append(PublicRow(kind="section", heading=top.heading))
        result.extend(PublicRow(kind="item", item=i) for i in by_section.get(top.pk, []))
        for sub in (s for s in sections if s.parent_id == top.pk):
            result.append(PublicRow(kind="subsection", heading=sub.heading))
            result.extend(PublicRow(kind="item", item=i) for i in by_section.get(sub.pk, []))
    result.extend(PublicRow(kind="item", item=i) for i in by_section.get(None, []))
    return result


def state_counts(rows: list[PublicRow]) -> dict[str, int]:
    """Items by state class (done / progress / todo / na) and in all."""
    counts = {"done": 0, "progress": 0, "todo": 0, "na": 0, "total": 0}
    for row in rows:
        if row.item is not None:
            counts[row.item.state_class] += 1
            counts["total"] += 1
    return counts


def public_notices_by_government():
    """Every published notice, grouped by government in the governments' fixed order (the public index)."""
    notices = (Notice.objects.public().select_related("government")
               .order_by("government__sort_order", "government__name", "-work_year", "-issue_date", "-id"))
    groups: list[tuple] = []
    for notice in notices:
        if not groups or groups[-1][0].pk != notice.government_id:
            groups.append((notice.government, []))
        groups[-1][1].append(notice)
    return groups
