"""The breakdown table as an .xlsx workbook in the issued layout. Pure: a ParsedNotice in, a workbook out.

Layout: a line with the 文号, the title row, the issuer and the 成文日期 (so the import reads the
metadata back), then the header 序号/工作任务/工作要求/牵头单位/责任单位/时限 (repeated on every
printed page), section and subsection rows merged across the width, one row per item, sized for its
wrapped text. Printing is ``core.xlsx.print_layout``: A4 landscape fitted to the page width, page numbers
in the footer, a section heading kept on the page of its first item. Units are written as the table writes them, joined with "、"; cooperating
units follow the responsible ones with "配合" (see ``responsible_cell``). Importing the file with
``tasks.importers.parse_upload`` gives the same ParsedNotice back (tested in test_export_breakdown).
"""
from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.dates import cn_date
from core.xlsx import MAX_ROW_HEIGHT, print_layout, row_height, text_only, text_width
from tasks.breakdown import ParsedNotice, ParsedTask
from tasks.parsing import split_unit_cell

SHEET_TITLE = "任务分解表"
COLUMNS = [("序号", 6), ("工作任务", 22), ("工作要求", 62), ("牵头单位", 16), ("责任单位", 24), ("时限", 12)]
WIDTH = len(COLUMNS)
LINE_HEIGHT = 14.5     # points per line of 10.5 pt 宋体
DEFAULT_HEIGHT = 15    # a row without a height of its own

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BODY_FONT = Font(name="宋体", size=10.5)
HEADER_FONT = Font(name="黑体", size=11)
SECTION_FONT = Font(name="黑体", size=11)
SUBSECTION_FONT = Font(name="楷体", size=11, bold=True)
TITLE_FONT = Font(name="方正小标宋简体", size=18)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def join_units(names: list[str]) -> str:
    return "、".join(names)


def _reads_back(text: str, responsible: list[str], cooperating: list[str]) -> bool:
    refs = split_unit_cell(text, default_role="responsible")
    return ([r.text for r in refs if r.role == "responsible"] == list(responsible)
            and [r.text for r in refs if r.role == "cooperating"] == list(cooperating)
            and all(r.role in ("responsible", "cooperating") for r in refs))


def responsible_cell(responsible: list[str], cooperating: list[str]) -> str:
    """The 责任单位 cell: "A、B", "C、D配合", "A、B负责，C、D配合".

    The importer reads "A、B，C配合" as three cooperating units, and strips "单位" before 配合/负责
    ("市直各有关单位配合" → "市直各有关"), so the first form that reads back exactly is written,
    falling back to the labelled form "A、B\\n配合单位：C、D".
    """
    if not cooperating:
        return join_units(responsible)
    coop = join_units(cooperating)
    candidates = [f"{join_units(responsible)}负责，{coop}配合" if responsible else f"{coop}配合"]
    labelled = f"{join_units(responsible)}\n配合单位：{coop}" if responsible else f"配合单位：{coop}"
    for text in candidates:
        if _reads_back(text, responsible, cooperating):
            return text
    return labelled


def deadline_cell(task: ParsedTask) -> str:
    return task.deadline_text or cn_date(task.deadline)


