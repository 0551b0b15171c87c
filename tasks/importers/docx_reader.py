"""Word (.docx) breakdown tables, read with python-docx after the zip checks.

The breakdown may span several tables (one per page). A merged cell appears in ``row.cells``
once per grid cell it covers, as the same ``_tc`` object: we keep its first position and mark
the others merged, so a section heading merged down the first column (vMerge) is read once.
Paragraphs before the first table give the notice metadata.
"""
from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import _Cell

from tasks.importers.grid import Cell, Row, header_map, looks_like_breakdown
from tasks.importers.result import ImportFailure, ImportResult


def _open(data: bytes):
    try:
        return Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, TypeError, AttributeError) as exc:
        raise ImportFailure("文件不是有效的 Word 文档（.docx），可能已损坏或被改名") from exc
    except MemoryError:  # the capped parse reports it (tasks.importers.sandbox)
        raise
    except Exception as exc:  # lxml syntax errors and the like in a damaged part
        raise ImportFailure("Word 文档已损坏，无法读取") from exc


def _cell_text(tc, table) -> str:
    return "\n".join(p.text for p in _Cell(tc, table).paragraphs)


def _table_rows(table, table_number: int, several: bool, first_row: int) -> list[Row]:
    """The table's grid read from its XML in one pass (python-docx's ``row.cells`` resolves each
    vertically merged cell by walking up the rows, recursively: quadratic and deep on tall merges).
    Declared spans were checked by tasks.importers.limits before the document was opened."""
    rows: list[Row] = []
    above: dict[int, Cell] = {}   # grid column -> the origin cell covering it in the row above
    for r_index, tr in enumerate(table._tbl.tr_lst):
        cells: list[Cell] = [Cell() for _ in range(max(tr.grid_before, 0))]
        current: dict[int, Cell] = {}
        for tc in tr.tc_lst:
            col, span = len(cells), max(tc.grid_span, 1)
            if tc.vMerge == "continue" and col in above:  # a vertical merge: the cell above again
                origin = above[col]
                origin.rows_down += 1
                cells += [Cell(origin.text, merged=True) for _ in range(span)]
            else:
                origin = Cell(_cell_text(tc, table))
                origin.cols_across += span - 1
                cells += [origin] + [Cell(origin.text, merged=True, across=True) for _ in range(span - 1)]
            current.update((col + k, origin) for k in range(span))
        above = current
        where = f"第{table_number}个表格第{r_index + 1}行" if several else f"第{r_index + 1}行"
        rows.append(Row(cells, number=first_row + r_index, where=where))
    return rows


def read_docx(data: bytes, *, year: int | None = None, columns=None) -> ImportResult:
    from tasks.importers import build_result, parse_text

    document = _open(data)
    body = document.element.body
    head: list[str] = []
    before: list[list[str]] = []  # the paragraphs above each table
    tables = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            tables.append(child)
            before.append(list(head))
        elif tag == "p":
            head.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
    if not tables:
        text = "\n".join(p.text for p in document.paragraphs)
        try:
            result = parse_text(text, year=year, columns=columns)
        except ImportFailure as exc:
            raise ImportFailure("文档中没有找到表格，也未识别到“一、（一）…（责任单位：…）”格式的工作要点") from exc
        result.source_kind = "docx"
        return result
    wrapped = [t for t in document.tables]
    several = len(wrapped) > 1
    rows: list[Row] = []
    width = 0
    started = False
    cover: list[str] = []
    with_header = any(header_map(r) for t in wrapped for r in _table_rows(t, 0, False, 1)[:12])
    for number, table in enumerate(wrapped, start=1):
        table_rows = _table_rows(table, number, several, len(rows) + 1)
        if not started:
            # A layout table above the breakdown (letterhead, cover, signature) is skipped, its text
            # kept for the metadata; without any header row the first table that looks like a
            # breakdown (long text in it) is read.
            if not (any(header_map(r) for r in table_rows) if with_header else looks_like_breakdown(table_rows)):
                cover += [" ".join(c.text for c in r.cells if c.text and not c.merged) for r in table_rows]
                continue
            started = True
            head = cover + before[number - 1]
        rows += table_rows
        width = max([width] + [len(r.cells) for r in table_rows])
    if not started:
        raise ImportFailure("未找到表头：文档中的表格既没有“工作任务”“工作要求”“责任单位”等列名，也没有事项文字")
    for row in rows:
        row.cells += [Cell() for _ in range(width - len(row.cells))]
    result = build_result(rows, head, year=year, kind="docx", columns=columns)
    return result
