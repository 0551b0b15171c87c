"""The yearly implementation summary (落实情况汇总): one row per item, grouped by notice and section.

Everything is read through ``Assignment.objects.visible_to(user)``: an office user or a leader gets
every item of the year; a unit's user gets the items where the unit has a visible ledger row, and on
each item only the rows that user may see (the own unit's row, or every row on items the unit leads).
The item's status and the 落实情况 text are then derived from those visible rows only, so a unit's
summary and export never reveal another unit's progress.

Item status (``derive_item_status``), from the item's visible rows:

* no row at all                               → 未分配
* every row 不涉及                              → 不涉及
* every row closed (已完成 or 不涉及)             → 已完成; completion date = the latest 完成日期
* some open row past its 时限 (not 持续推进)     → 已逾期
* some row worked on (推进中, 待审核, 已退回, 已完成) → 推进中
* otherwise                                   → 未开始

Queries: a fixed number per chunk of items (items with section, notice, origin and lead summary
joined; one query of the visible rows as plain values, annotated with the latest report by subquery), so
the count does not grow with the number of items or units.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery

from core.dates import cn_date
from tasks.models import Assignment, Item, Notice, ProgressReport

ITEM_CHUNK = 200

STATUS_UNASSIGNED = "未分配"
STATUS_NOT_APPLICABLE = "不涉及"
STATUS_DONE = "已完成"
STATUS_OVERDUE = "已逾期"
STATUS_IN_PROGRESS = "推进中"
STATUS_NOT_STARTED = "未开始"
NOT_REPORTED = "未报送"

_CLOSED = (Assignment.Status.DONE, Assignment.Status.NOT_APPLICABLE)


@dataclass
class UnitLine:
    """One unit's paragraph in the 落实情况 column."""

    unit_name: str
    role: str
    status: str
    text: str | None  # None: the unit never reported
    reported_on: datetime.date | None
    assignment_id: int

    @property
    def reported(self) -> bool:
        return self.text is not None

    def paragraph(self) -> str:
        return f"{self.unit_name}：{self.text if self.text is not None else NOT_REPORTED}"


@dataclass
class SummaryRow:
    """A heading row (kind "notice" / "section" / "subsection") or an item row (kind "item")."""

    kind: str
    heading: str = ""
    item_id: int | None = None
    notice_id: int | None = None
    number: int | None = None
    section_heading: str = ""
    text: str = ""
    lead_units: str = ""
    responsible_units: str = ""
    deadline_display: str = ""
    due_date: datetime.date | None = None
    status: str = ""
    completed_on: datetime.date | None = None
    lead_summary: str | None = None
    unit_lines: list[UnitLine] = field(default_factory=list)
    origin_label: str = ""
    origin_item_id: int | None = None

    @property
    def progress_text(self) -> str:
        """The 落实情况 cell: the lead unit's summary where there is one, else one paragraph per unit."""
        if self.lead_summary:
            return self.lead_summary
        return "\n".join(line.paragraph() for line in self.unit_lines)

    @property
    def uses_lead_summary(self) -> bool:
        return bool(self.lead_summary)


def row_is_overdue(row, today: datetime.date) -> bool:
    """Open, not 持续推进, and past its 时限 (the rule of ``Assignment.is_overdue``)."""
    return (row.status not in _CLOSED and not row.is_ongoing and row.due_date is not None
            and row.due_date < today)


def row_is_overdue_q(today: datetime.date) -> Q:
    """``row_is_overdue`` as a condition for filters and conditional aggregates."""
    return ~Q(status__in=_CLOSED) & Q(is_ongoing=False, due_date__isnull=False, due_date__lt=today)


def item_status_from_counts(*, rows: int, not_applicable: int, closed: int, overdue: int, worked: int,
                            last_done_on: datetime.date | None) -> tuple[str, datetime.date | None]:
    """THE item status rule (see the module docstring) from counts of the item's visible rows: ``closed``
    (已完成 or 不涉及), ``overdue`` (``row_is_overdue``), ``worked`` (neither 未开始 nor 不涉及); and the latest
    完成日期 of its 已完成 rows. SQL aggregates (``reports.stats``) and ``derive_item_status`` both use it."""
    if not rows:
        return STATUS_UNASSIGNED, None
    if not_applicable == rows:
        return STATUS_NOT_APPLICABLE, None
    if closed == rows:
        return STATUS_DONE, last_done_on
    if overdue:
        return STATUS_OVERDUE, None
    if worked:
        return STATUS_IN_PROGRESS, None
    return STATUS_NOT_STARTED, None


