"""Read an annual-report workbook as units send it in: tables found by their labels, wherever they are.

Pure: ``read_workbook(path)`` returns the figures keyed by the field codes of format.py, the cell each
figure came from ("Sheet1!D12"), the section texts where the workbook has one sheet per section (else
None), and the problems found while reading (a missing table, header or row). It never raises on a
bad workbook: ``WorkbookError`` carries one Chinese line for the command to print.

How tables are found (labels compared through ``format.norm``, so numbering, spacing, punctuation and
notes in parentheses do not matter, and the wording variants of format.py are accepted):

* table 二: each row label (规章, 行政规范性文件, 行政许可, …); its columns from the nearest header row
  above (本年制发件数 …, 本年处理决定数量, 本年收费金额), else the cell right of the label;
* table 三: the 自然人 header; the other column headers in the rows around it; the 25 rows matched in
  the template's order by the text of the label columns left of 自然人;
* table 四: the 行政复议 header; the five result labels under it and under 未经复议直接起诉 / 复议后起诉,
  each taking the group whose header starts at or left of it; the numbers on the row below them.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reports.annual import format as fmt

MAX_ROWS = 2000
MAX_COLUMNS = 80
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ENTRIES = 2000


class WorkbookError(Exception):
    """The file cannot be read as a workbook; the message is one Chinese line."""


@dataclass
class Problem:
    where: str
    message: str


@dataclass
class ReadResult:
    figures: dict = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] | None = None
    section_cells: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)  # table → "Sheet!C5", where findings fall back

    def where(self, field_code: str) -> str:
        """The cell a finding about ``field_code`` concerns."""
        if field_code.startswith("section."):
            return self.section_cells.get(field_code, "")
        if field_code in self.cells:
            return self.cells[field_code]
        return self.anchors.get(field_code.split(".")[0], "")


class Sheet:
    """The non-empty cells of one worksheet: (row, col) → value, with their normalised labels."""

    def __init__(self, title: str, rows):
        self.title = title
        self.values: dict[tuple[int, int], object] = {}
        for r, values in enumerate(rows, start=1):
            if r > MAX_ROWS:
                break
            for c, value in enumerate(values[:MAX_COLUMNS], start=1):
                if value is not None and not (isinstance(value, str) and not value.strip()):
                    self.values[(r, c)] = value
        self.labels = {pos: fmt.norm(v) for pos, v in self.values.items() if isinstance(v, str)}

    def ref(self, row: int, col: int) -> str:
        return f"{self.title}!{get_column_letter(col)}{row}"

    def find(self, label: fmt.Label, *, rows=None, min_col: int = 0) -> list[tuple[int, int]]:
        """Cells whose text is the label (or a variant), top to bottom, left to right."""
        keys = label.keys()
        return sorted(pos for pos, text in self.labels.items()
                      if text in keys and (rows is None or pos[0] in rows) and pos[1] >= min_col)


def _open(path) -> list[Sheet]:
    path = Path(path)
    if not path.exists():
        raise WorkbookError(f"文件“{path}”不存在。")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNCOMPRESSED:
                raise WorkbookError(f"文件“{path.name}”解压后过大，拒绝读取。")
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookError(f"文件“{path.name}”不是有效的 Excel（.xlsx）工作簿，无法读取。") from exc
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            return [Sheet(ws.title, ws.iter_rows(values_only=True)) for ws in wb.worksheets]
        finally:
            wb.close()
    except WorkbookError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise WorkbookError(f"文件“{path.name}”已损坏或不是有效的 Excel（.xlsx）工作簿，无法读取。") from exc


# ---------------------------------------------------------------- table 二
def _read_table_two(sheets: list[Sheet], result: ReadResult) -> None:
    found_any = False
    for block in fmt.T2_BLOCKS:
        for row_label in block.rows:
            hit = _first(sheets, row_label)
            if hit is None:
                continue
            sheet, (r, c) = hit
            found_any = True
            result.anchors.setdefault("t2", sheet.ref(r, c))
            for i, col_label in enumerate(block.columns):
                col = _column_above(sheet, col_label, r, c)
                if col is None:
                    col = c + 1 + i if len(block.columns) > 1 else c + 1
                _take(sheet, r, col, f"t2.{row_label.code}.{col_label.code}", result)
    if not found_any:
        result.problems.append(Problem("", "未找到表二（主动公开政府信息情况）：没有“规章”“行政规范性文件”“行政许可”等行。"))
        return
    for block in fmt.T2_BLOCKS:
        for row_label in block.rows:
            if f"t2.{row_label.code}.{block.columns[0].code}" not in result.cells:
                result.problems.append(Problem(result.anchors["t2"], f"表二缺少“{row_label.text}”行。"))


def _first(sheets: list[Sheet], label: fmt.Label):
    for sheet in sheets:
        hits = sheet.find(label)
        if hits:
            return sheet, hits[0]
    return None


def _column_above(sheet: Sheet, label: fmt.Label, row: int, label_col: int) -> int | None:
    """The column of the nearest header cell above a row (within four rows), right of the label."""
    for r in range(row - 1, max(0, row - 5), -1):
        hits = sheet.find(label, rows=(r,), min_col=label_col + 1)
        if hits:
            return hits[0][1]
    return None


def _take(sheet: Sheet, row: int, col: int, code: str, result: ReadResult) -> None:
    result.figures[code] = sheet.values.get((row, col))
    result.cells[code] = sheet.ref(row, col)


# ---------------------------------------------------------------- table 三
def _read_table_three(sheets: list[Sheet], result: ReadResult) -> int | None:
    hit = _first(sheets, fmt.T3_COLUMNS[0])
    if hit is None:
        result.problems.append(Problem("", "未找到表三（收到和处理政府信息公开申请情况）：没有“自然人”表头。"))
        return None
    sheet, (top, nat_col) = hit
    result.anchors["t3"] = sheet.ref(top, nat_col)
    columns = {"natural": nat_col}
    header_rows = range(top - 1, top + 3)
    bottom = top
    for col_label in fmt.T3_COLUMNS[1:]:
        after = max(columns.values()) + 1
        hits = sheet.find(col_label, rows=header_rows, min_col=after)
        if not hits:
            result.problems.append(Problem(sheet.ref(top, nat_col), f"表三缺少“{col_label.text}”列。"))
            continue
        row, col = min(hits, key=lambda pos: pos[1])
        columns[col_label.code] = col
        bottom = max(bottom, row)
    expected = list(fmt.T3_ROWS)
    position = 0
    for r in range(bottom + 1, bottom + 80):
        if position >= len(expected):
            break
        label = "".join(sheet.labels.get((r, c), "") for c in range(1, nat_col))
        if not label:
            continue
        for ahead in range(position, min(position + 4, len(expected))):
            if any(label.endswith(key) for key in expected[ahead].label.keys()):
                for missing in expected[position:ahead]:
                    result.problems.append(Problem(sheet.ref(r, 1), f"表三缺少“{missing.display}”行。"))
                for code, col in columns.items():
                    _take(sheet, r, col, fmt.t3_code(expected[ahead].code, code), result)
                position = ahead + 1
                break
    for missing in expected[position:]:
        result.problems.append(Problem(sheet.ref(top, nat_col), f"表三缺少“{missing.display}”行。"))
    return top


# ---------------------------------------------------------------- table 四
def _read_table_four(sheets: list[Sheet], result: ReadResult) -> int | None:
    hit = _first(sheets, fmt.T4_REVIEW_HEADER)
    if hit is None:
        result.problems.append(Problem("", "未找到表四（行政复议、行政诉讼情况）：没有“行政复议”表头。"))
        return None
    sheet, (top, review_col) = hit
    result.anchors["t4"] = sheet.ref(top, review_col)
    header_rows = range(top, top + 4)
    starts = [(review_col, "review")]
    for group in fmt.T4_GROUPS[1:]:
        hits = sheet.find(group, rows=header_rows, min_col=review_col)
        if hits:
            starts.append((hits[0][1], group.code))
    starts.sort()
    leaves = []
    for col_label in fmt.T4_COLUMNS:
        leaves += [(pos, col_label.code) for pos in sheet.find(col_label, rows=header_rows, min_col=review_col)]
    if not leaves:
        result.problems.append(Problem(sheet.ref(top, review_col), "表四缺少“结果维持”“结果纠正”等表头。"))
        return top
    data_row = max(pos[0] for pos, _ in leaves) + 1
    ordered = sorted(leaves, key=lambda leaf: leaf[0][1])
    by_order = len(starts) < len(fmt.T4_GROUPS)
    for index, ((_, col), col_code) in enumerate(ordered):
        if by_order:  # the group headers are missing: take the template's order
            group_code = fmt.T4_GROUPS[min(index // len(fmt.T4_COLUMNS), len(fmt.T4_GROUPS) - 1)].code
        else:
            group_code = [code for start, code in starts if start <= col][-1]
        code = fmt.t4_code(group_code, col_code)
        if code not in result.cells:
            _take(sheet, data_row, col, code, result)
    for group in fmt.T4_GROUPS:
        for col_label in fmt.T4_COLUMNS:
            if fmt.t4_code(group.code, col_label.code) not in result.cells:
                result.problems.append(Problem(sheet.ref(top, review_col),
                                               f"表四缺少“{group.text}”的“{col_label.text}”列。"))
    return top


# ---------------------------------------------------------------- section texts
def _section_sheet(sheets: list[Sheet], section: fmt.Section) -> Sheet | None:
    key = fmt.norm(section.title)
    for sheet in sheets:
        if fmt.norm(sheet.title).endswith(key) or fmt.norm(sheet.title) == fmt.norm(section.heading):
            return sheet
    return None


def _read_sections(sheets: list[Sheet], result: ReadResult, table_tops: dict[str, tuple[str, int | None]]) -> None:
    """Texts from a workbook with one sheet per section (as the export writes it); else None."""
    found = {s.key: _section_sheet(sheets, s) for s in fmt.SECTIONS}
    if not any(found[key] for key in ("overview", "problems", "other")):
        return  # tables only (e.g. a 汇总): no texts to read
    sections = {}
    for section in fmt.SECTIONS:
        sheet = found[section.key]
        if sheet is None:
            sections[section.key] = ""
            continue
        limit = None
        if section.key in table_tops and table_tops[section.key][0] == sheet.title:
            limit = table_tops[section.key][1]
        heading_key = fmt.norm(section.heading)
        paragraphs, heading_pos = [], None
        for (r, c), value in sorted(sheet.values.items()):
            if not isinstance(value, str) or (limit is not None and r >= limit):
                continue
            text = value.strip()
            if fmt.norm(text) in (heading_key, fmt.norm(section.title)):
                heading_pos = heading_pos or (r, c)
                continue
            if text.endswith("年度报告") and r <= 2:
                continue
            paragraphs.append(text)
        sections[section.key] = "\n".join(paragraphs)
        result.section_cells[f"section.{section.key}"] = sheet.ref(*(heading_pos or (1, 1)))
    result.sections = sections


def read_workbook(path) -> ReadResult:
    sheets = _open(path)
    result = ReadResult()
    _read_table_two(sheets, result)
    top3 = _read_table_three(sheets, result)
    top4 = _read_table_four(sheets, result)
    tops: dict[str, tuple[str, int | None]] = {}
    if top3 is not None:
        tops["requests"] = (result.anchors["t3"].split("!")[0], top3 - 1)
    if top4 is not None:
        tops["review"] = (result.anchors["t4"].split("!")[0], top4)
    if "t2" in result.anchors:
        sheet_name = result.anchors["t2"].split("!")[0]
        sheet = next(s for s in sheets if s.title == sheet_name)
        articles = [r for (r, _), text in sheet.labels.items() if text.startswith("第二十条第")]
        tops["proactive"] = (sheet_name, min(articles) if articles else None)
    _read_sections(sheets, result, tops)
    return result
