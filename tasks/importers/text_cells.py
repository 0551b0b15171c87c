"""Tables pasted as text without tabs: " | " pipe rows, one cell per line between "|" lines (as web
pages copy), or one cell per line (LibreOffice text export).

Rows lose their merged cells on the way: a row shorter than the table lacks its leftmost cells,
which were merged down from the rows above. Rows are rebuilt right-aligned, the missing cells
marked as merged with the cell above, so the table core reads them as it reads a merged .docx
cell. Where the cells come as a stream (one per line) the row ends are found by content: a row
ends with the cell of its last column's kind (a 时限, a unit), a small integer starts a new row.
When the header has fewer names than the rows have cells (a 序号 column under "工作任务", a
section column), each header word goes to the column whose content fits it.
"""
from __future__ import annotations

import itertools
import re

from tasks.importers.columns import cell_kind, guess_roles, header_role
from tasks.importers.grid import Cell, Row

_SECTION_START = re.compile(r"^([一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])")
_TEXT_ROLES = ("task", "requirement", "note")
_UNIT_ROLES = ("lead", "responsible", "cooperating")


def _is_pipe_row(line: str) -> bool:
    return "|" in line and bool(line.replace("|", "").strip())


def find_cell_table(lines: list[str]) -> tuple[str, int] | None:
    """("rows" | "stream", index of the header's first line) for a pipe or one-cell-per-line table."""
    bars = sum(1 for line in lines if line.strip() == "|")
    pipe_rows = sum(1 for line in lines if _is_pipe_row(line))
    if pipe_rows >= 3 and pipe_rows >= bars:
        for index, line in enumerate(lines):
            if _is_pipe_row(line) and _header_cells(_split_pipe(line)):
                return "rows", index
    cells = [line.strip() for line in lines]
    for index in range(len(cells)):
        if not header_role(cells[index]):
            continue
        run, k, unknown = 0, index, 0
        while k < len(cells) and (not cells[k] or cells[k] == "|" or header_role(cells[k])
                                  or (len(cells[k]) <= 6 and unknown == 0 and k + 1 < len(cells)
                                      and header_role(cells[k + 1]))):
            unknown += 1 if cells[k] and cells[k] != "|" and not header_role(cells[k]) else 0
            run += 1 if cells[k] and cells[k] != "|" else 0
            k += 1
        if run >= 3 or (run >= 2 and bars >= 3):
            found = [header_role(c) for c in cells[index:k] if c and c != "|"]
            if len(set(found) - {"note", "ignore"}) >= 2 and set(found) & {"task", "requirement", "responsible", "lead"}:
                return "stream", index
    return None


def _split_pipe(line: str) -> list[str]:
    cells = [c.strip() for c in line.strip().split("|")]
    if line.strip().startswith("|"):
        cells = cells[1:]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _header_cells(cells: list[str]) -> bool:
    roles = [header_role(c) for c in cells if c]
    return len(roles) >= 2 and all(roles) and len(set(roles)) >= 2


def _stream_cells(lines: list[str], start: int) -> list[str]:
    cells: list[str] = []
    current: list[str] = []
    bars = any(line.strip() == "|" for line in lines[start:])
    for line in lines[start:]:
        text = line.strip()
        if text == "|":
            cells.append("\n".join(current))
            current = []
        elif bars:
            if text:
                current.append(text)
        elif text:
            cells.append(text)
    if current:
        cells.append("\n".join(current))
    return cells


def _last_kind(roles: list[str]) -> str:
    kept = [r for r in roles if r not in ("note", "ignore")]
    last = kept[-1] if kept else "requirement"
    return {"deadline": "deadline", "number": "number"}.get(last, "unit" if last in _UNIT_ROLES else "text")


def _segment(cells: list[str], last: str) -> list[list[str]]:
    """Cut a stream of cells into rows by what the cells hold."""
    rows: list[list[str]] = []
    row: list[str] = []
    kinds = [cell_kind(c) for c in cells]
    for i, cell in enumerate(cells):
        kind = kinds[i]
        if not row and not cell.strip():
            continue
        if kind == "empty" and row:
            kind = last  # "——" / "/" / "无" stand in an empty unit or 时限 cell
        before = [kinds[i - len(row) + j] for j in range(len(row))]
        has_text = "text" in before or "number" in before
        if row and ((kind == "number" and has_text) or (_SECTION_START.match(cell) and "text" in before)):
            rows.append(row)
            row = []
        row.append(cell)
        following = kinds[i + 1] if i + 1 < len(kinds) else "end"
        if following == "empty" and cells[i + 1].strip():
            continue
        if (kind == last or (last == "text" and kind in ("unit", "deadline"))) and following != kind and has_text:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return rows


def _fit_score(kind: str, column: str) -> int:
    if kind == column:
        return 3
    if {kind, column} <= {"text", "short"}:
        return 1
    if kind == "empty" or column == "":
        return 0
    return -2


