"""The annual report as an Excel workbook in the official layout: one sheet per section.

Pure: ``build_workbook`` takes the title, the section texts and the figures and returns an openpyxl
workbook; the view or the command saves or streams it. Sheets 二, 三 and 四 hold the tables with the
national template's merged headers, numbers as numbers, thin borders and A4 print setup; sheets 一, 五
and 六 hold the texts. ``TABLE_ORIGINS`` tells where each table's cells land (used by the tests and by
nothing else: the reader finds tables by their labels).
"""
from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.xlsx import plan_pages, print_layout, text_only
from reports.annual import format as fmt

FONT_NAME = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TEXT = Alignment(horizontal="left", vertical="top", wrap_text=True)
COUNT_FORMAT = "0"
AMOUNT_FORMAT = "0.00##"


def _sheet_title(section: fmt.Section) -> str:
    return section.heading[:31]


def _page_setup(ws: Worksheet, *, landscape: bool, title_rows: tuple[int, int] | None = None,
                blocks=()) -> None:
    """``core.xlsx.print_layout`` over the sheet's columns; ``blocks`` (first, last rows, e.g. a label
    merged down several rows) are kept on one page."""
    widths = [ws.column_dimensions[get_column_letter(i)].width or 9 for i in range(1, ws.max_column + 1)]
    flow = print_layout(ws, widths=widths, landscape=landscape, title_rows=title_rows, keep_together=True)
    plan_pages(ws, flow, blocks=blocks)


def _box(ws: Worksheet, row: int, col: int, value=None, *, rowspan: int = 1, colspan: int = 1,
         header: bool = False, align: Alignment = CENTER, number_format: str | None = None) -> None:
    """Write a bordered cell, merged over rowspan × colspan where more than one."""
    for r in range(row, row + rowspan):
        for c in range(col, col + colspan):
            cell = ws.cell(row=r, column=c)
            cell.border = BORDER
            cell.alignment = align
            cell.font = Font(name=FONT_NAME, size=10, bold=header)
            if header:
                cell.fill = HEADER_FILL
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if number_format:
        cell.number_format = number_format
    if rowspan > 1 or colspan > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + rowspan - 1, end_column=col + colspan - 1)


def _heading(ws: Worksheet, text: str, width: int) -> int:
    """The section heading on row 1 across the table's width; returns the next free row."""
    ws.cell(row=1, column=1, value=text).font = Font(name="黑体", size=14, bold=True)
    ws.cell(row=1, column=1).alignment = LEFT
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 26
    return 2


