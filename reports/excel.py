"""Workbook builders for the yearly summary; pure: they write what they are given to a file object.

The workbook is written in openpyxl's write-only mode: rows go to a temporary file as they come, so
memory does not grow with the row count (the callers feed generators). Write-only mode cannot call
``ws.merge_cells``, but the merged ranges it writes are read from ``ws.merged_cells``: we add the
ranges there (one per heading row, and one per column of an item whose 落实情况 runs over several
rows: a few small objects per section or long item, never per ordinary row) and write every covered
cell with the same border so the merged cells print boxed. Row heights are set just before a row is written and dropped
right after, so row dimensions do not pile up either.

Printing (``core.xlsx.print_layout``): A4 landscape fitted to the width, the header row repeated, page
numbers in the footer; an item's rows are planned onto one page (``core.xlsx.PageFlow``), so a page
break never cuts an item whose 落实情况 continues on the rows below.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.worksheet.cell_range import CellRange

from core.dates import cn_date
from core.xlsx import LINE_HEIGHT, MAX_ROW_HEIGHT, print_layout, text_cell, text_width, wrapped_lines
from reports.stats import Figures, OverdueLine, Statistics
from reports.summary import SummaryRow

SHEET_SUMMARY = "落实情况汇总"
SHEET_UNITS = "单位统计"
SHEET_OVERDUE = "逾期清单"
SHEET_TEXT = "年报文字"

SUMMARY_COLUMNS = [  # (header, width in Excel character units)
    ("序号", 6), ("工作任务", 38), ("牵头单位", 13), ("责任单位", 15), ("时限", 11), ("完成状态", 9),
    ("完成日期", 13), ("落实情况", 62), ("备注", 12),
]
STATS_COLUMNS = [
    ("序号", 6), ("名称", 26), ("分配", 8), ("已完成", 8), ("按期完成", 9), ("逾期完成", 9), ("逾期未完成", 10),
    ("不涉及", 8), ("未报送", 8), ("按期完成率", 11), ("逾期占比", 10), ("平均完成天数", 12),
]
OVERDUE_COLUMNS = [
    ("序号", 6), ("通知文号", 20), ("事项序号", 9), ("工作任务", 40), ("单位", 14), ("角色", 7), ("时限", 12),
    ("完成时限", 14), ("逾期工作日", 11), ("当前状态", 9), ("最近报送", 14),
]
TEXT_WIDTH = 75  # fits portrait A4 unscaled: about 28 characters of 14 pt 仿宋 a line

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
MAX_ROW_LINES = int((MAX_ROW_HEIGHT - 6) // LINE_HEIGHT)
PROGRESS_COLUMN = 8  # 落实情况

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY_FONT = Font(name="宋体", size=10.5)


def _styles() -> list[NamedStyle]:
    def style(name, *, font=_BODY_FONT, horizontal="left", vertical="center", border=True, fill=None,
              number_format="General", wrap=True):
        s = NamedStyle(name=name)
        s.font = font
        s.alignment = Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)
        if border:
            s.border = _BORDER
        if fill:
            s.fill = PatternFill("solid", fgColor=fill)
        s.number_format = number_format
        return s

    return [
        style("go_title", font=Font(name="方正小标宋简体", size=18), horizontal="center", border=False),
        style("go_note", font=Font(name="宋体", size=10.5), horizontal="right", border=False),
        style("go_header", font=Font(name="黑体", size=11), horizontal="center", fill="D9D9D9"),
        style("go_section", font=Font(name="黑体", size=11), fill="F2F2F2"),
        style("go_subsection", font=Font(name="楷体", size=11, bold=True)),
        style("go_text", vertical="top"),
        style("go_center", horizontal="center"),
        style("go_int", horizontal="center", number_format="0"),
        style("go_date", horizontal="center", number_format=DATE_FORMAT),
        style("go_pct", horizontal="center", number_format="0.0%"),
        style("go_dec", horizontal="center", number_format="0.0"),
        style("go_total", font=Font(name="黑体", size=10.5), horizontal="center"),
        style("go_paragraph", font=Font(name="仿宋", size=14), vertical="top", border=False),
    ]


class _Sheet:
    """A write-only sheet with a title row, a note row and a header row, and helpers to append rows."""

    def __init__(self, wb: Workbook, title: str, columns: list[tuple[str, float]], *, heading: str, note: str):
        self.ws = wb.create_sheet(title)
        self.columns = columns
        self.row_idx = 0
        self.flow = print_layout(self.ws, widths=[w for _, w in columns], landscape=True, title_rows=(3, 3),
                                 keep_together=True)
        # The sheet view (frozen panes) is written with the first row: set it before any row.
        self.ws.freeze_panes = "A4"
        self.merged(heading, "go_title", height=36)
        self.merged(note, "go_note", height=20)
        self.append([(h, "go_header") for h, _ in columns], height=24)

    def _row(self, values: list[tuple[object, str]], height: float | None):
        cells = []
        lines = 1
        for index, (value, style) in enumerate(values):
            cells.append(text_cell(self.ws, value, style))
            if isinstance(value, str) and index < len(self.columns):
                lines = max(lines, wrapped_lines(value, self.columns[index][1]))
        return cells, round(min(height or max(20, lines * LINE_HEIGHT + 6), MAX_ROW_HEIGHT), 1)

    def append(self, values: list[tuple[object, str]], *, height: float | None = None):
        self.block([values], height=height)

    def block(self, rows: list[list[tuple[object, str]]], *, height: float | None = None):
        """Rows that print on one page (an item continued on the rows below): a page break goes before
        them when they do not fit on the rest of the page."""
        built = [self._row(values, height) for values in rows]
        self.flow.add(self.row_idx + 1, [h for _, h in built])
        for cells, h in built:
            self.row_idx += 1
            self._write(cells, h)

    def merged(self, text: str, style: str, *, height: float | None = None, heading: bool = False):
        """A row whose first cell spans every column (title, note, notice and section headings); a
        ``heading`` prints on the page of the rows that follow it."""
        self.row_idx += 1
        last = len(self.columns)
        total_width = sum(w for _, w in self.columns)
        cells = []
        for index in range(last):
            cells.append(text_cell(self.ws, text if index == 0 else None, style))
        self.merge(CellRange(min_col=1, min_row=self.row_idx, max_col=last, max_row=self.row_idx))
        h = round(min(height or max(22, wrapped_lines(text, total_width) * LINE_HEIGHT + 6), MAX_ROW_HEIGHT), 1)
        self.flow.add(self.row_idx, [h], keep_with_next=heading)
        self._write(cells, h)

    def merge(self, cell_range: CellRange):
        """Record a merged range. The ranges we write never overlap, so they go straight into the set:
        ``MultiCellRange.add`` first scans every range already there, quadratic over a big year."""
        self.ws.merged_cells.ranges.add(cell_range)

    def _write(self, cells, height: float):
        self.ws.row_dimensions[self.row_idx].height = height
        self.ws.append(cells)
        del self.ws.row_dimensions[self.row_idx]


def _date(value: datetime.date | None):
    return (value, "go_date") if value else (None, "go_center")


def _summary_sheet(wb, *, heading: str, note: str, rows: Iterable[SummaryRow]) -> int:
    """One row per item; an item whose 落实情况 is taller than Excel's tallest row continues on the rows
    below, its other columns merged down, so nothing is cut off on paper."""
    sheet = _Sheet(wb, SHEET_SUMMARY, SUMMARY_COLUMNS, heading=heading, note=note)
    progress_width = SUMMARY_COLUMNS[PROGRESS_COLUMN - 1][1]
    count = 0
    for row in rows:
        if row.kind != "item":
            sheet.merged(row.heading, "go_subsection" if row.kind == "subsection" else "go_section", heading=True)
            continue
        count += 1
        chunks = split_for_rows(row.progress_text, progress_width, MAX_ROW_LINES)
        first = sheet.row_idx + 1
        sheet.block([[
            (row.number, "go_int"), (row.text, "go_text"), (row.lead_units, "go_center"),
            (row.responsible_units, "go_center"), (row.deadline_display, "go_center"),
            (row.status, "go_center"), _date(row.completed_on), (chunks[0], "go_text"),
            (row.origin_label, "go_center"),
        ]] + [[(None, "go_int"), (None, "go_text"), *[(None, "go_center")] * 5, (chunk, "go_text"),
               (None, "go_center")] for chunk in chunks[1:]])
        if len(chunks) > 1:
            for col in range(1, len(SUMMARY_COLUMNS) + 1):
                if col != PROGRESS_COLUMN:
                    sheet.merge(CellRange(min_col=col, min_row=first, max_col=col, max_row=sheet.row_idx))
    return count


def split_for_rows(text: str, width: float, max_lines: int) -> list[str]:
    """Cut a cell's text into pieces of at most ``max_lines`` wrapped lines, at paragraph ends where possible."""
    usable = max(width - 1.5, 1)
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for paragraph in (text or "").split("\n"):
        lines = wrapped_lines(paragraph, width)
        if current and used + lines > max_lines:
            pieces.append("\n".join(current))
            current, used = [], 0
        while lines > max_lines:  # one paragraph taller than a row: cut it by display width
            limit, taken, cut = max_lines * usable, 0, 0
            for cut, ch in enumerate(paragraph):  # noqa: B007
                taken += text_width(ch)
                if taken > limit:
                    break
            pieces.append(paragraph[:cut])
            paragraph = paragraph[cut:]
            lines = wrapped_lines(paragraph, width)
        current.append(paragraph)
        used += lines
    pieces.append("\n".join(current))
    return pieces


