"""PDF breakdown tables, read with pdfplumber: ruled tables keep their cell structure.

A ruled table (a Word or WPS table printed to PDF) is found from its drawn lines. Its cells are
rectangles: the distinct x and y edges give the grid, and a rectangle covering several grid
positions is a merged cell, handed on exactly as the .docx reader hands a merged cell (origin plus
merged positions). Each character goes to the cell under its centre. Inside a cell, a line that
ends where the next line's first character (or word) would not have fitted is a soft wrap and is
joined; any other line end is a real line break, as in the Word cell the PDF was printed from.

A table printed without lines but with a 序号 column is read from its alignment (``_Aligned``).
A PDF with neither (a 工作要点 in prose) is read as text, paragraphs re-joined the same way, and
handed to ``parse_text``. A PDF with no text layer at all is a scan. The pages are parsed once.
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
    except MemoryError:  # the capped parse reports it (tasks.importers.sandbox)
        raise
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


OPENING, CLOSING = "“（(《「【〔‘", "”）)》」】〕’"


def _unclosed(paragraph: str) -> bool:
    """A quotation or bracket is still open: a line break inside one is a wrap, not a paragraph end."""
    return sum(paragraph.count(ch) for ch in OPENING) > sum(paragraph.count(ch) for ch in CLOSING)


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
        if not new_paragraph and (gap < _unit_width(lines, index) + 0.4 * size
                                  or (gap < 3 * size and _unclosed(out[out.rfind("\n") + 1:]))
                                  or (gap < 2 * size and out[-1:].isascii() and out[-1:].isalnum())):
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


class _Ruled:
    """Rows of the ruled tables from the first one with a header on, and the text above it."""

    def __init__(self):
        self.rows: list[Row] = []
        self.head: list[str] = []
        self.started = False

    def page(self, page, chars: list[dict]) -> None:
        for table in sorted(page.find_tables(), key=lambda t: (t.bbox[1], t.bbox[0])):
            x0, top, x1, bottom = table.bbox
            inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
            grid = _table_grid(table, inside, f"第{page.page_number}页")
            table_rows = [Row(cells, where=f"第{page.page_number}页表格第{i + 1}行") for i, cells in enumerate(grid)]
            if not self.started:
                if not any(header_map(r) for r in table_rows):
                    continue
                self.started = True
                self.head += _paragraphs([c for c in chars if (c["top"] + c["bottom"]) / 2 < top], page, x1)
            self.rows += table_rows
            if len(self.rows) > MAX_ROWS:
                raise ImportFailure(f"PDF 中的表格共超过 {MAX_ROWS} 行，超过上限（{LIMITS}）")

    def result(self) -> tuple[list[Row], list[str]]:
        width = max(len(r.cells) for r in self.rows)
        for number, row in enumerate(self.rows, start=1):
            row.number = number
            row.cells += [Cell() for _ in range(width - len(row.cells))]
        return self.rows, self.head


# ---------------------------------------------------------------- tables without lines

PAGE_NUMBER_RE = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$")


def _clusters(chars: list[dict]) -> list[list[dict]]:
    """A line's characters split where the gap is wider than half a character (the cells of a row)."""
    out: list[list[dict]] = []
    for char in sorted((c for c in chars if not c["text"].isspace()), key=lambda c: c["x0"]):
        size = max(char["x1"] - char["x0"], char["bottom"] - char["top"], 1.0)
        if out and char["x0"] - out[-1][-1]["x1"] <= 0.5 * size:
            out[-1].append(char)
        else:
            out.append([char])
    return out


def _boundaries(header: list[list[dict]], body: list[dict]) -> list[float]:
    """Column boundaries: for each two neighbouring header cells, the widest empty vertical strip of
    the text between them (the gutter between the columns), else the middle of the gap."""
    spans = sorted([(c["x0"], c["x1"]) for c in body if not c["text"].isspace()]
                   + [(cell[0]["x0"], cell[-1]["x1"]) for cell in header])
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1] + 0.5:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    gutters = [(merged[i][1], merged[i + 1][0]) for i in range(len(merged) - 1)]
    bounds = []
    for left, right in zip(header, header[1:], strict=False):
        lo = (left[0]["x0"] + left[-1]["x1"]) / 2
        hi = (right[0]["x0"] + right[-1]["x1"]) / 2
        inside = [g for g in gutters if g[0] >= lo and g[1] <= hi]
        if inside:
            g0, g1 = max(inside, key=lambda g: g[1] - g[0])
            bounds.append((g0 + g1) / 2)
        else:
            bounds.append((left[-1]["x1"] + right[0]["x0"]) / 2)
    return bounds