def _positions(record: list[str], profile: list[str]) -> list[int]:
    """Which columns a short row's cells belong to: the placement whose kinds fit the columns best;
    among equals the rightmost (the missing cells are the merged ones on the left)."""
    width, size = len(profile), len(record)
    if not any(profile):
        return list(range(width - size, width))
    kinds = [cell_kind(c) for c in record]
    best: tuple[int, list[int]] | None = None
    for chosen in itertools.combinations(range(width), size):
        score = sum(_fit_score(k, profile[c]) for k, c in zip(kinds, chosen, strict=True))
        if best is None or score >= best[0]:
            best = (score, list(chosen))
    return best[1]


def _profile(records: list[list[str]], width: int) -> list[str]:
    full = [r for r in records if len(r) == width]
    profile = []
    for col in range(width):
        kinds = [cell_kind(r[col]) for r in full if cell_kind(r[col]) != "empty"]
        profile.append(max(set(kinds), key=kinds.count) if kinds else "")
    return profile


def _align(header: list[str], records: list[list[str]], first_line: int, *, spans_right: bool = False) -> list[Row]:
    width = max([len(header)] + [len(r) for r in records if len(r) > 1 or not _SECTION_START.match(r[0])])
    profile = _profile(records, width) if width <= 9 else [""] * width
    rows: list[Row] = []
    origins: list[Cell | None] = [None] * width
    for offset, record in enumerate(records):
        if len(record) == 1 and _SECTION_START.match(record[0]):  # a heading across the table
            rows.append(Row([Cell(record[0], cols_across=width)] + [Cell(record[0], merged=True, across=True)
                                                                   for _ in range(width - 1)],
                            number=first_line + offset))
            continue
        places = dict(zip(_positions(record, profile), record, strict=True)) if len(record) < width else dict(enumerate(record))
        heading = bool(record) and bool(_SECTION_START.match(record[0])) and min(places) == 0
        cells: list[Cell] = []
        for col in range(width):
            origin = origins[col]
            if col in places:
                cells.append(Cell(places[col]))
                origins[col] = cells[-1]
            elif origin is not None and not heading and (col < max(places) or spans_right):
                origin.rows_down += 1
                cells.append(Cell(origin.text, merged=True))
            else:
                cells.append(Cell())
        rows.append(Row(cells, number=first_line + offset))
    head = _place_header(header, rows, width)
    return [Row([Cell(text) for text in head], number=first_line - 1)] + rows if head else rows


def _place_header(header: list[str], rows: list[Row], width: int) -> list[str]:
    """Each header word over the column whose content fits it (left to right)."""
    if len(header) == width:
        return header
    data = [r for r in rows if sum(1 for c in r.cells if c.text.strip() and not c.merged) >= 2]
    columns = [[r.cells[c].text if not r.cells[c].merged else "" for r in data] for c in range(width)]
    guessed = guess_roles(columns, {})
    placed = [""] * width
    position = 0
    for word in header:
        role = header_role(word)
        exact = [c for c in range(position, width) if guessed.get(c) == role]
        near = [c for c in range(position, width) if (role in _UNIT_ROLES and guessed.get(c) in _UNIT_ROLES)
                or (role in _TEXT_ROLES and guessed.get(c) in _TEXT_ROLES)]
        target = (exact or near or [None])[0]
        if target is not None:
            placed[target] = word
            position = target + 1
    return placed


def _heading_above(lines: list[str], start: int) -> list[list[str]]:
    """A "一、…" line right above the header heads the table's first part."""
    above = next((line.strip() for line in reversed(lines[:start]) if line.strip()), "")
    return [[above]] if re.match(r"^[一二三四五六七八九十]{1,3}、", above) else []


def cell_rows(lines: list[str], kind: str, start: int) -> list[Row]:
    """Rows for the table core, header first, from a pipe or one-cell-per-line table."""
    heading = _heading_above(lines, start)
    if kind == "rows":
        header = _split_pipe(lines[start])
        following = next((i for i in range(start + 1, len(lines)) if lines[i].strip()), None)
        if following is not None and _split_pipe(lines[following]) and all(
                header_role(c) for c in _split_pipe(lines[following]) if c):
            header += [c for c in _split_pipe(lines[following]) if c]  # a header row broken over two lines
            start = following
        records = [(i + 1, _split_pipe(line)) for i, line in enumerate(lines) if i > start and line.strip()]
        records = [(n, r) for n, r in records if r]
        # A web table copied row by row omits the cells its rowspans cover, on either side.
        rows = _align(header, heading + [r for _n, r in records], start + 2, spans_right=True)
        for row, (number, _record) in zip(rows[-len(records):] if records else [], records, strict=True):
            row.number = number
        return rows
    cells = _stream_cells(lines, start)
    header: list[str] = []
    while cells and (not cells[0].strip() or header_role(cells[0])
                     or (len(cells[0]) <= 6 and len(cells) > 1 and header_role(cells[1]))):
        if cells[0].strip():
            header.append(cells[0])
        cells.pop(0)
    records = _segment(cells, _last_kind([header_role(h) or "" for h in header]))
    return _align(header, heading + records, start + 2)