def _lead_in(ws: Worksheet, row: int, text: str, width: int) -> int:
    """An optional paragraph above a table; returns the next free row (leaving one blank row)."""
    if not (text or "").strip():
        return row
    cell = ws.cell(row=row, column=1, value=text.strip())
    cell.alignment = TEXT
    cell.font = Font(name=FONT_NAME, size=11)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[row].height = max(30, 16 * (1 + len(text) // 60))
    return row + 2


def _number(value, decimal: bool):
    """A cell as the workbook holds it: numbers as numbers, "/" as text, blank as an empty cell."""
    if value is None or value == "":
        return None
    if value == fmt.NOT_APPLICABLE:
        return fmt.NOT_APPLICABLE
    if decimal:
        amount = Decimal(str(value))
        return int(amount) if amount == amount.to_integral_value() else float(amount)
    return int(value)


def _finish(ws: Worksheet, *, draft: bool) -> None:
    """Print area over what the sheet holds; 草稿 in the header of a draft; page numbers in the footer."""
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    if draft:
        ws.oddHeader.right.text = "草稿"
        ws.oddHeader.right.font = "黑体,Bold"
        ws.oddHeader.right.size = 14


TEXT_WIDTH = 84  # fits A4 portrait at 100 %: the text is never cut off at the page's edges


def _lines(text: str, width: float, per_char: float = 2.0) -> int:
    """How many lines a wrapped cell needs (Chinese characters are about two width units each)."""
    chars_per_line = max(1, int(width / per_char))
    return max(1, -(-len(text) // chars_per_line))


def _text_sheet(ws: Worksheet, section: fmt.Section, text: str, title: str | None = None) -> None:
    row = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(name="方正小标宋简体", size=16, bold=True)
        ws.cell(row=1, column=1).alignment = CENTER
        ws.row_dimensions[1].height = 48
        row = 3
    ws.cell(row=row, column=1, value=section.heading).font = Font(name="黑体", size=14, bold=True)
    for paragraph in [p.strip() for p in (text or "").splitlines() if p.strip()]:
        row += 1
        cell = ws.cell(row=row, column=1, value=paragraph)
        cell.alignment = TEXT
        cell.font = Font(name="仿宋", size=12)
        ws.row_dimensions[row].height = 18 * _lines(paragraph, TEXT_WIDTH, per_char=2.3)
    ws.column_dimensions["A"].width = TEXT_WIDTH
    _page_setup(ws, landscape=False)


def _table_two(ws: Worksheet, figures: dict, text: str) -> dict[str, tuple[int, int]]:
    width = 4
    row = _lead_in(ws, _heading(ws, fmt.SECTIONS[1].heading, width), text, width)
    cells = {}
    for block in fmt.T2_BLOCKS:
        _box(ws, row, 1, block.article, colspan=width, header=True)
        row += 1
        _box(ws, row, 1, fmt.T2_HEADER.text, header=True)
        single = len(block.columns) == 1
        for i, col in enumerate(block.columns):
            _box(ws, row, 2 + i, col.text, colspan=3 if single else 1, header=True)
        row += 1
        for line in block.rows:
            _box(ws, row, 1, line.text, align=LEFT)
            for i, col in enumerate(block.columns):
                code = f"t2.{line.code}.{col.code}"
                decimal = code in fmt.T2_DECIMAL_FIELDS
                _box(ws, row, 2 + i, _number(figures.get(code), decimal), colspan=3 if single else 1,
                     number_format=AMOUNT_FORMAT if decimal else COUNT_FORMAT)
                cells[code] = (row, 2 + i)
            row += 1
    ws.column_dimensions["A"].width = 26
    for letter in "BCD":
        ws.column_dimensions[letter].width = 18
    _page_setup(ws, landscape=False)
    return cells


T3_LABEL_WIDTHS = (10, 16, 44)  # 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 (no label under ~3 cm)


def _table_three(ws: Worksheet, figures: dict, text: str) -> dict[str, tuple[int, int]]:
    width = 3 + len(fmt.T3_COLUMNS)
    top = _lead_in(ws, _heading(ws, fmt.SECTIONS[2].heading, width), text, width)
    first_data_col = 4
    _box(ws, top, 1, fmt.T3_RULE_NOTE, rowspan=3, colspan=3, header=True)
    _box(ws, top, first_data_col, fmt.T3_APPLICANT_HEADER, colspan=len(fmt.T3_COLUMNS), header=True)
    _box(ws, top + 1, first_data_col, fmt.T3_COLUMNS[0].text, rowspan=2, header=True)
    _box(ws, top + 1, first_data_col + 1, fmt.T3_LEGAL_PERSON_HEADER, colspan=len(fmt.T3_LEGAL_PERSON_COLUMNS),
         header=True)
    for i, col in enumerate(fmt.T3_LEGAL_PERSON_COLUMNS):
        _box(ws, top + 2, first_data_col + 1 + i, col.text, header=True)
    _box(ws, top + 1, first_data_col + len(fmt.T3_COLUMNS) - 1, fmt.T3_COLUMNS[-1].text, rowspan=2, header=True)
    cells = {}
    row = top + 3
    blocks = []
    for data_row, label_cells in fmt.t3_label_layout():
        lines = 1
        for label in label_cells:
            if label.column == 1 and label.rowspan > 1:  # （三）不予公开 over its eight rows: one page
                blocks.append((row, row + label.rowspan - 1))
            _box(ws, row, 1 + label.column, label.text, rowspan=label.rowspan, colspan=label.colspan,
                 align=CENTER if label.rowspan > 1 else LEFT)
            if label.rowspan == 1:
                width = sum(T3_LABEL_WIDTHS[label.column:label.column + label.colspan])
                lines = max(lines, _lines(label.text, width))
        ws.row_dimensions[row].height = 15 * lines
        for i, col in enumerate(fmt.T3_COLUMNS):
            code = fmt.t3_code(data_row.code, col.code)
            _box(ws, row, first_data_col + i, _number(figures.get(code), False), number_format=COUNT_FORMAT)
            cells[code] = (row, first_data_col + i)
        row += 1
    for letter, width in zip("ABC", T3_LABEL_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    for i in range(len(fmt.T3_COLUMNS)):
        ws.column_dimensions[get_column_letter(first_data_col + i)].width = 10
    ws.row_dimensions[top].height = 20
    ws.row_dimensions[top + 2].height = 30
    _page_setup(ws, landscape=True, title_rows=(top, top + 2), blocks=blocks)
    return cells


def _table_four(ws: Worksheet, figures: dict, text: str) -> dict[str, tuple[int, int]]:
    per_group = len(fmt.T4_COLUMNS)
    width = per_group * len(fmt.T4_GROUPS)
    top = _lead_in(ws, _heading(ws, fmt.SECTIONS[3].heading, width), text, width)
    _box(ws, top, 1, fmt.T4_REVIEW_HEADER.text, colspan=per_group, header=True)
    _box(ws, top, 1 + per_group, fmt.T4_SUIT_HEADER.text, colspan=2 * per_group, header=True)
    for i, col in enumerate(fmt.T4_COLUMNS):
        _box(ws, top + 1, 1 + i, col.text, rowspan=2, header=True)
    cells = {}
    for g, group in enumerate(fmt.T4_GROUPS):
        start = 1 + g * per_group
        if g:
            _box(ws, top + 1, start, group.text, colspan=per_group, header=True)
            for i, col in enumerate(fmt.T4_COLUMNS):
                _box(ws, top + 2, start + i, col.text, header=True)
        for i, col in enumerate(fmt.T4_COLUMNS):
            code = fmt.t4_code(group.code, col.code)
            _box(ws, top + 3, start + i, _number(figures.get(code), False), number_format=COUNT_FORMAT)
            cells[code] = (top + 3, start + i)
    for i in range(width):
        ws.column_dimensions[get_column_letter(1 + i)].width = 7.5
    ws.row_dimensions[top + 1].height = 30
    _page_setup(ws, landscape=True)
    return cells


def build_workbook(*, title: str, sections: dict[str, str], figures: dict, draft: bool = False,
                   tables_only: bool = False) -> Workbook:
    """The whole report, one sheet per section in the official order (``tables_only``: 二、三、四).

    ``figures``: the cells (figures.report_cells) or numbers; blank cells stay empty, "/" is written.
    A draft says 草稿 in every sheet's page header.
    """
    wb = Workbook()
    wb.remove(wb.active)
    for section in fmt.SECTIONS:
        if tables_only and section.key not in ("proactive", "requests", "review"):
            continue
        ws = wb.create_sheet(_sheet_title(section))
        text = sections.get(section.key, "")
        if section.key == "proactive":
            _table_two(ws, figures, text)
        elif section.key == "requests":
            _table_three(ws, figures, text)
        elif section.key == "review":
            _table_four(ws, figures, text)
        else:
            _text_sheet(ws, section, text, title=title if section.key == "overview" else None)
        _finish(ws, draft=draft)
    wb.properties.title = title
    wb.properties.creator = "政务公开任务台账"
    return text_only(wb)
