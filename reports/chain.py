"""The upper office's view of its table (下级落实情况): for each of its items, how each lower government carries
it out — not started, in progress, done or overdue, by the lower government's own deadlines — as a matrix
with lights, and the same matrix as a workbook.

The counts come from ``Assignment.objects.countable_by(user)``: the roll-up of a lower government's rows is
shown whether or not that government shares details; its rows themselves only where it does (visible_to).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from core.dates import cn_date
from core.xlsx import print_layout, row_height, text_only
from tasks.models import Assignment, Item, Notice
from units.models import Government

NOT_STARTED, IN_PROGRESS, DONE, OVERDUE = "not_started", "in_progress", "done", "overdue"
STATE_LABELS = {NOT_STARTED: "未开始", IN_PROGRESS: "推进中", DONE: "已完成", OVERDUE: "已逾期"}
STATE_LIGHTS = {NOT_STARTED: "grey", IN_PROGRESS: "blue", DONE: "green", OVERDUE: "red"}
STATE_FILLS = {NOT_STARTED: "E9ECEF", IN_PROGRESS: "CFE2FF", DONE: "D1E7DD", OVERDUE: "F8D7DA"}
STARTED = [Assignment.Status.IN_PROGRESS, Assignment.Status.PENDING_REVIEW, Assignment.Status.RETURNED]
CLOSED = [Assignment.Status.DONE, Assignment.Status.NOT_APPLICABLE]


@dataclass
class Cell:
    government: Government
    state: str = NOT_STARTED
    derived: bool = False  # the lower government has an item carrying this one out
    total: int = 0
    done: int = 0
    overdue: int = 0
    due: datetime.date | None = None  # the lower government's own (earliest open) deadline
    deadline_text: str = ""
    lower_item_id: int | None = None  # for the drill-down, where details are shared

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state] if self.derived else "未分解"

    @property
    def light(self) -> str:
        return STATE_LIGHTS[self.state]

    @property
    def deadline_display(self) -> str:
        return self.deadline_text or (cn_date(self.due) if self.due else "")

    @property
    def progress(self) -> str:
        return f"{self.done}/{self.total}" if self.total else ""


@dataclass
class Row:
    item: Item
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Rollup:
    notice: Notice
    governments: list[Government]
    rows: list[Row]
    today: datetime.date

    def totals(self) -> list[dict]:
        """Per lower government: how many upper items are in each state."""
        result = []
        for index, government in enumerate(self.governments):
            counts = {state: 0 for state in STATE_LABELS}
            for row in self.rows:
                counts[row.cells[index].state] += 1
            result.append({"government": government, **counts})
        return result


def _state(*, total: int, closed: int, overdue: int, started: int) -> str:
    if total == 0:
        return NOT_STARTED
    if overdue:
        return OVERDUE
    if closed == total:
        return DONE
    if started or closed:
        return IN_PROGRESS
    return NOT_STARTED


def rollup(*, user, notice: Notice, today: datetime.date) -> Rollup:
    """The matrix: one row per item of ``notice`` (the user's government's own table), one cell per lower
    government. Four queries whatever the size: lower governments, the items, lower items, ledger counts."""
    governments = list(Government.objects.lower_of(notice.government).in_fixed_order())
    items = list(notice.items.order_by("number"))
    lower_items = (Item.objects.filter(upper_item__notice=notice, notice__government__in=governments)
                   .values("id", "upper_item_id", "notice__government_id", "deadline", "deadline_text", "is_ongoing")
                   .order_by("notice__work_year", "number"))
    linked: dict[tuple[int, int], dict] = {}
    for row in lower_items:
        linked.setdefault((row["upper_item_id"], row["notice__government_id"]), row)
    open_late = Q(is_ongoing=False, due_date__lt=today) & ~Q(status__in=CLOSED)
    counts = (Assignment.objects.countable_by(user).filter(item__upper_item__notice=notice)
              .values("item__upper_item_id", "government_id").order_by()
              .annotate(total=Count("id"), closed=Count("id", filter=Q(status__in=CLOSED)),
                        done=Count("id", filter=Q(status=Assignment.Status.DONE)),
                        overdue=Count("id", filter=open_late),
                        started=Count("id", filter=Q(status__in=STARTED)),
                        due=Min("due_date", filter=~Q(status__in=CLOSED))))
    by_key = {(c["item__upper_item_id"], c["government_id"]): c for c in counts}
    rows = []
    for item in items:
        cells = []
        for government in governments:
            lower = linked.get((item.pk, government.pk))
            c = by_key.get((item.pk, government.pk), {})
            cell = Cell(government=government, derived=lower is not None)
            if lower is not None:
                cell.total, cell.done, cell.overdue = c.get("total", 0), c.get("done", 0), c.get("overdue", 0)
                cell.state = _state(total=cell.total, closed=c.get("closed", 0), overdue=cell.overdue,
                                    started=c.get("started", 0))
                cell.due = c.get("due") or lower["deadline"]
                cell.deadline_text = "持续推进" if lower["is_ongoing"] else lower["deadline_text"]
                cell.lower_item_id = lower["id"] if government.shares_details else None
            cells.append(cell)
        rows.append(Row(item=item, cells=cells))
    return Rollup(notice=notice, governments=governments, rows=rows, today=today)


def build_rollup_workbook(data: Rollup) -> Workbook:
    """The matrix as a workbook: one row per upper item, one column per lower government, cells coloured by
    state, with the lower government's progress (done/rows) and its own deadline."""
    book = Workbook()
    sheet = book.active
    sheet.title = "下级落实情况"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    columns = 2 + len(data.governments)
    sheet.cell(row=1, column=1, value=f"{data.notice.doc_number} 下级政府落实情况（截至{cn_date(data.today)}）").font = \
        Font(bold=True, size=13)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    header = ["序号", "工作任务"] + [g.short_name or g.name for g in data.governments]
    for col, title in enumerate(header, start=1):
        cell = sheet.cell(row=2, column=col, value=title)
        cell.font, cell.border, cell.alignment = Font(bold=True), border, Alignment(horizontal="center")
    for r, row in enumerate(data.rows, start=3):
        sheet.cell(row=r, column=1, value=row.item.number).border = border
        text = sheet.cell(row=r, column=2, value=row.item.short_text)
        text.border, text.alignment = border, wrap
        for c, cell_data in enumerate(row.cells, start=3):
            parts = [cell_data.label]
            if cell_data.progress:
                parts.append(f"完成{cell_data.progress}")
            if cell_data.deadline_display:
                parts.append(f"时限：{cell_data.deadline_display}")
            cell = sheet.cell(row=r, column=c, value="\n".join(parts))
            cell.border, cell.alignment = border, wrap
            cell.fill = PatternFill("solid", fgColor=STATE_FILLS[cell_data.state])
    legend_row = len(data.rows) + 4
    sheet.cell(row=legend_row, column=1, value="图例")
    for offset, (state, label) in enumerate(STATE_LABELS.items(), start=2):
        cell = sheet.cell(row=legend_row, column=offset, value=label)
        cell.fill = PatternFill("solid", fgColor=STATE_FILLS[state])
    sheet.cell(row=legend_row + 1, column=1, value="“未分解”：下级政府尚未将该事项分解到本级任务表（计为未开始）。")
    widths = [6, 48] + [18] * (columns - 2)
    for r in range(3, len(data.rows) + 3):
        sheet.row_dimensions[r].height = row_height([sheet.cell(r, c).value for c in range(1, columns + 1)], widths)
    print_layout(sheet, widths=widths, title_rows=(2, 2))
    sheet.freeze_panes = "C3"
    return text_only(book)