def breakdown_workbook(parsed: ParsedNotice, *, note: str = "") -> Workbook:
    """The workbook of one notice's table. ``note`` (e.g. "仅含本单位涉及的事项") goes above the header."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    last_col = get_column_letter(WIDTH)
    header_row = 1 + sum(1 for line in (parsed.doc_number, True, parsed.issuer, parsed.issue_date, note) if line)
    flow = print_layout(sheet, widths=[w for _n, w in COLUMNS], landscape=True, title_rows=(header_row, header_row),
                        keep_together=True)

    def merged_line(text: str, *, font: Font, horizontal: str, height: float | None = None) -> None:
        sheet.append([text] + [None] * (WIDTH - 1))
        row = sheet.max_row
        sheet.merge_cells(f"A{row}:{last_col}{row}")
        cell = sheet.cell(row, 1)
        cell.font = font
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if height:
            sheet.row_dimensions[row].height = height
        flow.add(row, [height or DEFAULT_HEIGHT])

    # Title block: each line on its own row, as the importer's metadata reader expects.
    if parsed.doc_number:
        merged_line(parsed.doc_number, font=BODY_FONT, horizontal="left")
    title = parsed.title or "任务分解表"
    merged_line(title, font=TITLE_FONT, horizontal="center",
                height=min(MAX_ROW_HEIGHT, 30 * max(1, math.ceil(text_width(title) / 120))))
    if parsed.issuer:
        merged_line(parsed.issuer, font=BODY_FONT, horizontal="right")
    if parsed.issue_date:
        merged_line(cn_date(parsed.issue_date), font=BODY_FONT, horizontal="right")
    if note:
        merged_line(f"（{note}）", font=BODY_FONT, horizontal="left")

    sheet.append([name for name, _width in COLUMNS])
    assert sheet.max_row == header_row
    for col in range(1, WIDTH + 1):
        cell = sheet.cell(header_row, col)
        cell.font, cell.fill, cell.border, cell.alignment = HEADER_FONT, HEADER_FILL, BORDER, WRAP_CENTER
    sheet.row_dimensions[header_row].height = 22
    flow.add(header_row, [22])

    def heading(text: str, *, font: Font, fill: PatternFill | None) -> None:
        sheet.append([text] + [None] * (WIDTH - 1))
        row = sheet.max_row
        sheet.merge_cells(f"A{row}:{last_col}{row}")
        for col in range(1, WIDTH + 1):  # every covered cell bordered, so the merged row prints boxed
            cell = sheet.cell(row, col)
            cell.border = BORDER
            if fill:
                cell.fill = fill
        first = sheet.cell(row, 1)
        first.font = font
        first.alignment = Alignment(wrap_text=True, vertical="center")
        lines = math.ceil(text_width(text) / (sum(w for _n, w in COLUMNS) - 4))
        sheet.row_dimensions[row].height = max(20, lines * LINE_HEIGHT + 6)
        flow.add(row, [sheet.row_dimensions[row].height], keep_with_next=True)

    def item(task: ParsedTask) -> None:
        values = [str(task.number), task.title, task.requirement, join_units(task.lead_units),
                  responsible_cell(task.responsible_units, task.cooperating_units), deadline_cell(task)]
        sheet.append([task.number] + values[1:])
        row = sheet.max_row
        for col in range(1, WIDTH + 1):
            cell = sheet.cell(row, col)
            cell.font, cell.border = BODY_FONT, BORDER
            cell.alignment = WRAP_CENTER if col in (1, WIDTH) else WRAP_TOP
        sheet.row_dimensions[row].height = row_height(values, [w for _n, w in COLUMNS], minimum=LINE_HEIGHT + 6)
        flow.add(row, [sheet.row_dimensions[row].height])

    for section in parsed.sections:
        if section.number or section.title:
            text = f"{section.number}、{section.title}" if section.number else section.title
            heading(text, font=SECTION_FONT, fill=SECTION_FILL)
        for task in section.tasks:
            item(task)
        for sub in section.subsections:
            heading(f"（{sub.number}）{sub.title}" if sub.number else sub.title, font=SUBSECTION_FONT, fill=None)
            for task in sub.tasks:
                item(task)

    sheet.freeze_panes = f"A{header_row + 1}"
    workbook.properties.title = parsed.title or ""
    workbook.properties.creator = parsed.issuer or ""
    return text_only(workbook)


def breakdown_xlsx_bytes(parsed: ParsedNotice, *, note: str = "") -> bytes:
    buffer = io.BytesIO()
    breakdown_workbook(parsed, note=note).save(buffer)
    return buffer.getvalue()


def only_numbers(parsed: ParsedNotice, numbers: set[int]) -> ParsedNotice:
    """The notice limited to the items numbered in ``numbers``; sections left empty are dropped."""
    sections = []
    for section in parsed.sections:
        section.tasks = [t for t in section.tasks if t.number in numbers]
        for sub in section.subsections:
            sub.tasks = [t for t in sub.tasks if t.number in numbers]
        section.subsections = [s for s in section.subsections if s.tasks]
        if section.tasks or section.subsections:
            sections.append(section)
    parsed.sections = sections
    return parsed
