"""Excel (.xlsx) breakdown tables, read with openpyxl after the zip checks.

Merged ranges become one origin cell (top-left) plus merged positions, so a section heading
merged down the first column or across the width is read once. Title rows above the header give
what metadata they hold (a doc number, a date).
"""
from __future__ import annotations

import datetime
import io
import zipfile

from openpyxl import load_workbook

from tasks.importers.grid import Cell, Row, header_map, looks_like_breakdown
from tasks.importers.result import ImportFailure, ImportResult


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def _sheet_rows(sheet, several: bool) -> list[Row]:
    width = sheet.max_column or 0
    grid = [[Cell(_text(v)) for v in values] + [Cell() for _ in range(width - len(values))]
            for values in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(grid) or left >= width:
            continue
        origin = grid[top][left]
        origin.rows_down = merged.max_row - merged.min_row + 1
        origin.cols_across = merged.max_col - merged.min_col + 1
        for r in range(top, min(merged.max_row, len(grid))):
            for c in range(left, min(merged.max_col, width)):
                if (r, c) != (top, left):
                    grid[r][c] = Cell(origin.text, merged=True, across=r == top)
    prefix = f"工作表“{sheet.title}”" if several else ""
    return [Row(cells, number=i + 1, where=f"{prefix}第{i + 1}行") for i, cells in enumerate(grid)]


def read_xlsx(data: bytes, *, year: int | None = None, columns=None) -> ImportResult:
    from tasks.importers import build_result

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (KeyError, ValueError, zipfile.BadZipFile, TypeError, OSError) as exc:
        raise ImportFailure("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏或被改名") from exc
    except MemoryError:  # the capped parse reports it (tasks.importers.sandbox)
        raise
    except Exception as exc:  # a damaged XML part
        raise ImportFailure("Excel 工作簿已损坏，无法读取") from exc
    try:
        sheets = workbook.worksheets
        several = len(sheets) > 1
        fallback = None
        for sheet in sheets:
            rows = _sheet_rows(sheet, several)
            header = next((i for i, row in enumerate(rows) if header_map(row)), None)
            if header is None:
                if fallback is None and looks_like_breakdown(rows):
                    fallback = rows  # no header row: the columns are recognised by their content
                continue
            head = ["".join(c.text for c in row.cells if not c.merged) for row in rows[:header]]
            return build_result(rows, head, year=year, kind="xlsx", columns=columns)
        if fallback is not None:
            first = next((i for i, row in enumerate(fallback) if len(row.distinct()) >= 2), 0)
            head = ["".join(c.text for c in row.cells if not c.merged) for row in fallback[:first]]
            return build_result(fallback, head, year=year, kind="xlsx", columns=columns)
    finally:
        workbook.close()
    raise ImportFailure("未找到表头：工作表中应有“工作任务”“工作要求”“责任单位”等列名")
