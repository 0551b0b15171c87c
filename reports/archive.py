"""年度归档 pages' reads: each work year of a government with its counts and closing, the unfinished rows of
a year (for the 回头看), and their workbook. The writes are tasks.archive (close, reopen) and
reports.services.lookback_create (carrying unfinished items into the next year)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from core.dates import cn_date
from core.xlsx import text_only
from tasks.archive import closed_years
from tasks.models import Assignment, ClosedYear, Notice
from tasks.querysets import CLOSED_STATUSES, overdue_q
from workflow.calendar import WorkCalendar, days_overdue, overdue_text


@dataclass
class ArchiveYear:
    year: int
    notices: int
    rows: int = 0
    open_rows: int = 0
    overdue: int = 0
    pending_review: int = 0
    closed: ClosedYear | None = None


def archive_years(*, government_id: int, today: datetime.date) -> list[ArchiveYear]:
    """Every work year with a notice of the government, newest first, with its row counts and closing."""
    notices = dict(Notice.objects.filter(government_id=government_id).order_by().values("work_year")
                   .annotate(n=Count("id")).values_list("work_year", "n"))
    open_q = ~Q(status__in=CLOSED_STATUSES) & Q(is_withdrawn=False)
    counts = {row["year"]: row for row in Assignment.objects.filter(government_id=government_id).order_by()
              .values("year").annotate(rows=Count("id"), open_rows=Count("id", filter=open_q),
                                       overdue=Count("id", filter=overdue_q(today)),
                                       pending=Count("id", filter=Q(status=Assignment.Status.PENDING_REVIEW)))}
    closed = closed_years(government_id)
    result = []
    for year in sorted(set(notices) | set(closed), reverse=True):
        c = counts.get(year, {})
        result.append(ArchiveYear(year=year, notices=notices.get(year, 0), rows=c.get("rows", 0),
                                  open_rows=c.get("open_rows", 0), overdue=c.get("overdue", 0),
                                  pending_review=c.get("pending", 0), closed=closed.get(year)))
    return result


def unfinished_rows(user, *, year: int):
    """The year's ledger rows of the user's government not done and not 不涉及 (withdrawn ones left out), in
    the tables' order: what the 回头看 looks at."""
    return (Assignment.objects.visible_to(user).filter(year=year, government_id=user.government_id).open()
            .with_ledger_related().order_by("notice__issue_date", "notice_id", "item_number", "unit_sort_order", "id"))


def with_lateness(rows, today: datetime.date, calendar: WorkCalendar | None = None) -> list[Assignment]:
    """Each row with ``late_text`` (逾期N个工作日, or "")."""
    calendar = calendar or WorkCalendar()
    rows = list(rows)
    for row in rows:
        late = days_overdue(row.due_date, today, calendar=calendar) if row.is_overdue(today) else 0
        row.late_text = overdue_text(late) if late else ""
    return rows


HEADER = ["通知文号", "序号", "工作任务", "单位", "角色", "完成时限", "状态", "最近报送", "逾期（工作日）"]
WIDTHS = [20, 6, 48, 16, 6, 14, 10, 14, 14]


def build_unfinished_workbook(*, government_name: str, year: int, rows: list[Assignment], today: datetime.date,
                              closed: bool) -> Workbook:
    """The unfinished rows as a printable A4 landscape sheet, the header row repeated on every page."""
    book = Workbook()
    sheet = book.active
    sheet.title = "未完成事项"
    state = "（已归档）" if closed else ""
    sheet.append([f"{government_name}{year}年度未完成事项清单{state}（截至{cn_date(today)}，共{len(rows)}行）"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[2]:
        cell.font, cell.border = Font(bold=True), border
    for row in rows:
        due = "持续推进" if row.is_ongoing else (cn_date(row.due_date) if row.due_date else "")
        sheet.append([row.notice.doc_number, row.item_number, row.item.short_text, row.unit.short_name,
                      row.get_role_display(), due, row.status_display,
                      cn_date(row.last_reported_on) if row.last_reported_on else "未报送", row.late_text])
        for cell in sheet[sheet.max_row]:
            cell.border, cell.alignment = border, Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:2"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.freeze_panes = "A3"
    return text_only(book)