def derive_item_status(rows, today: datetime.date) -> tuple[str, datetime.date | None]:
    """The item's status and completion date from its (visible) ledger rows; see the module docstring.

    ``rows`` are Assignments or anything with ``status``, ``completed_on``, ``is_ongoing``, ``due_date``.
    """
    statuses = [r.status for r in rows]
    dates = [r.completed_on for r in rows if r.status == Assignment.Status.DONE and r.completed_on]
    return item_status_from_counts(
        rows=len(statuses), not_applicable=sum(s == Assignment.Status.NOT_APPLICABLE for s in statuses),
        closed=sum(s in _CLOSED for s in statuses), overdue=sum(row_is_overdue(r, today) for r in rows),
        worked=sum(s not in (Assignment.Status.NOT_STARTED, Assignment.Status.NOT_APPLICABLE) for s in statuses),
        last_done_on=max(dates) if dates else None)


def origin_label(origin: Item | None) -> str:
    """整改自2025年第3项 for a look-back item, "" otherwise."""
    if origin is None:
        return ""
    return f"整改自{origin.notice.work_year}年第{origin.number}项"


def latest_report_subquery(column: str) -> Subquery:
    latest = ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by("-reported_on", "-id")
    return Subquery(latest.values(column)[:1])


def visible_rows_queryset(user):
    """The user's visible ledger rows with the unit and the latest report, in the units' fixed order."""
    return (Assignment.objects.visible_to(user).select_related("unit")
            .annotate(latest_text=latest_report_subquery("text"),
                      latest_on=latest_report_subquery("reported_on"))
            .order_by("unit_sort_order", "unit__name", "id"))


def scoped_notices(user, year: int, notice: Notice | None = None):
    """Notices of the year the user can see, in the order they were issued."""
    qs = Notice.objects.visible_to(user).filter(work_year=year)
    if notice is not None:
        qs = qs.filter(pk=notice.pk)
    return qs.order_by("issue_date", "doc_year", "doc_serial", "id")


def scoped_items(user, year: int, notice: Notice | None = None):
    """Items of the year (or notice) the user can see: all of the government's for its office and leaders, else
    via visible rows. (An upper office follows its lower governments on the 下级落实情况 page, not here.)"""
    qs = Item.objects.filter(notice__work_year=year)
    if notice is not None:
        qs = qs.filter(notice=notice)
    if user.sees_everything and not user.sees_all_governments:
        qs = qs.filter(notice__government_id=user.government_id)
    elif not user.sees_everything:
        qs = qs.filter(pk__in=Assignment.objects.visible_to(user).values("item_id"))
    return qs


def _user_leads(user, rows: list[Assignment]) -> bool:
    return any(r.unit_id == user.unit_id and r.role == Assignment.Role.LEAD for r in rows)


def item_text(item: Item) -> str:
    """The 工作任务 cell: the item's short title (where the table has one) above its requirement."""
    return "\n".join(t for t in (item.title, item.requirement) if t)


def _join(texts) -> str:
    return "、".join(t for t in texts if t)


def item_row(item: Item, rows: list[_VisibleLine], *, user, today: datetime.date) -> SummaryRow:
    status, completed_on = derive_item_status(rows, today)
    summary = getattr(item, "lead_summary", None) if _may_see_lead_summary(user, rows) else None
    due_date = rows[0].due_date if rows else item.deadline
    return SummaryRow(
        kind="item", item_id=item.pk, notice_id=item.notice_id, number=item.number,
        section_heading=item.section.heading if item.section_id else "",
        text=item_text(item),
        lead_units=_join(item.lead_units_text),
        responsible_units=_join(list(item.responsible_units_text)
                                + [f"{t}（配合）" for t in item.cooperating_units_text]),
        # An item without its own 时限 takes the notice's report-back date (tasks.services.item_due_date).
        deadline_display=item.deadline_display or cn_date(due_date), due_date=due_date,
        status=status, completed_on=completed_on,
        lead_summary=summary.text if summary else None,
        unit_lines=[UnitLine(unit_name=r.unit_name, role=r.get_role_display(), status=r.get_status_display(),
                             text=r.latest_text, reported_on=r.latest_on, assignment_id=r.pk) for r in rows],
        origin_label=origin_label(item.origin), origin_item_id=item.origin_id,
    )


