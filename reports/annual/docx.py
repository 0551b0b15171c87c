"""The whole annual report as a Word (.docx) document ready to publish.

Pure: ``build_document`` takes the title, the section texts and the figures and returns a python-docx
Document: the title, the six headings in the official wording, the texts as indented paragraphs and
tables 二, 三 and 四 with the national template's merged headers. A4 with the margins and fonts of
GB/T 9704 (title 方正小标宋 二号, headings 黑体 三号, body 仿宋 三号, 28 pt lines), language zh-CN:
all from ``core.docx``, shared with every Word file the app writes.
Sections 三 and 四 sit in a landscape section so that table 三's labels stay readable (no label column
under 3 cm) and its three header rows repeat on every page; rows do not split across pages. A draft
carries 草稿 in the page header of every page.
"""
from __future__ import annotations

from decimal import Decimal

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from core.docx import HEADING_1_FONT, cell_text, gongwen_document, heading, page_setup, paragraph
from core.docx import set_font as _font
from core.docx import title as title_paragraph
from reports.annual import format as fmt


def _cell(table, row: int, col: int, text, *, rowspan: int = 1, colspan: int = 1, bold: bool = False,
          size: float = 9, align=WD_ALIGN_PARAGRAPH.CENTER):
    cell = table.cell(row, col)
    if rowspan > 1 or colspan > 1:
        cell = cell.merge(table.cell(row + rowspan - 1, col + colspan - 1))
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    cell_text(cell, text, size=size, bold=bold, align=align)
    return cell


def _number(value, decimal: bool = False) -> str:
    if value is None or value == "":
        return ""
    if value == fmt.NOT_APPLICABLE:
        return fmt.NOT_APPLICABLE
    if decimal:
        amount = Decimal(str(value)).normalize()
        return format(amount, "f")
    return str(int(value))


def _repeat_header(table, rows: int) -> None:
    """The first ``rows`` rows repeat at the top of every page; no row splits across a page break."""
    for index, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        tr_pr.append(cant_split)
        if index < rows:
            header = OxmlElement("w:tblHeader")
            tr_pr.append(header)


def _new_table(doc, rows: int, cols: int, widths_mm: list[float]):
    table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Mm(widths_mm[i])
    # Word and LibreOffice lay a table out by its grid: set the grid's widths and a fixed layout too.
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    return table


def _table_two(doc, figures: dict) -> None:
    rows = sum(2 + len(b.rows) for b in fmt.T2_BLOCKS)
    table = _new_table(doc, rows, 4, [52, 35, 35, 35])
    r = 0
    for block in fmt.T2_BLOCKS:
        _cell(table, r, 0, block.article, colspan=4, bold=True)
        _cell(table, r + 1, 0, fmt.T2_HEADER.text, bold=True)
        single = len(block.columns) == 1
        for i, col in enumerate(block.columns):
            _cell(table, r + 1, 1 + i, col.text, colspan=3 if single else 1, bold=True)
        r += 2
        for line in block.rows:
            _cell(table, r, 0, line.text)
            for i, col in enumerate(block.columns):
                code = f"t2.{line.code}.{col.code}"
                _cell(table, r, 1 + i, _number(figures.get(code), code in fmt.T2_DECIMAL_FIELDS),
                      colspan=3 if single else 1)
            r += 1


def _table_three(doc, figures: dict) -> None:
    ncols = 3 + len(fmt.T3_COLUMNS)
    table = _new_table(doc, 3 + len(fmt.T3_ROWS), ncols, [14, 34, 76] + [16] * len(fmt.T3_COLUMNS))
    _cell(table, 0, 0, fmt.T3_RULE_NOTE, rowspan=3, colspan=3, bold=True)
    _cell(table, 0, 3, fmt.T3_APPLICANT_HEADER, colspan=len(fmt.T3_COLUMNS), bold=True)
    _cell(table, 1, 3, fmt.T3_COLUMNS[0].text, rowspan=2, bold=True)
    _cell(table, 1, 4, fmt.T3_LEGAL_PERSON_HEADER, colspan=len(fmt.T3_LEGAL_PERSON_COLUMNS), bold=True)
    for i, col in enumerate(fmt.T3_LEGAL_PERSON_COLUMNS):
        _cell(table, 2, 4 + i, col.text, bold=True)
    _cell(table, 1, ncols - 1, fmt.T3_COLUMNS[-1].text, rowspan=2, bold=True)
    for offset, (row, labels) in enumerate(fmt.t3_label_layout()):
        r = 3 + offset
        for label in labels:
            _cell(table, r, label.column, label.text, rowspan=label.rowspan, colspan=label.colspan,
                  align=WD_ALIGN_PARAGRAPH.CENTER if label.rowspan > 1 else WD_ALIGN_PARAGRAPH.LEFT)
        for i, col in enumerate(fmt.T3_COLUMNS):
            _cell(table, r, 3 + i, _number(figures.get(fmt.t3_code(row.code, col.code))))
    _repeat_header(table, 3)


def _table_four(doc, figures: dict) -> None:
    per = len(fmt.T4_COLUMNS)
    table = _new_table(doc, 4, per * len(fmt.T4_GROUPS), [15.5] * (per * len(fmt.T4_GROUPS)))
    _cell(table, 0, 0, fmt.T4_REVIEW_HEADER.text, colspan=per, bold=True)
    _cell(table, 0, per, fmt.T4_SUIT_HEADER.text, colspan=2 * per, bold=True)
    for i, col in enumerate(fmt.T4_COLUMNS):
        _cell(table, 1, i, col.text, rowspan=2, bold=True)
    for g, group in enumerate(fmt.T4_GROUPS):
        if g:
            _cell(table, 1, g * per, group.text, colspan=per, bold=True)
            for i, col in enumerate(fmt.T4_COLUMNS):
                _cell(table, 2, g * per + i, col.text, bold=True)
        for i, col in enumerate(fmt.T4_COLUMNS):
            _cell(table, 3, g * per + i, _number(figures.get(fmt.t4_code(group.code, col.code))))


TABLES = {"proactive": _table_two, "requests": _table_three, "review": _table_four}


LANDSCAPE_SECTIONS = ("requests", "review")


def _draft_header(section) -> None:
    header = section.header
    header.is_linked_to_previous = False
    para = header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(para.add_run("草稿"), HEADING_1_FONT, 14, True)


def build_document(*, title: str, sections: dict[str, str], figures: dict, draft: bool = False):
    doc = gongwen_document()
    doc.core_properties.title = title
    if draft:
        _draft_header(doc.sections[0])
    title_paragraph(doc, title)
    landscape = False
    for section in fmt.SECTIONS:
        wants = section.key in LANDSCAPE_SECTIONS
        if wants != landscape:
            new = doc.add_section(WD_SECTION.NEW_PAGE)
            page_setup(new, landscape=wants)
            landscape = wants
        heading(doc, section.heading)
        for text in [p.strip() for p in (sections.get(section.key) or "").splitlines() if p.strip()]:
            paragraph(doc, text)
        if section.key in TABLES:
            TABLES[section.key](doc, figures)
    return doc