def _figures_row(index: int | None, fig: Figures, *, total: bool = False):
    """Counts are integers, rates fractions shown as percentages, empty where there is nothing to divide."""
    num = "go_total" if total else "go_int"
    return [
        (index, "go_int"), (fig.label, "go_total" if total else "go_text"), (fig.assigned, num), (fig.done, num),
        (fig.done_on_time, num), (fig.done_late, num), (fig.overdue, num), (fig.not_applicable, num),
        (fig.not_reported, num), (fig.on_time_rate, "go_pct"), (fig.overdue_share, "go_pct"),
        (fig.avg_days_to_done, "go_dec"),
    ]


def _units_sheet(wb, *, heading: str, note: str, stats: Statistics):
    sheet = _Sheet(wb, SHEET_UNITS, STATS_COLUMNS, heading=heading, note=note)
    sheet.merged("按单位统计（台账行）", "go_section", heading=True)
    for index, fig in enumerate(stats.units, 1):
        sheet.append(_figures_row(index, fig))
    sheet.append(_figures_row(None, stats.unit_total, total=True))
    sheet.merged("按部分统计（事项）", "go_section", heading=True)
    for index, fig in enumerate(stats.sections, 1):
        sheet.append(_figures_row(index, fig))
    sheet.append(_figures_row(None, stats.section_total, total=True))
    sheet.merged("按完成时限月份统计（事项）", "go_section", heading=True)
    for index, fig in enumerate(stats.months, 1):
        sheet.append(_figures_row(index, fig))


