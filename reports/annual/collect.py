"""年报收集: which units owe the year's report, where each stands, the due dates and the district-wide sum.

Due dates (条例第五十条: 部门 and 街道/乡镇 publish by 1月31日, the government by 3月31日 of the next
year) come from settings.GOVOPEN_ANNUAL_UNIT_DUE / GOVOPEN_ANNUAL_GOVERNMENT_DUE ("MM-DD"), so an office
whose province sets earlier dates changes one setting. ``today`` is always passed in.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

from reports.annual.figures import combine
from reports.models import AnnualReport
from units.models import Unit

NOT_STARTED = "未开始"
STATE_ORDER = (NOT_STARTED, *AnnualReport.Status.labels)


def _due(year: int, month_day: str) -> datetime.date:
    month, day = (int(part) for part in month_day.split("-"))
    return datetime.date(year + 1, month, day)


def unit_due_date(year: int) -> datetime.date:
    return _due(year, getattr(settings, "GOVOPEN_ANNUAL_UNIT_DUE", "01-31"))


def government_due_date(year: int) -> datetime.date:
    return _due(year, getattr(settings, "GOVOPEN_ANNUAL_GOVERNMENT_DUE", "03-31"))


@dataclass
class CollectRow:
    unit: Unit | None
    report: AnnualReport | None
    due: datetime.date
    today: datetime.date

    @property
    def name(self) -> str:
        if self.unit is not None:
            return self.unit.name
        return self.report.owner_name if self.report else "本级政府"

    @property
    def state(self) -> str:
        return self.report.get_status_display() if self.report else NOT_STARTED

    @property
    def is_published(self) -> bool:
        return self.report is not None and self.report.status == AnnualReport.Status.PUBLISHED

    @property
    def overdue(self) -> bool:
        """Past the due date and not yet published."""
        return self.today > self.due and not self.is_published

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days


def owing_units():
    """The units that owe a report: every active unit but the upper-level ones, in the fixed order."""
    return Unit.objects.active().exclude(kind=Unit.Kind.UPPER).in_fixed_order()


def collect_rows(*, year: int, today: datetime.date) -> tuple[CollectRow, list[CollectRow]]:
    """(the government's row, one row per unit that owes a report), in two queries."""
    reports = {r.unit_id: r for r in AnnualReport.objects.for_year(year).select_related("unit", "unit__disclosure_register")}
    government = CollectRow(None, reports.get(None), government_due_date(year), today)
    due = unit_due_date(year)
    return government, [CollectRow(unit, reports.get(unit.pk), due, today) for unit in owing_units()]


def year_reports(year: int) -> list[AnnualReport]:
    return list(AnnualReport.objects.for_year(year).select_related("unit", "unit__disclosure_register"))


def combined_cells(reports: list[AnnualReport]) -> dict:
    """The district-wide sum (汇总) of the reports' tables."""
    return combine([report.cells() for report in reports])


def combined_title(year: int, reports: list[AnnualReport]) -> str:
    government = next((r for r in reports if r.unit_id is None), None)
    owner = government.owner_name if government else "全区"
    return f"{owner}{year}年政府信息公开工作年度报告汇总"


def build_combined_workbook(*, year: int, reports: list[AnnualReport]):
    """The 汇总 in the official layout (tables 二、三、四) and a sheet naming every report summed."""
    from openpyxl.styles import Font

    from core.xlsx import print_layout, text_only
    from reports.annual.xlsx import build_workbook

    drafts = [r for r in reports if not r.is_clean]
    wb = build_workbook(title=combined_title(year, reports), sections={}, figures=combined_cells(reports),
                        draft=bool(drafts), tables_only=True)
    ws = wb.create_sheet("汇总范围")
    ws.append([f"{combined_title(year, reports)}：共{len(reports)}份报告"])
    ws["A1"].font = Font(name="黑体", size=14, bold=True)
    ws.append(["报告主体", "状态", "发布日期", "发布网址"])
    for report in sorted(reports, key=lambda r: (r.unit_id is not None, r.unit.sort_order if r.unit else 0, r.pk)):
        ws.append([report.owner_name, report.get_status_display(),
                   report.published_on.strftime("%Y-%m-%d") if report.published_on else "", report.published_url])
    print_layout(ws, widths=[36, 10, 12, 50], title_rows=(2, 2))
    ws.print_area = f"A1:D{ws.max_row}"
    return text_only(wb)