def _may_see_lead_summary(user, rows: list[Assignment]) -> bool:
    """The summary speaks for every unit on the item: only those who see every row may read it."""
    return user.sees_everything or _user_leads(user, rows)


SUMMARY_ORDER = ("notice__issue_date", "notice__doc_year", "notice__doc_serial", "notice_id", "number", "id")  # id: pages never tie


_ROLE_LABELS = dict(Assignment.Role.choices)
_STATUS_LABELS = dict(Assignment.Status.choices)
_LINE_FIELDS = ("pk", "item_id", "unit_id", "unit__short_name", "role", "status", "due_date", "is_ongoing",
                "completed_on", "latest_text", "latest_on")


@dataclass(slots=True)
class _VisibleLine:
    """One visible ledger row as the summary reads it (``visible_rows_queryset`` as plain values, not models)."""

    pk: int
    item_id: int
    unit_id: int
    unit_name: str
    role: str
    status: str
    due_date: datetime.date | None
    is_ongoing: bool
    completed_on: datetime.date | None
    latest_text: str | None
    latest_on: datetime.date | None

    def get_role_display(self) -> str:
        return _ROLE_LABELS.get(self.role, self.role)

    def get_status_display(self) -> str:
        return _STATUS_LABELS.get(self.status, self.status)


def _with_visible_lines(user, items: Iterator[Item]) -> Iterator[Item]:
    """Each item with ``visible_lines``: one values query of the visible rows per chunk of items."""
    while chunk := list(islice(items, ITEM_CHUNK)):
        lines: dict[int, list[_VisibleLine]] = {}
        for values in (visible_rows_queryset(user).filter(item_id__in=[i.pk for i in chunk])
                       .values_list(*_LINE_FIELDS)):
            lines.setdefault(values[1], []).append(_VisibleLine(*values))
        for item in chunk:
            item.visible_lines = lines.get(item.pk, [])
            yield item


def summary_rows(user, *, year: int, today: datetime.date, notice: Notice | None = None,
                 item_ids: list[int] | None = None, after: SummaryPlace | None = None,
                 several: bool | None = None) -> Iterator[SummaryRow]:
    """Heading and item rows of the yearly summary, streamed in chunks (see the module docstring); only the
    items ``item_ids`` where given. ``after``: where the item before the first one stands (a page of the
    summary); a heading it shares with the first item is repeated with （续）. ``several``: whether the scope
    holds more than one notice (then each notice gets a heading row), read here where not given."""
    if several is None:
        several = scoped_notices(user, year, notice)[:2].count() > 1
    items = scoped_items(user, year, notice)
    if item_ids is not None:
        items = items.filter(pk__in=item_ids)
    items = (items.select_related("notice", "section", "section__parent", "origin", "origin__notice", "lead_summary")
             .order_by(*SUMMARY_ORDER))
    current_notice = current_top = current_sub = None
    before = after or SummaryPlace(None, None, None)
    first = True

    def heading(text: str, same_as_before: bool) -> str:
        return text + "（续）" if first and same_as_before else text

    # A page's few items in one plain query; the whole year (the export) streamed through a cursor.
    source = iter(list(items)) if item_ids is not None else items.iterator(chunk_size=ITEM_CHUNK)
    for item in _with_visible_lines(user, source):
        if item.notice_id != current_notice:
            current_notice, current_top, current_sub = item.notice_id, None, None
            if several:
                yield SummaryRow(kind="notice", notice_id=item.notice_id,
                                 heading=heading(f"{item.notice.title}（{item.notice.doc_number}）",
                                                 item.notice_id == before.notice_id))
        section = item.section
        top = section.parent if section and section.parent_id else section
        if top is not None and top.pk != current_top:
            current_top, current_sub = top.pk, None
            yield SummaryRow(kind="section", heading=heading(top.heading, top.pk == before.top_section_id),
                             notice_id=item.notice_id)
        if section is not None and section.parent_id and section.pk != current_sub:
            current_sub = section.pk
            yield SummaryRow(kind="subsection", heading=heading(section.heading, section.pk == before.section_id),
                             notice_id=item.notice_id)
        first = False
        yield item_row(item, item.visible_lines, user=user, today=today)


