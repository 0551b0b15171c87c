"""Declared sizes, checked before any library builds a grid from an uploaded .docx or .xlsx.

A 1.7 KB workbook can declare a merged range A3:XFD1048576 or a cell at XFD1048576, and a Word
table cell can declare ``gridSpan`` 2000000000: openpyxl and python-docx then build one object per
declared grid cell and take the server to gigabytes. The XML parts are streamed here with expat,
keeping only counters, and the first declaration past the limits ends the import with a Chinese
message that states the limits (最多5000行×60列).
"""
from __future__ import annotations

import io
import re
import zipfile
from xml.parsers import expat

import defusedxml.ElementTree as SafeET

from tasks.importers.result import ImportFailure

MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_MERGED_CELLS = MAX_ROWS * MAX_COLUMNS  # grid cells covered by all merged ranges of one sheet
LIMITS = f"最多{MAX_ROWS}行×{MAX_COLUMNS}列"
CHUNK = 64 * 1024

_REF_RE = re.compile(r"^\$?([A-Za-z]{1,7})\$?(\d{1,15})$")


class _Stop(Exception):
    """Raised inside an expat handler to end the scan with a message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _refuse_entities(*_args) -> None:
    raise _Stop("文件包含不允许的 XML 实体声明，疑似恶意文件")


def _stream(archive: zipfile.ZipFile, name: str, start, end=None) -> None:
    """Feed one part to expat chunk by chunk; handlers get local names and plain attribute names."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entities
    parser.StartElementHandler = lambda tag, attrs: start(
        tag.rsplit("}", 1)[-1], {k.rsplit("}", 1)[-1]: v for k, v in attrs.items()})
    if end is not None:
        parser.EndElementHandler = lambda tag: end(tag.rsplit("}", 1)[-1])
    try:
        with archive.open(name) as part:
            while chunk := part.read(CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Stop as stop:
        raise ImportFailure(stop.message) from None
    except expat.ExpatError as exc:
        raise ImportFailure("文件已损坏（XML 结构错误），无法读取") from exc


def _int(value: str | None, default: int = 1) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise _Stop("文件已损坏（表格属性不是数字），无法读取") from None


def column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def parse_ref(ref: str) -> tuple[int, int, int, int] | None:
    """"A3:XFD1048576" → (min_row, min_col, max_row, max_col); None when not a cell reference."""
    parts = (ref or "").strip().split(":")
    if not 1 <= len(parts) <= 2:
        return None
    found = [_REF_RE.match(part) for part in parts]
    if not all(found):
        return None
    rows = [int(m.group(2)) for m in found]
    cols = [column_number(m.group(1)) for m in found]
    return min(rows), min(cols), max(rows), max(cols)


# ---------------------------------------------------------------- Word

def _main_part(archive: zipfile.ZipFile, default: str) -> str:
    """The package's main part, as its relationships name it (python-docx follows them too)."""
    try:
        rels = SafeET.fromstring(archive.read("_rels/.rels"))
    except MemoryError:
        raise
    except Exception:  # missing or odd: the usual name
        return default
    for rel in rels:
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", default).lstrip("/")
    return default


def check_docx_tables(data: bytes) -> None:
    """Every table row's grid width (gridBefore + gridSpans + gridAfter) and the row count."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        main = _main_part(archive, "word/document.xml")
        if main not in set(archive.namelist()):
            raise ImportFailure("文件不是有效的 Word 文档（.docx），可能已损坏或被改名")
        state = {"tables": 0, "rows": 0}
        widths: list[int] = []        # grid width of the current row of each open table
        spans: list[int] = []         # gridSpan of each open cell
        numbers: list[tuple[int, int]] = []  # (table number, row in table) of each open table

        def over(what: str) -> _Stop:
            table, row = numbers[-1] if numbers else (state["tables"], 0)
            return _Stop(f"表格过大：第{table}个表格第{row}行{what}，超过上限（{LIMITS}），"
                         "请删去多余的行列或检查文件是否损坏")

        def start(tag: str, attrs: dict) -> None:
            if tag == "tbl":
                state["tables"] += 1
                numbers.append((state["tables"], 0))
                widths.append(0)
            elif tag == "tr" and numbers:
                state["rows"] += 1
                numbers[-1] = (numbers[-1][0], numbers[-1][1] + 1)
                widths[-1] = 0
                if state["rows"] > MAX_ROWS:
                    raise _Stop(f"表格过大：文档中的表格共超过 {MAX_ROWS} 行，超过上限（{LIMITS}）")
            elif tag in ("gridBefore", "gridAfter") and widths:
                value = _int(attrs.get("val"), 0)
                if value < 0 or value > MAX_COLUMNS:
                    raise over(f"声明空出 {value} 列（{tag}）")
                widths[-1] += value
            elif tag == "tc":
                spans.append(1)
            elif tag == "gridSpan" and spans:
                value = _int(attrs.get("val"), 1)
                if value < 0 or value > MAX_COLUMNS:
                    raise over(f"有单元格声明横跨 {value} 列（gridSpan）")
                spans[-1] = value
            elif tag == "gridCol" and numbers and numbers[-1][1] == 0:
                widths[-1] += 1
                if widths[-1] > MAX_COLUMNS:
                    raise over(f"声明了 {widths[-1]} 列")

        def end(tag: str) -> None:
            if tag == "tc" and spans:
                span = spans.pop()
                if widths:
                    widths[-1] += max(span, 1)
                    if widths[-1] > MAX_COLUMNS:
                        raise over(f"宽 {widths[-1]} 列")
            elif tag == "tblGrid" and widths:
                widths[-1] = 0
            elif tag == "tbl" and numbers:
                numbers.pop()
                widths.pop()

        _stream(archive, main, start, end)


# ---------------------------------------------------------------- Excel

def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name → sheet name, from the workbook and its relationships."""
    try:
        workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except MemoryError:
        raise
    except Exception:  # a missing or odd part: fall back to the part names
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    names = {}
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
            if rid in targets:
                names[targets[rid]] = element.get("name", "")
    return names


def _check_sheet(archive: zipfile.ZipFile, part: str, name: str) -> None:
    state = {"row": 0, "col": 0, "merged": 0}

    def too_big(what: str) -> _Stop:
        return _Stop(f"工作表“{name}”{what}，超过上限（{LIMITS}），请删去多余的行列或检查文件是否损坏")

    def check_ref(ref: str, what: str) -> tuple[int, int, int, int] | None:
        bounds = parse_ref(ref)
        if bounds and (bounds[2] > MAX_ROWS or bounds[3] > MAX_COLUMNS):
            rows, cols = bounds[2] - bounds[0] + 1, bounds[3] - bounds[1] + 1
            raise too_big(f"{what} {ref}（{rows}行×{cols}列）")
        return bounds

    def start(tag: str, attrs: dict) -> None:
        if tag == "c":
            ref = attrs.get("r")
            if ref:
                bounds = parse_ref(ref)
                if bounds is None:
                    raise _Stop(f"工作表“{name}”中的单元格地址“{ref[:20]}”无效，文件可能已损坏")
                state["col"] = bounds[1]
                row = bounds[0]
            else:
                state["col"] += 1
                row = state["row"]
            if row > MAX_ROWS or state["col"] > MAX_COLUMNS:
                shown = ref or f"第{row}行第{state['col']}列"
                raise too_big(f"有单元格位于 {shown}")
        elif tag == "row":
            state["row"] = _int(attrs.get("r"), state["row"] + 1)  # judged by its cells
            state["col"] = 0
        elif tag == "dimension":
            check_ref(attrs.get("ref", ""), "声明的范围")
        elif tag == "mergeCell":
            bounds = check_ref(attrs.get("ref", ""), "有合并单元格")
            if bounds:
                state["merged"] += (bounds[2] - bounds[0] + 1) * (bounds[3] - bounds[1] + 1)
                if state["merged"] > MAX_MERGED_CELLS:
                    raise too_big(f"的合并单元格共覆盖 {state['merged']} 个单元格")

    _stream(archive, part, start)


def check_xlsx_sheets(data: bytes) -> None:
    """Dimensions, merged ranges and cell references of every worksheet, before openpyxl reads any."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = _sheet_names(archive)
        parts = [n for n in archive.namelist()
                 if n.startswith("xl/worksheets/") and n.endswith(".xml") and "/_rels/" not in n]
        for number, part in enumerate(sorted(parts), start=1):
            _check_sheet(archive, part, names.get(part) or f"第{number}个工作表")
