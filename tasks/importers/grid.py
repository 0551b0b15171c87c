"""Rows of cell strings with merge information, as every reader hands them to the table core.

Also the header vocabulary: which column words mean which role, found in any order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.importers.columns import HEADER_WORDS, ROLE_LABELS, header_role, squash  # noqa: F401 (re-exported)
from tasks.importers.result import ImportIssue, location

# Whole-line header words (PDF text): every word of the line must be one of these.
_WORDS = sorted(((w, role) for role, words in HEADER_WORDS.items() if role != "ignore" for w in words
                 if len(w) >= 2), key=lambda pair: -len(pair[0]))


@dataclass
class Cell:
    text: str = ""
    merged: bool = False      # repeats the cell above or to the left (a merged area)
    across: bool = False      # merged with the cell to its left (same row as the merged area's start)
    rows_down: int = 1        # rows covered by this cell when it starts a vertical merge
    cols_across: int = 1      # columns covered when it starts a horizontal merge
    units: list[str] | None = None  # unit names already split (prose): not split again


@dataclass
class Row:
    cells: list[Cell]
    number: int | None = None    # 1-based source row (or line of a text)
    where: str = ""              # how to name the row in a message: "第2个表格第3行"
    synthetic: bool = False      # columns rebuilt from PDF text: name columns, not numbers
    column_names: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def distinct(self) -> list[tuple[int, Cell]]:
        """Non-empty cells that start a merged area (or are not merged), with their index."""
        return [(i, c) for i, c in enumerate(self.cells) if not c.merged and c.text.strip()]

    def loc(self, col: int | None = None) -> str:
        base = self.where or (f"第{self.number}行" if self.number else "")
        if col is None:
            return base
        name = self.column_names[col] if col < len(self.column_names) else ""
        if self.synthetic:
            return location(where=base, column=name or None)
        return base + f"第{col + 1}列" + (f"（{name}）" if name else "")


    def issue(self, kind: str, detail: str, col: int | None = None) -> ImportIssue:
        """A warning or skipped-row record naming this row (and column)."""
        column: int | str | None = None
        if col is not None:
            name = self.column_names[col] if col < len(self.column_names) else ""
            column = (name or None) if self.synthetic else col + 1
        prefix = self.loc(col)
        return ImportIssue(self.number, column, f"{prefix}：{detail}" if prefix else detail, kind)


def header_roles(text: str) -> list[str] | None:
    """Roles named by one header cell or a whole header line ("工 作 任 务 牵头单位 …"); None if
    the text holds anything but header words."""
    flat = squash(text)
    flat = re.sub(r"[（(][^）)]{0,12}[）)]", "", flat)
    roles: list[str] = []
    pos = 0
    while pos < len(flat):
        for word, role in _WORDS:
            if flat.startswith(word, pos):
                roles.append(role)
                pos += len(word)
                break
        else:
            return None
    return roles or None


def header_map(row: Row) -> dict[int, str] | None:
    """Map column index → role when ``row`` is a header row, else None.

    A header row has short cells only, two roles at least among them, and most of its cells are
    header words; a cell outside the vocabulary maps to "" (its role is guessed from the content).
    """
    roles: dict[int, str] = {}
    last_role = None
    unknown = 0
    for i, cell in enumerate(row.cells):
        if cell.merged and cell.across and last_role is not None:
            roles[i] = last_role
            continue
        text = squash(cell.text)
        if not text:
            last_role = None
            continue
        if len(text) > 16 or re.search(r"[。；]|^\d", text):
            return None
        role = header_role(cell.text)
        if role is None:
            line = header_roles(cell.text)
            role = line[0] if line and len(line) == 1 else None
        if role is None:
            unknown += 1
            role = ""
        roles[i] = last_role = role
    found = {r for r in roles.values() if r}
    if len(found - {"note", "ignore"}) < 2 or unknown > len(found) / 2:
        return None
    if not found & {"task", "requirement", "lead", "responsible"}:
        return None
    return roles


def is_repeat_header(row: Row, roles: dict[int, str]) -> bool:
    found = header_map(row)
    return bool(found) and {r for r in found.values() if r} <= set(roles.values()) | {"note", "number", "ignore"}


def looks_like_breakdown(rows: list[Row]) -> bool:
    """A table without a known header row that still holds items: two rows of two cells or more, and
    a long text among them (a cover or signature table has short cells only)."""
    data = [row for row in rows if len(row.distinct()) >= 2]
    return len(data) >= 2 and any(len(squash(c.text)) >= 15 for row in data for _i, c in row.distinct())
