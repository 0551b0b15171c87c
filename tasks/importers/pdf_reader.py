"""PDF breakdown tables, read with pdfplumber: ruled tables keep their cell structure.

A ruled table (a Word or WPS table printed to PDF) is found from its drawn lines. Its cells are
rectangles: the distinct x and y edges give the grid, and a rectangle covering several grid
positions is a merged cell, handed on exactly as the .docx reader hands a merged cell (origin plus
merged positions). Each character goes to the cell under its centre. Inside a cell, a line that
ends where the next line's first character (or word) would not have fitted is a soft wrap and is
joined; any other line end is a real line break, as in the Word cell the PDF was printed from.

A PDF without a ruled breakdown table (a 工作要点 in prose, or a table without lines) is read as
text, paragraphs re-joined the same way, and handed to ``parse_text``. A PDF with no text layer
at all is a scan.
"""
from __future__ import annotations

import bisect
import io
import re

from tasks.importers.grid import Cell, Row, header_map
from tasks.importers.limits import LIMITS, MAX_COLUMNS, MAX_ROWS
from tasks.importers.result import ImportFailure, ImportResult
from tasks.parsing import is_cjk

SCANNED = "该PDF为扫描图片，无法识别文字，请提供Word或Excel版本"
MAX_PDF_PAGES = 100
SNAP = 2.0  # points: cell edges closer than this are one grid line


def _open(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = len(pdf.pages)
    except (PdfminerException, PDFPasswordIncorrect, PDFEncryptionError) as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(cause).lower():
            raise ImportFailure("PDF 文件已加密（设置了打开密码），无法读取：请取消密码，或提供Word或Excel版本") from exc
        raise ImportFailure("PDF 文件已损坏，无法读取：请重新导出PDF，或提供Word或Excel版本") from exc
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise ImportFailure("PDF 文件已损坏，无法读取：请重新导出PDF，或提供Word或Excel版本") from exc
    if pages > MAX_PDF_PAGES:
        pdf.close()
        raise ImportFailure(f"PDF 共 {pages} 页，超过上限（最多{MAX_PDF_PAGES}页）：请只保留任务分解表部分")
    return pdf


# ---------------------------------------------------------------- text lines and soft wraps

# Characters a line may not start with: they stay with the character before them (kinsoku).
NO_BREAK_BEFORE = set("，。、；：？！）》」』】〕〉”’,.;:?!)]%…·")


def _first_unit(chars: list[dict]) -> tuple[float, int]:
    """Width of what cannot be split from the start of a line: a character with the closing
    punctuation after it, or a run of digits and letters (a word, "2022", "、12366")."""
    if not chars:
        return 0.0, 0
    end = chars[0]["x1"]
    previous = chars[0]["text"]
    count = 1
    for char in chars[1:]:
        text = char["text"]
        if text in NO_BREAK_BEFORE or (text.isascii() and text.isalnum()
                                       and (previous in NO_BREAK_BEFORE or (previous.isascii() and previous.isalnum()))):
            end, previous, count = char["x1"], text, count + 1
            continue
        break
    return end - chars[0]["x0"], count


def _unit_width(lines: list[dict], index: int) -> float:
    """The first unit of line ``index``; a line that is one unit only carries on into the next."""
    chars = [c for c in lines[index].get("chars") or [] if not c["text"].isspace()]
    width, count = _first_unit(chars)
    if count == len(chars) and index + 1 < len(lines):
        width += _unit_width(lines, index + 1)
    return width


# A full line that ends a sentence, followed by a numbered line, is a paragraph end that happened
# to fill the line: "…（责任单位：区直各有关单位）" then "六、强化…".
SENTENCE_END = tuple("。；！？）)」】")
NUMBERED_RE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,3}[.．、](?!\d))")


def _join(lines: list[dict], right: float, *, indent_starts: bool = False) -> str:
    """Lines of one cell (or one text column) as its text: soft wraps joined, real breaks kept.
    With ``indent_starts`` (page text), an indented line starts a paragraph too."""
    out = ""
    left = min(line["x0"] for line in lines) if lines else 0.0
    for index, line in enumerate(lines):
        text = line["text"]
        if index == 0:
            out = text
            continue
        previous = lines[index - 1]
        size = max(previous["bottom"] - previous["top"], 1.0)
        gap = right - previous["x1"]
        new_paragraph = ((out.endswith(SENTENCE_END) and NUMBERED_RE.match(text))
                         or (indent_starts and line["x0"] - left > 0.8 * size))
        if not new_paragraph and gap < _unit_width(lines, index) + 0.6 * size:
            last, first = out[-1:], text[:1]
            out += ("" if is_cjk(last) or is_cjk(first) or not last else " ") + text
        else:
            out += "\n" + text
    return out


def _text_lines(chars: list[dict]) -> list[dict]:
    from pdfplumber.utils.text import chars_to_textmap

    if not chars:
        return []
    return [line for line in chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=True)
            if line["text"]]


def _cell_text(chars: list[dict], left: float, right: float) -> str:
    lines = _text_lines(chars)
    if not lines:
        return ""
    padding = max(min(line["x0"] for line in lines) - left, 0.0)
    return _join(lines, right - padding)


