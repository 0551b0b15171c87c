"""Text extracted from a PDF of a breakdown table: cells arrive one line after another.

The header line ("工作任务 工作要求 牵头单位 责任单位") gives the column order. Sections ("一、…"),
subsections ("（一）…") and items ("1.…") are found by their numbering, checked to run in
sequence; inside an item the sentence lines and the unit lines are told apart by content.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.importers.grid import ROLE_LABELS, Cell, Row, header_roles
from tasks.importers.result import ImportIssue
from tasks.importers.table import SECTION_RE, SUBSECTION_RE, numbered
from tasks.importers.text_units import (
    assign_roles,
    complete_units,
    split_text_and_units,
    unit_chunks,
    unitish_line,
)
from tasks.parsing import is_cjk, is_complete_unit_name, is_group_phrase, resolve_deadline, split_unit_tokens

ITEM_START_RE = re.compile(r"^(\d{1,3})[.．、](?!\d)")
# With a 序号 column the number stands alone before the text: "7 严格执行…".
NUMBERED_START_RE = re.compile(r"^(\d{1,3})(?:[.．、](?!\d)|\s+(?=\D)|$)")
PAGE_NUMBER_RE = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$")
FOOTER_RE = re.compile(r"(^抄送[:：])|((19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$)")
DEADLINE_HINT_RE = re.compile(r"月|年|季度|持续|长期|常态|工作日")


def find_header_line(lines: list[str]) -> tuple[int, list[str]] | None:
    for index, line in enumerate(lines):
        if len(line.strip()) > 60:
            continue
        roles = header_roles(line)
        if roles and len(set(roles)) >= 2 and set(roles) & {"task", "requirement"}:
            return index, roles
    return None


def join_lines(lines: list[str]) -> str:
    out = ""
    for line in (raw.strip() for raw in lines):
        if out and line and not (is_cjk(out[-1]) or is_cjk(line[0])):
            out += " "
        out += line
    return out


@dataclass
class _Block:
    kind: str                 # "section" | "subsection" | "item"
    number: int
    line: int
    lines: list[str] = field(default_factory=list)


def _content(lines: list[str], start: int, roles: list[str], issues: list[ImportIssue]) -> list[tuple[int, str]]:
    """Body lines as (1-based line number, text); page furniture is dropped, soft wraps re-joined."""
    entries: list[tuple[int, str, bool]] = []
    for index in range(start, len(lines)):
        raw = lines[index].rstrip("\r\n")
        text = raw.strip()
        if not text:
            continue
        if len(header_roles(text) or ()) >= 2 and len(text) <= 60:
            issues.append(ImportIssue.at("skipped_header_repeat", "重复的表头行，已跳过", row=index + 1))
        elif PAGE_NUMBER_RE.match(text):
            issues.append(ImportIssue.at("skipped_blank", "页码，已跳过", row=index + 1))
        elif FOOTER_RE.search(text):
            issues.append(ImportIssue.at("skipped_note", "表格之后的版记，已跳过", row=index + 1))
            break
        else:
            entries.append((index + 1, text, raw != raw.rstrip()))
    trailing_style = sum(1 for e in entries if e[2]) >= 0.25 * max(len(entries), 1)
    joined: list[tuple[int, str]] = []
    previous_soft = False
    for number, text, has_trailing_space in entries:
        structural = ITEM_START_RE.match(text) or SECTION_RE.match(text) or SUBSECTION_RE.match(text)
        if trailing_style and previous_soft and joined and number == joined[-1][0] + 1 and not structural:
            joined[-1] = (number, joined[-1][1] + text)
        else:
            joined.append((number, text))
        previous_soft = trailing_style and not has_trailing_space
    return joined


def _blocks(entries: list[tuple[int, str]], issues: list[ImportIssue], roles: list[str]) -> list[_Block]:
    item_start = NUMBERED_START_RE if "number" in roles else ITEM_START_RE
    blocks: list[_Block] = []
    last = {"section": 0, "subsection": 0, "item": 0}
    for number, text in entries:
        kind, value, previous = None, 0, blocks[-1].lines[-1] if blocks else ""
        if (found := item_start.match(text)) and (
                int(found.group(1)) == last["item"] + 1
                or (last["item"] < int(found.group(1)) <= last["item"] + 3
                    and (previous.endswith("。") or unitish_line(previous)))):
            kind, value = "item", int(found.group(1))
        elif (sec := numbered(text, SECTION_RE)) and sec[0] == last["section"] + 1:
            kind, value = "section", sec[0]
        elif (sub := numbered(text, SUBSECTION_RE)) and sub[0] in (1, last["subsection"] + 1):
            kind, value = "subsection", sub[0]
        if kind:
            last[kind] = value
            blocks.append(_Block(kind, value, number, [text]))
        elif blocks:
            blocks[-1].lines.append(text)
        else:
            issues.append(ImportIssue.at("skipped_title", "表头之后、第一个事项之前的文字，已跳过", row=number))
    return blocks


def _is_deadline_line(text: str) -> bool:
    return (len(text) <= 16 and not re.search("[，。；]", text) and bool(DEADLINE_HINT_RE.search(text))
            and resolve_deadline(text, 2000).recognised)


def _unit_start(lines: list[str]) -> int:
    """Index of the first unit line at the end of an item whose text comes first."""
    ends = [i for i, line in enumerate(lines) if line.endswith("。")]
    first = ends[-1] + 1 if ends else 1
    for k in range(first, len(lines)):
        if complete_units(lines[k:]) and all(unitish_line(line) for line in lines[k:]):
            return k
    return len(lines)


def _title_end(lines: list[str]) -> int:
    """How many leading lines hold the item title when the units come right after it."""
    for k in range(1, len(lines)):
        line = lines[k]
        tokens = split_unit_tokens(line)
        if unitish_line(line) and tokens and (is_complete_unit_name(tokens[-1]) or line[-1] in "、，"
                                              or any(is_group_phrase(t) for t in tokens)):
            return k
    return len(lines)


def width(line: str) -> float:
    """Printed width in full-width characters: the PDF's column widths show through it."""
    return sum(1 if is_cjk(ch) or ord(ch) > 0x2e80 else 0.5 for ch in line)


