"""A 工作要点 written as prose: sections "一、…", items "（一）…" ending in "（责任单位：…）".

Items are numbered 1..N in order across the notice (JSON numbers are integers unique in the
notice); the first sentence of an item is its short title.
"""
from __future__ import annotations

import re

from tasks.importers.grid import ROLE_LABELS, Cell, Row
from tasks.importers.table import SECTION_RE, SUBSECTION_RE, numbered
from tasks.importers.text_pdf import FOOTER_RE, join_lines
from tasks.parsing import normalize_text

UNITS_RE = re.compile(r"[（(]\s*((?:责任|牵头|配合)(?:单位|部门)\s*[:：].*?)[）)]\s*[。.]?\s*$", re.S)
ROLES = ["number", "task", "requirement", "responsible"]
MAX_TITLE = 60


def find_prose_start(lines: list[str]) -> int | None:
    """Index of the "一、" line that opens the key points (followed by a "（一）" item)."""
    flat = [line.strip() for line in lines]
    for index, line in enumerate(flat):
        section = numbered(line, SECTION_RE)
        if not section or section[0] != 1:
            continue
        following = next((f for f in flat[index + 1:] if f), "")
        if numbered(following, SUBSECTION_RE) and any(UNITS_RE.search(f) for f in flat[index:]):
            return index
    return None


def split_title(text: str) -> tuple[str, str]:
    """The first sentence is the item's short title when it is short."""
    end = text.find("。")
    if 0 < end < MAX_TITLE and end < len(text) - 1:
        return text[:end + 1], text[end + 1:]
    return "", text


def prose_rows(lines: list[str], start: int) -> list[Row]:
    names = [ROLE_LABELS[role] for role in ROLES]
    rows = [Row([Cell(name) for name in names], number=start, synthetic=True, column_names=names)]
    items: list[tuple[int, list[str]]] = []
    headings: list[tuple[int, str]] = []
    last_section = 0
    for index in range(start, len(lines)):
        text = lines[index].strip()
        if not text:
            continue
        if FOOTER_RE.search(text):
            break
        section = numbered(text, SECTION_RE)
        if section and section[0] == last_section + 1:
            last_section = section[0]
            headings.append((index + 1, text))
            items.append((index + 1, []))  # marks the heading's place among the items
        elif numbered(text, SUBSECTION_RE):
            items.append((index + 1, [text]))
        elif items and items[-1][1]:
            items[-1][1].append(text)
    heading_at = dict(headings)
    number = 0
    for line, parts in items:
        if not parts:
            cells = [Cell(heading_at[line], cols_across=len(ROLES))] + [Cell(merged=True, across=True) for _ in ROLES[1:]]
            rows.append(Row(cells, number=line, synthetic=True, column_names=names))
            continue
        number += 1
        body = normalize_text(join_lines(parts))
        body = SUBSECTION_RE.match(body).group(2).strip()
        units = ""
        if found := UNITS_RE.search(body):
            units, body = found.group(1), body[:found.start()].rstrip()
        title, requirement = split_title(body)
        rows.append(Row([Cell(str(number)), Cell(title), Cell(requirement), Cell(units)],
                        number=line, synthetic=True, column_names=names))
    return rows
