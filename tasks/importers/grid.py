"""Rows of cell strings with merge information, as every reader hands them to the table core.

Also the header vocabulary: which column words mean which role, found in any order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.importers.result import ImportIssue, location

# Column roles, and the header words that name them (compared with whitespace removed).
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序"),
    "task": ("主要工作任务", "工作任务", "主要任务", "重点任务", "任务名称", "工作事项", "工作项目", "任务"),
    "requirement": ("工作要求", "具体要求", "任务内容", "工作内容", "具体任务", "工作措施", "具体措施",
                    "主要内容", "任务要求", "要求"),
    "lead": ("牵头单位", "牵头部门", "牵头责任单位", "牵头"),
    "responsible": ("责任单位", "责任部门", "责任主体", "承办单位", "落实单位", "完成单位", "实施单位"),
    "cooperating": ("配合单位", "配合部门", "协办单位", "协助单位"),
    "deadline": ("完成时限", "时限要求", "完成时间", "时间节点", "办结时限", "时限", "时间"),
    "note": ("备注",),
}
ROLE_LABELS = {"number": "序号", "task": "工作任务", "requirement": "工作要求", "lead": "牵头单位",
               "responsible": "责任单位", "cooperating": "配合单位", "deadline": "时限", "note": "备注"}
_WORDS = sorted(((w, role) for role, words in HEADER_WORDS.items() for w in words),
                key=lambda pair: -len(pair[0]))


@dataclass
class Cell:
    text: str = ""
    merged: bool = False      # repeats the cell above or to the left (a merged area)
    across: bool = False      # merged with the cell to its left (same row as the merged area's start)
    rows_down: int = 1        # rows covered by this cell when it starts a vertical merge
    cols_across: int = 1      # columns covered when it starts a horizontal merge


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


def squash(text: str) -> str:
    return re.sub(r"[\s\u3000:：*＊]+", "", text or "")


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
    """Map column index → role when ``row`` is a header row (two roles at least), else None."""
    roles: dict[int, str] = {}
    last_role = None
    for i, cell in enumerate(row.cells):
        if cell.merged and cell.across and last_role:
            roles[i] = last_role
            continue
        if not cell.text.strip():
            last_role = None
            continue
        found = header_roles(cell.text)
        if not found or len(found) != 1:
            return None
        roles[i] = last_role = found[0]
    if len(set(roles.values())) < 2 or not set(roles.values()) & {"task", "requirement"}:
        return None
    return roles


def is_repeat_header(row: Row, roles: dict[int, str]) -> bool:
    found = header_map(row)
    return bool(found) and set(found.values()) <= set(roles.values()) | {"note", "number"}
