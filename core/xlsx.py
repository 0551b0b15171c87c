"""Writing workbooks whose user text stays text, and that print as they are (see "Printing" below).

openpyxl stores any string that starts with "=" as a live formula, and spreadsheet programs treat a
cell typed with a leading +, -, @, tab or carriage return as one too. Text that users wrote (an item
title, a lead summary, a user name typed into the login form…) must never become a formula in a file
an office admin opens, so every workbook the app writes goes through this module:

- ``text_cell(ws, value, style=None)``: a cell for a write-only sheet; a string is stored as a string;
- ``set_text(cell, value)``: the same for a cell of an ordinary sheet;
- ``text_only(workbook)``: the last step of every ordinary (not write-only) workbook builder: every
  string cell becomes a string cell, whatever it starts with.

A string that starts with one of those characters is also given Excel's "quote prefix" (the leading
apostrophe a person types to enter text), so editing the cell later keeps it text. The stored value is
exactly the user's text: reading the file back gives the same string.
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def set_text(cell, value=None, *, keep=False):
    """Put `value` in `cell`; a string is stored as text, never as a formula. Returns the cell.

    keep=True: leave the cell's current value and only make sure a string in it is text.
    """
    if not keep:
        cell.value = value
    value = cell.value
    if isinstance(value, str) and not isinstance(value, CellRichText):
        if cell.data_type != "s":
            cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def text_cell(ws, value=None, style: str | None = None) -> Cell:
    """A WriteOnlyCell for `ws` holding `value` as text, with the named `style` if given."""
    cell = WriteOnlyCell(ws, value=value)
    if style:
        cell.style = style  # before the quote prefix: a named style resets the cell's format
    return set_text(cell, keep=True)


def text_row(ws, values) -> list:
    """Cells for `ws.append` on a write-only sheet: each value as ``text_cell`` (cells pass through)."""
    return [v if isinstance(v, Cell) else text_cell(ws, v) for v in values]


def text_only(workbook):
    """Make every string cell of an ordinary workbook a string cell (no formula); returns the workbook.

    The app's workbooks hold no formulas of their own, so any cell openpyxl took for one came from text.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    set_text(cell, keep=True)
    return workbook


# ---------------------------------------------------------------------------------------------------
# Printing: every sheet the app writes prints on A4, fitted to the page width, with the header rows
# repeated on each page and "第 N 页 共 M 页" in the footer (``print_layout``); a block of rows that
# belongs together (an item whose text runs over several rows, or a label merged down several rows) is
# kept on one page where it fits (``PageFlow``).
#
# What the programs honour: Excel and LibreOffice never split a single row across pages (a row taller
# than the page is clipped), and both honour manual row breaks (``<rowBreaks>``) with "fit to 1 page
# wide, automatic height" (fitToWidth=1, fitToHeight=0). Neither keeps rows *together*, and a cell
# merged down several rows is cut at a page break. So ``PageFlow`` plans the pages itself and writes
# a manual break before each page, from the row heights the builder sets (Excel does not grow a row
# to fit wrapped text on opening, so builders size rows with ``row_height``). Its page is the
# smallest one a program may lay out: fit-to-width scale from Excel's 7 pixels per width unit (the
# narrowest default font; LibreOffice without Calibri lays columns out wider, so it scales down more
# and fits more rows per page) and a safety margin. Pages are then a little less full than they could
# be, and a break never falls inside a block.
# ---------------------------------------------------------------------------------------------------
PAGE_FOOTER = "第 &P 页 共 &N 页"
A4_SHORT_PT, A4_LONG_PT = 595.3, 841.9
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}  # inches
PORTRAIT_MAX_WIDTH = 95  # width units that still read well on portrait A4; wider tables print landscape
LINE_HEIGHT = 14.5       # points per wrapped line of 10.5 pt 宋体 (the body font of every workbook)
MAX_ROW_HEIGHT = 409     # Excel's tallest row, in points
PIXELS_PER_UNIT = 7      # Excel's column width unit with the default 11 pt font
PAGE_SAFETY = 0.97       # plan pages this much shorter than estimated


def text_width(text) -> int:
    """Display width in Excel character units: CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def wrapped_lines(text, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` units wide (each paragraph at least one)."""
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text).split("\n"))


def row_height(values: Sequence, widths: Sequence[float], *, line_height: float = LINE_HEIGHT,
               minimum: float = 20) -> float:
    """The height in points a row of wrapped cells needs (at most Excel's tallest row)."""
    lines = max([wrapped_lines(v, w) for v, w in zip(values, widths, strict=False)
                 if v is not None and v != ""] or [1])
    return round(min(MAX_ROW_HEIGHT, max(minimum, lines * line_height + 6)), 1)