def _overdue_sheet(wb, *, heading: str, note: str, lines: Iterable[OverdueLine]):
    sheet = _Sheet(wb, SHEET_OVERDUE, OVERDUE_COLUMNS, heading=heading, note=note)
    for index, line in enumerate(lines, 1):
        sheet.append([
            (index, "go_int"), (line.doc_number, "go_center"), (line.item_number, "go_int"),
            (line.item_text, "go_text"), (line.unit_name, "go_center"), (line.role, "go_center"),
            (line.deadline_display, "go_center"), _date(line.due_date), (line.days_overdue, "go_int"),
            (line.status, "go_center"), _date(line.last_reported_on),
        ])


def _text_sheet(wb, *, heading: str, text: str):
    ws = wb.create_sheet(SHEET_TEXT)
    print_layout(ws, widths=[TEXT_WIDTH], landscape=False)
    title = text_cell(ws, heading, "go_title")
    ws.row_dimensions[1].height = 36
    ws.append([title])
    for index, paragraph in enumerate(p for p in text.split("\n") if p.strip()):
        cell = text_cell(ws, "\u3000\u3000" + paragraph.strip(), "go_paragraph")
        # 14 pt 仿宋 is about 1.33 times the width and height of the body font.
        ws.row_dimensions[index + 2].height = min(wrapped_lines(cell.value, TEXT_WIDTH / 1.33) * 20 + 8,
                                                  MAX_ROW_HEIGHT)
        ws.append([cell])
        del ws.row_dimensions[index + 2]


def write_summary_workbook(out, *, year: int, scope_label: str, today: datetime.date, rows: Iterable[SummaryRow],
                           stats: Statistics, overdue: Iterable[OverdueLine], annual_text: str) -> int:
    """Write the four-sheet workbook to ``out`` (a path or a binary file); returns the number of items.

    ``scope_label`` names what the workbook covers (全部通知 / a 文号, and the unit for a unit's export).
    """
    wb = Workbook(write_only=True)
    for style in _styles():
        wb.add_named_style(style)
    note = f"统计范围：{scope_label}　　统计截至：{cn_date(today)}"
    count = _summary_sheet(wb, heading=f"{year}年政务公开工作主要任务落实情况汇总表", note=note, rows=rows)
    _units_sheet(wb, heading=f"{year}年政务公开工作任务落实情况统计表", note=note, stats=stats)
    _overdue_sheet(wb, heading=f"{year}年政务公开工作任务逾期清单", note=note, lines=overdue)
    _text_sheet(wb, heading=f"{year}年政务公开工作任务落实情况（年报文字）", text=annual_text)
    wb.save(out)
    return count
