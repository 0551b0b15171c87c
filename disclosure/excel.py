"""The register as an .xlsx workbook (pure: built from the rows it is given). Headers are the import's,
so an exported register reads back through disclosure.importers."""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.xlsx import print_layout, row_height, text_only

HEADERS = ("登记编号", "收到日期", "申请方式", "申请人类型", "申请人", "联系方式", "申请内容", "承办人", "答复期限",
           "办理结果", "办结日期", "办理状态", "办理单位")
WIDTHS = (12, 12, 8, 12, 14, 18, 50, 10, 12, 36, 12, 10, 16)


def register_workbook(rows) -> Workbook:
    """rows: applications decorated by disclosure.views.common.decorate (applicant as the user may see it)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "依申请公开登记簿"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    print_layout(sheet, widths=WIDTHS, landscape=True, title_rows=(1, 1))
    for a in rows:
        sheet.append([a.reference, a.received_on, a.get_channel_display(), a.get_applicant_type_display(),
                      a.applicant_shown, a.contact_shown, a.request_text, a.handler_display, a.due_on,
                      a.outcome_display, a.answered_on, a.light_text, a.unit.short_name])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in (2, 9, 11):
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.alignment = wrap
        sheet.row_dimensions[row[0].row].height = row_height(
            [c.value if isinstance(c.value, str) else "" for c in row], WIDTHS, minimum=15)
    sheet.freeze_panes = "A2"
    return text_only(book)  # user text (a leading =, +, -, @, tab, CR) stays text, never a formula
