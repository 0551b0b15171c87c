"""Tab-separated rows copied from Word, Excel or a web page (huli2022)."""
from __future__ import annotations

import csv
import io

from tasks.importers.grid import Cell, Row, header_map


def find_tab_header(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if line.count("\t") >= 1 and header_map(Row([Cell(c) for c in line.split("\t")])):
            return index
    return None


def find_tab_rows(lines: list[str]) -> int | None:
    """A tab-separated table without a known header: the first line of a run of tabbed lines."""
    tabbed = [i for i, line in enumerate(lines) if line.count("\t") >= 1 and line.replace("\t", "").strip()]
    if len(tabbed) < 2:
        return None
    rest = [line for line in lines[tabbed[0]:] if line.strip()]
    return tabbed[0] if len(tabbed) * 2 >= len(rest) else None


def tab_rows(lines: list[str], header_index: int) -> list[Row]:
    """Rows from the header line on; quoted cells (Excel copies multi-line cells so) are honoured."""
    body = "\n".join(lines[header_index:])
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(body), delimiter="\t", quotechar='"', strict=False)
    line_number = header_index + 1
    try:
        records = [(reader.line_num, record) for record in reader]
    except csv.Error:
        records = [(i + 1, line.split("\t")) for i, line in enumerate(body.split("\n"))]
    for line_in_body, record in records:
        number = line_number + line_in_body - 1
        rows.append(Row([Cell(text) for text in record], number=number))
    width = max((len(r.cells) for r in rows), default=0)
    _refit_short_rows(rows, width)
    for row in rows:
        row.cells += [Cell() for _ in range(width - len(row.cells))]
    return rows


def _refit_short_rows(rows: list[Row], width: int) -> None:
    """A table copied from a web page or Word drops the cells its merged areas cover, so a few
    rows come shorter: their cells go to the columns whose content they fit, the cells merged
    from above are restored (as the .docx reader marks them)."""
    from tasks.importers.text_cells import _positions, _profile

    data = [r for r in rows[1:] if any(c.text.strip() for c in r.cells)]
    full = [r for r in data if len(r.cells) == width]
    short = [r for r in data if 2 <= len(r.cells) < width]
    if not short or len(full) * 2 < len(data) or width > 9:
        return
    profile = _profile([r.texts() for r in full], width)
    above: list[Cell | None] = [None] * width
    for row in rows[1:]:
        if row in short:
            places = dict(zip(_positions(row.texts(), profile), row.cells, strict=True))
            cells = []
            for col in range(width):
                if col in places:
                    cells.append(places[col])
                elif above[col] is not None and col < max(places):
                    above[col].rows_down += 1
                    cells.append(Cell(above[col].text, merged=True))
                else:
                    cells.append(Cell())
            row.cells = cells
        for col, cell in enumerate(row.cells):
            if cell.text.strip() and not cell.merged:
                above[col] = cell