def _text_lines_of(cells: list[list[dict]]) -> list[dict]:
    return [_text_lines(cell)[0] for cell in cells]


def _split_line(line: dict, bounds: list[float]) -> list[list[dict]]:
    columns: list[list[dict]] = [[] for _ in range(len(bounds) + 1)]
    for char in line["chars"]:
        columns[bisect.bisect_right(bounds, (char["x0"] + char["x1"]) / 2)].append(char)
    return [_text_lines(chars) for chars in columns]


def _column_rights(lines: list[list[list[dict]]], width: int) -> list[float]:
    """Where each column's text may reach. The widest line of a column only bounds it from below (a
    4-character unit name may stop short of a 5-character column); the next column's left text edge
    less the narrowest gutter between columns (twice the cell padding) is the column's real edge."""
    lefts = [min((ln["x0"] for cells in lines if c < len(cells) for ln in cells[c]), default=None) for c in range(width)]
    ends = [max((ln["x1"] for cells in lines if c < len(cells) for ln in cells[c]), default=None) for c in range(width)]
    gutters = [lefts[c + 1] - ends[c] for c in range(width - 1)
               if lefts[c + 1] is not None and ends[c] is not None and lefts[c + 1] > ends[c]]
    # The narrowest gutter still holds up to half a character of a filled line's slack.
    sizes = sorted(ln["bottom"] - ln["top"] for cells in lines for cell in cells for ln in cell)
    gutter = max(min(gutters, default=0.0) - 0.5 * (sizes[len(sizes) // 2] if sizes else 0.0), 0.0)
    rights = []
    for c in range(width):
        right = ends[c] or 0.0
        if c + 1 < width and lefts[c + 1] is not None:
            right = max(right, lefts[c + 1] - gutter)
        rights.append(right)
    return rights


class _Aligned:
    """A table printed without lines, with a 序号 column: the header line's words name the columns,
    the empty vertical strips of the text below them (gutters) separate them; each text line is split
    into the columns, rows are started by a number (or a section heading) in the 序号 column, and
    the lines below joined into that row's cells (soft wraps joined against the column's right
    edge, as in a ruled cell). Without a 序号 column rows cannot be told apart: nothing is found,
    and the PDF is read as text."""

    def __init__(self):
        self.raw: list[dict] = []               # text lines below the header, page after page
        self.head: list[str] = []
        self.roles: dict[int, str] | None = None
        self.header: list[list[dict]] = []      # the header line's characters, cell by cell
        self.number_col = 0

    def page(self, page, chars: list[dict]) -> None:
        text_lines = _text_lines(chars)
        start = 0
        if self.roles is None:
            for index, line in enumerate(text_lines):
                if self._header(line, chars):
                    self.head += _paragraphs([c for c in chars if (c["top"] + c["bottom"]) / 2 < line["top"]], page)
                    start = index + 1
                    break
            else:
                return
        self.raw += text_lines[start:]
        if len(self.raw) > MAX_ROWS * 20:
            raise ImportFailure(f"PDF 中的表格过长，超过上限（{LIMITS}）")

    def _header(self, line: dict, chars: list[dict]) -> bool:
        if len(line["text"]) > 80:
            return False
        header = _clusters(line["chars"])
        row = Row([Cell("".join(c["text"] for c in cell)) for cell in header])
        found = header_map(row)
        if not found or "number" not in found.values() or len(found) != len(header):
            return False
        if len(header) > MAX_COLUMNS:
            raise ImportFailure(f"PDF 中的表格有 {len(header)} 列，超过上限（{LIMITS}）")
        self.roles = found
        self.header = header
        self.number_col = next(i for i, role in found.items() if role == "number")
        return True

    def _split(self) -> list[list[list[dict]]]:
        """The text lines split into the columns, whose boundaries are judged from all the lines
        (headings, which run across the columns, left out); page numbers and repeated headers dropped."""
        body = [c for line in self.raw if not SECTION_START_RE.match(line["text"]) for c in line["chars"]]
        bounds = _boundaries(self.header, body)
        lines = [[[ln] for ln in _text_lines_of(self.header)]]
        for line in self.raw:
            cells = _split_line(line, bounds)
            if PAGE_NUMBER_RE.match(line["text"]) and not cells[self.number_col]:
                continue  # a page number
            if not header_map(Row([Cell(" ".join(ln["text"] for ln in cell)) for cell in cells])):
                lines.append(cells)
        return lines

    def result(self) -> tuple[list[Row], list[str]]:
        lines, number_col = self._split(), self.number_col
        width = max(len(line) for line in lines)
        rights = _column_rights(lines, width)
        grouped: list[list[list[dict]]] = []
        headings: set[int] = set()
        for cells in lines:
            cells = cells + [[] for _ in range(width - len(cells))]
            lead = "".join(line["text"] for line in cells[number_col]).strip()
            if not grouped or (lead and (lead[:1].isdigit() or SECTION_START_RE.match(lead))):
                if lead and SECTION_START_RE.match(lead):
                    headings.add(len(grouped))
                grouped.append([[] for _ in range(width)])
                if len(grouped) > MAX_ROWS:
                    raise ImportFailure(f"PDF 中的表格共超过 {MAX_ROWS} 行，超过上限（{LIMITS}）")
            for c in range(width):
                grouped[-1][c] += cells[c]
        out = []
        for index, columns in enumerate(grouped):
            number = index + 1
            if index in headings:  # a heading runs across the columns: read it in reading order
                text = "".join(line["text"] for line in sorted((ln for col in columns for ln in col),
                                                               key=lambda ln: (round(ln["top"]), ln["x0"])))
                cells = [Cell(text, cols_across=width)] + [Cell(text, merged=True, across=True) for _ in range(width - 1)]
            else:
                cells = [Cell(_join(col, rights[c]) if col else "") for c, col in enumerate(columns)]
            out.append(Row(cells, number=number, where=f"表格第{number}行"))
        return out, self.head


SECTION_START_RE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])")


def _read_tables(pdf) -> tuple[tuple[list[Row], list[str]] | None, list[str], list[str]]:
    """One pass over the pages (parsing a page is the slow part): the ruled or, failing that, the
    text-aligned breakdown table, and the pages as paragraphs and as raw lines for the text parser."""
    ruled, aligned = _Ruled(), _Aligned()
    paragraphs: list[str] = []
    raw: list[str] = []
    for page in pdf.pages:
        chars = page.chars
        if aligned.roles is None:
            ruled.page(page, chars)
        if not ruled.started:
            aligned.page(page, chars)
        if not ruled.started and aligned.roles is None:
            page_text = _paragraphs(chars, page)
            ruled.head += page_text
            aligned.head += page_text
            paragraphs += page_text
            raw += [line["text"] for line in _text_lines(chars)]
        page.close()
    found = ruled.result() if ruled.started else aligned.result() if aligned.roles is not None else None
    return found, paragraphs, raw


def read_pdf(data: bytes, *, year: int | None = None, columns=None) -> ImportResult:
    from tasks.importers import build_result, parse_text

    pdf = _open(data)
    try:
        if not any(page.chars for page in pdf.pages):
            raise ImportFailure(SCANNED)
        found, paragraphs, raw = _read_tables(pdf)
    finally:
        pdf.close()
    if found is not None:
        rows, head = found
        result = build_result(rows, [line for line in head if line.strip()], year=year, kind="pdf",
                              columns=columns)
        result.source_kind = "pdf"
        return result
    failure = None
    for text in ("\n".join(paragraphs), "\n".join(raw)):
        try:
            result = parse_text(text, year=year, columns=columns)
        except ImportFailure as exc:
            failure = failure or exc
            continue
        result.source_kind = "pdf-" + result.source_kind
        return result
    raise ImportFailure("PDF 中未找到任务分解表：应有带“工作任务、工作要求、责任单位”等表头的表格，"
                        "或为“一、（一）…（责任单位：…）”格式的工作要点") from failure
