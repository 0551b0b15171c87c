"""Writing workbooks whose user text stays text.

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

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText

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