def _paragraphs(chars: list[dict], page, right: float | None = None) -> list[str]:
    """Page text outside tables as paragraphs: lines reaching the right margin are joined. The
    margin is the table's right edge where there is one, else the left margin mirrored."""
    lines = _text_lines(chars)
    if not lines:
        return []
    if right is None:
        right = page.width - min(line["x0"] for line in lines)
    return _join(lines, right, indent_starts=True).split("\n")


# ---------------------------------------------------------------- ruled tables

def _edges(values: list[float]) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > SNAP:
            edges.append(value)
    return edges


def _index(edges: list[float], value: float) -> int:
    i = bisect.bisect_left(edges, value - SNAP)
    return min(i, len(edges) - 1)


def _table_grid(table, chars: list[dict], where: str) -> list[list[Cell]]:
    xs = _edges([c[0] for c in table.cells] + [c[2] for c in table.cells])
    ys = _edges([c[1] for c in table.cells] + [c[3] for c in table.cells])
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows > MAX_ROWS or n_cols > MAX_COLUMNS:
        raise ImportFailure(f"{where}的表格有 {n_rows}行×{n_cols}列，超过上限（{LIMITS}）")
    owner: dict[tuple[int, int], int] = {}
    spans = []
    for number, (x0, top, x1, bottom) in enumerate(table.cells):
        r0, r1 = _index(ys, top), _index(ys, bottom)
        c0, c1 = _index(xs, x0), _index(xs, x1)
        spans.append((r0, max(r1, r0 + 1), c0, max(c1, c0 + 1)))
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                owner.setdefault((r, c), number)
    inside: dict[int, list[dict]] = {}
    for char in chars:
        r = bisect.bisect_right(ys, (char["top"] + char["bottom"]) / 2) - 1
        c = bisect.bisect_right(xs, (char["x0"] + char["x1"]) / 2) - 1
        if (r, c) in owner:
            inside.setdefault(owner[(r, c)], []).append(char)
    texts = {n: _cell_text(inside.get(n, []), table.cells[n][0], table.cells[n][2]) for n in set(owner.values())}
    grid = [[Cell() for _ in range(n_cols)] for _ in range(n_rows)]
    for number, (r0, r1, c0, c1) in enumerate(spans):
        if owner.get((r0, c0)) != number:
            continue
        origin = Cell(texts[number], rows_down=r1 - r0, cols_across=c1 - c0)
        for r in range(r0, r1):
            for c in range(c0, c1):
                grid[r][c] = origin if (r, c) == (r0, c0) else Cell(origin.text, merged=True, across=r == r0)
    return grid


def _read_tables(pdf) -> tuple[list[Row], list[str]] | None:
    """Rows of the ruled tables from the first one with a header on, and the text above it."""
    rows: list[Row] = []
    head: list[str] = []
    started = False
    for page in pdf.pages:
        tables = sorted(page.find_tables(), key=lambda t: (t.bbox[1], t.bbox[0]))
        chars = page.chars
        for table in tables:
            x0, top, x1, bottom = table.bbox
            inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
            grid = _table_grid(table, inside, f"第{page.page_number}页")
            table_rows = [Row(cells, where=f"第{page.page_number}页表格第{i + 1}行") for i, cells in enumerate(grid)]
            if not started:
                if not any(header_map(r) for r in table_rows):
                    continue
                started = True
                above = [c for c in chars if (c["top"] + c["bottom"]) / 2 < top]
                head += _paragraphs(above, page, x1)
            rows += table_rows
            if len(rows) > MAX_ROWS:
                raise ImportFailure(f"PDF 中的表格共超过 {MAX_ROWS} 行，超过上限（{LIMITS}）")
        if not started:
            head += _paragraphs(chars, page)
        page.close()
    if not started:
        return None
    width = max(len(r.cells) for r in rows)
    for number, row in enumerate(rows, start=1):
        row.number = number
        row.cells += [Cell() for _ in range(width - len(row.cells))]
    return rows, head


def read_pdf(data: bytes, *, year: int | None = None) -> ImportResult:
    from tasks.importers import build_result, parse_text

    pdf = _open(data)
    try:
        if not any(page.chars for page in pdf.pages):
            raise ImportFailure(SCANNED)
        found = _read_tables(pdf)
        if found is not None:
            rows, head = found
            result = build_result(rows, [line for line in head if line.strip()], year=year, kind="pdf")
            result.source_kind = "pdf"
            return result
        paragraphs, raw = [], []
        for page in pdf.pages:
            paragraphs += _paragraphs(page.chars, page)
            raw += [line["text"] for line in _text_lines(page.chars)]
            page.close()
    finally:
        pdf.close()
    failure = None
    for text in ("\n".join(paragraphs), "\n".join(raw)):
        try:
            result = parse_text(text, year=year)
        except ImportFailure as exc:
            failure = failure or exc
            continue
        result.source_kind = "pdf-" + result.source_kind
        return result
    raise ImportFailure("PDF 中未找到任务分解表：应有带“工作任务、工作要求、责任单位”等表头的表格，"
                        "或为“一、（一）…（责任单位：…）”格式的工作要点") from failure