@dataclass(frozen=True)
class SummaryPlace:
    """Where an item stands in the summary: its notice, top-level section and (sub)section."""

    notice_id: int | None
    top_section_id: int | None
    section_id: int | None


@dataclass
class SummaryPage:
    """One page of the summary: ``number`` of ``pages``, items ``start``–``end`` of ``total``, its rows."""

    number: int
    pages: int
    total: int
    start: int
    end: int
    rows: list[SummaryRow]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def page_links(self) -> list[int | None]:
        """Page numbers to link: the first and last two, two either side of this one; None for a gap (…)."""
        shown = {1, 2, self.pages - 1, self.pages} | set(range(self.number - 2, self.number + 3))
        links: list[int | None] = []
        for n in sorted(p for p in shown if 1 <= p <= self.pages):
            if links and links[-1] is not None and n > links[-1] + 1:
                links.append(None)
            links.append(n)
        return links


def paged_summary(user, *, year: int, today: datetime.date, notice: Notice | None = None, page: object = 1,
                 per_page: int = 20) -> SummaryPage:
    """Page ``page`` (1-based; anything else reads as the first, past the end as the last) of ``per_page`` items
    of the summary, in its order. Queries: a count of the scope's items, the page's item ids (with the item
    before it, for the headings' （续）) and ``summary_rows`` of those ids — none grows with the year."""
    items = scoped_items(user, year, notice).order_by(*SUMMARY_ORDER)
    counts = items.order_by().aggregate(total=Count("pk"), notices=Count("notice_id", distinct=True))
    total = counts["total"]
    pages = max(1, -(-total // per_page))
    try:
        number = min(max(int(page), 1), pages)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    places = list(items.values_list("pk", "notice_id", "section_id", "section__parent_id")
                  [max(offset - 1, 0):offset + per_page])
    after = None
    if offset and places:
        _pk, notice_id, section_id, parent_id = places.pop(0)
        after = SummaryPlace(notice_id, parent_id or section_id, section_id)
    ids = [p[0] for p in places]
    rows = list(summary_rows(user, year=year, today=today, notice=notice, item_ids=ids, after=after,
                             several=counts["notices"] > 1)) if ids else []
    return SummaryPage(number=number, pages=pages, total=total, start=offset + 1 if ids else 0,
                       end=offset + len(ids), rows=rows)


LOOKBACK_PER_PAGE = 50


@dataclass
class LookbackCandidate:
    """A last-year item that was not done, the units of its open visible rows (neither 已完成 nor 不涉及) and
    where it was already carried (if anywhere)."""

    item: Item
    status: str
    open_unit_names: list[str]  # of its open visible rows, in the units' fixed order
    carried_into: list[Item]

    @property
    def open_units(self) -> str:
        return "、".join(self.open_unit_names)


@dataclass(frozen=True)
class LookbackFilter:
    """What the look-back page narrows its candidates to: one notice, a unit with an open row, a keyword (in
    the item's title, requirement or section), only the items not carried yet."""

    notice_id: int | None = None
    unit_id: int | None = None
    keyword: str = ""
    pending_only: bool = False


def _candidate_rows(user, from_year: int, filters: LookbackFilter):
    """THE look-back rule, as ledger rows: the user's visible rows of ``from_year`` still to be done (neither
    已完成 nor 不涉及) on the items of the government's own notices (``scoped_items``), narrowed by ``filters``.
    An item is a candidate when it has such a row: its status is then neither 已完成 nor 不涉及 (and an item
    without rows has no unit to carry it to). The partial index asg_open_year_item holds just the open rows
    by (year, government, item): the candidates are counted off it and each item's test is one probe."""
    rows = Assignment.objects.visible_to(user).filter(year=from_year).exclude(status__in=_CLOSED)
    if not user.sees_all_governments:
        rows = rows.filter(government_id=user.government_id)  # the item's notice's government (denormalised)
    if filters.notice_id:
        rows = rows.filter(notice_id=filters.notice_id)
    if filters.unit_id:
        rows = rows.filter(unit_id=filters.unit_id)
    if filters.keyword:
        word = filters.keyword
        rows = rows.filter(item_id__in=Item.objects.filter(
            Q(pk__in=Item.objects.containing(word).order_by().values("pk")) | Q(section__title__icontains=word)
            | Q(section__parent__title__icontains=word), notice__work_year=from_year).order_by().values("pk"))
    if filters.pending_only:
        rows = rows.exclude(item_id__in=Item.objects.filter(origin__isnull=False, notice__work_year__gt=from_year)
                            .order_by().values("origin_id"))
    return rows


def lookback_queryset(user, *, from_year: int, filters: LookbackFilter | None = None):
    """The look-back candidates (``_candidate_rows``' items) in the origin table's order (SUMMARY_ORDER). The
    page, its total and “select all matching” (reports.services.lookback_create) all read this rule."""
    rows = _candidate_rows(user, from_year, filters or LookbackFilter())
    return (scoped_items(user, from_year).filter(Exists(rows.filter(item_id=OuterRef("pk"))))
            .order_by(*SUMMARY_ORDER))


def lookback_total(user, *, from_year: int, filters: LookbackFilter | None = None) -> int:
    """How many candidates match ``filters``: the distinct items of their rows, read off the index."""
    return _candidate_rows(user, from_year, filters or LookbackFilter()).values("item_id").distinct().count()


# What the look-back page shows of a candidate and of the items it was carried into (a page reads no more).
_CANDIDATE_FIELDS = ("number", "title", "requirement", "lead_units_text", "notice_id", "section_id", "origin_id",
                     "notice__doc_number", "notice__work_year", "notice__issue_date", "notice__doc_year",
                     "notice__doc_serial", "section__number", "section__title", "section__parent_id")
_CARRIED_FIELDS = ("number", "origin_id", "notice_id", "notice__doc_number", "notice__work_year")


def lookback_candidates(user, *, from_year: int, today: datetime.date, filters: LookbackFilter | None = None,
                        offset: int = 0, limit: int | None = None) -> list[LookbackCandidate]:
    """The candidates ``offset`` … ``offset + limit`` (all where ``limit`` is None) with their status, the units
    of their open rows and where they were carried. Queries: the items (with their carried items prefetched) and
    the items' visible rows, so a page costs the same whatever the size of the year."""
    ids = lookback_queryset(user, from_year=from_year, filters=filters).values("pk")
    # The page's ids first (a narrow subquery walking the notices and their items in order, index-only, until
    # the page is full), then only those items' whole rows.
    items = list(Item.objects.filter(pk__in=ids[offset:offset + limit] if limit is not None else ids[offset:])
                 .select_related("notice", "section").only(*_CANDIDATE_FIELDS)
                 .prefetch_related(Prefetch("rectifications", to_attr="carried",
                                            queryset=Item.objects.filter(notice__work_year__gt=from_year)
                                            .select_related("notice").only(*_CARRIED_FIELDS).order_by("id")))
                 .order_by(*SUMMARY_ORDER))
    rows: dict[int, list[_StatusLine]] = {}
    for values in (Assignment.objects.visible_to(user).filter(year=from_year, item_id__in=[i.pk for i in items])
                   .order_by("unit_sort_order", "unit__name", "id")
                   .values_list("item_id", "unit__short_name", "status", "due_date", "is_ongoing", "completed_on")):
        rows.setdefault(values[0], []).append(_StatusLine(*values))
    result = []
    for item in items:
        lines = rows.get(item.pk, [])
        result.append(LookbackCandidate(
            item=item, status=derive_item_status(lines, today)[0], carried_into=item.carried,
            open_unit_names=[line.unit_name for line in lines if line.status not in _CLOSED]))
    return result


@dataclass(slots=True)
class _StatusLine:
    """A visible row as ``derive_item_status`` reads it, with its unit's name."""

    item_id: int
    unit_name: str
    status: str
    due_date: datetime.date | None
    is_ongoing: bool
    completed_on: datetime.date | None