def _title_cut(text: list[str], title_width: float) -> int:
    """How many of an item's text lines are its title (the 工作任务 column) in a titled layout."""
    ends = [j for j, line in enumerate(text[:-1]) if line.endswith("。")]
    if ends:
        return ends[0] + 1
    cut = 1
    while cut < len(text) and width(text[cut]) <= title_width + 0.5:
        cut += 1
        if text[cut - 1].endswith("。"):
            break
    return cut


def _split_item(block: _Block, roles: list[str], titled: float) -> dict[str, str]:
    lines: list[str] = []
    deadlines: list[str] = []
    for index, line in enumerate(block.lines):
        if "deadline" in roles:
            parts = line.split()
            found = [p for k, p in enumerate(parts) if (k or index) and _is_deadline_line(p)]
            deadlines += found
            line = " ".join(p for p in parts if p not in found)
            if not line:
                continue
        head, tail = split_text_and_units(line)
        lines += [head, tail] if tail else [head]
    deadline = "".join(deadlines)
    number = ""
    if "number" in roles and (found := NUMBERED_START_RE.match(lines[0])):
        number, lines[0] = found.group(1), lines[0][found.end():].strip()
    text_first = roles.index("requirement") < min(
        (roles.index(r) for r in ("lead", "responsible", "cooperating") if r in roles), default=99)
    cells: dict[str, str] = {"deadline": deadline, "number": number}
    if text_first:
        start = _unit_start(lines)
        text, units = lines[:start], lines[start:]
        if titled:
            cut = _title_cut(text, titled)
            cells["task"], cells["requirement"] = join_lines(text[:cut]), join_lines(text[cut:])
        else:
            cells["requirement"] = join_lines(text)
    else:
        cut = _title_end(lines)
        rest = lines[cut:]
        count = next((k for k, line in enumerate(rest) if not unitish_line(line)), len(rest))
        units, requirement = rest[:count], rest[count:]
        cells["task" if "task" in roles else "requirement"] = join_lines(lines[:cut])
        if "task" in roles:
            cells["requirement"] = join_lines(requirement)
    cells.update(assign_roles(unit_chunks(units), roles))
    return cells


def _title_width(blocks: list[_Block], roles: list[str]) -> float:
    """0 when the items' "N." text is the requirement; else the widest title line seen, which
    tells title lines from requirement lines where a title lacks its closing "。"."""
    if "task" not in roles:
        return 0
    items = [b for b in blocks if b.kind == "item"]
    titled, widest = 0, 0.0
    for block in items:
        text = block.lines[:_unit_start(block.lines)]
        ends = [j for j, line in enumerate(text[:-1]) if line.endswith("。")]
        if ends:
            titled += 1
            widest = max([widest] + [width(line) for line in text[:ends[0] + 1]])
    return widest if items and titled * 2 >= len(items) else 0


def pdf_rows(lines: list[str], header_index: int, roles: list[str]) -> tuple[list[Row], list[ImportIssue]]:
    """Rows for the table core: a synthetic header, heading rows, one row per item."""
    issues: list[ImportIssue] = []
    names = [ROLE_LABELS[role] for role in roles]

    def row(cells: list[Cell], line: int) -> Row:
        return Row(cells, number=line, synthetic=True, column_names=names)

    rows = [row([Cell(name) for name in names], header_index + 1)]
    blocks = _blocks(_content(lines, header_index + 1, roles, issues), issues, roles)
    if "task" in roles:  # "title。 requirement。" side by side on one line: the gap is the column border
        for block in blocks:
            block.lines = [part for line in block.lines for part in re.split(r"(?<=。)\s+(?=\S)", line) if part]
    titled = _title_width(blocks, roles)
    for block in blocks:
        if block.kind in ("section", "subsection"):
            cells = [Cell(join_lines(block.lines), cols_across=len(roles))]
            rows.append(row(cells + [Cell(merged=True, across=True) for _ in roles[1:]], block.line))
            continue
        values = _split_item(block, roles, titled)
        rows.append(row([Cell(values.get(role, "")) for role in roles], block.line))
    return rows, issues