def is_landscape(widths: Sequence[float]) -> bool:
    return sum(widths) > PORTRAIT_MAX_WIDTH


def print_layout(ws, *, widths: Sequence[float], landscape: bool | None = None,
                 title_rows: tuple[int, int] | None = None, footer: str = PAGE_FOOTER,
                 keep_together: bool = False) -> PageFlow | None:
    """A4, portrait or landscape (``None``: landscape when the columns are wider than portrait A4 reads
    well), fitted to one page wide, ``title_rows`` (first, last) repeated on every page, the page-number
    footer, centred. Sets the column widths too. Works on ordinary and write-only sheets (call it before
    the first row of a write-only sheet). Returns a ``PageFlow`` when ``keep_together``."""
    if landscape is None:
        landscape = is_landscape(widths)
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.size = 9
    if not keep_together:
        return None
    return PageFlow(ws, widths=widths, landscape=landscape, title_rows=title_rows)


class PageFlow:
    """Plans the printed pages of a sheet and breaks before a block of rows that would not fit on the
    rest of the page. Tell it every row in order, as it is written: ``add(row, [height, ...])`` with the
    first row's number and the heights of the rows that must stay together (one height for a single row).
    ``keep_with_next``: the rows go on the page of the block that follows them (a section heading).
    """

    def __init__(self, ws, *, widths: Sequence[float], landscape: bool, title_rows: tuple[int, int] | None):
        width_pt, height_pt = (A4_LONG_PT, A4_SHORT_PT) if landscape else (A4_SHORT_PT, A4_LONG_PT)
        printable_width = width_pt - 72 * (MARGINS["left"] + MARGINS["right"])
        printable_height = height_pt - 72 * (MARGINS["top"] + MARGINS["bottom"])
        content_width = sum(widths) * PIXELS_PER_UNIT * 0.75
        self.scale = min(1.0, printable_width / content_width) if content_width else 1.0
        self.capacity = printable_height / self.scale * PAGE_SAFETY
        self.ws = ws
        self.title_rows = title_rows
        self.repeat = 0.0  # height of the repeated header rows, counted at the top of every later page
        self.used = 0.0
        self.breaks: list[int] = []  # rows after which a page ends
        self.pending: tuple[int, list[float]] | None = None

    def add(self, row: int, heights: Sequence[float], *, keep_with_next: bool = False) -> None:
        if self.title_rows and self.title_rows[0] <= row <= self.title_rows[1]:
            self.repeat += sum(heights)
        if self.pending:
            row, heights = self.pending[0], self.pending[1] + list(heights)
            self.pending = None
        if keep_with_next:
            self.pending = (row, list(heights))
            return
        total = sum(heights)
        if self.used + total <= self.capacity:
            self.used += total
            return
        if self.repeat + total <= self.capacity:  # fits on a page of its own: start one
            self._break(row - 1)
            self.used = self.repeat + total
            return
        if self.used > self.repeat:  # taller than a page: start it on a new page, then fill row by row
            self._break(row - 1)
            self.used = self.repeat
        for offset, height in enumerate(heights):
            if self.used + height > self.capacity and self.used > self.repeat:
                self._break(row + offset - 1)
                self.used = self.repeat
            self.used += height

    def _break(self, after_row: int) -> None:
        if after_row >= 1 and (not self.breaks or self.breaks[-1] != after_row):
            self.breaks.append(after_row)
            # Onto the list itself: ``RowBreak.append`` re-validates every break already there, quadratic over a
            # big year (35 s of the 100,000-row summary workbook went there, 11,700 page breaks).
            self.ws.row_breaks.brk.append(Break(id=after_row))


DEFAULT_ROW_HEIGHT = 15  # a row without a height of its own (11 pt default font)


def plan_pages(ws, flow: PageFlow, *, blocks=(), headings=()) -> None:
    """Plan the pages of an ordinary sheet once it is filled: every row in order, each (first, last) of
    ``blocks`` kept on one page, each row of ``headings`` kept with what follows it."""
    ends = {}
    for first, last in blocks:
        ends[first] = max(last, ends.get(first, first))
    row = 1
    while row <= ws.max_row:
        last = ends.get(row, row)
        heights = [ws.row_dimensions[r].height or DEFAULT_ROW_HEIGHT for r in range(row, last + 1)]
        flow.add(row, heights, keep_with_next=row in headings)
        row = last + 1
