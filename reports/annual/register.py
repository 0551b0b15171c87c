"""表三 and 表四 of a unit's annual report taken from its 依申请公开 register (disclosure/), read-only.

A unit that keeps its register in the app (`disclosure.services.unit_keeps_register`) does not type these
175 + 15 figures: `register_figures(report)` gives them as field codes of format.py, and
`register_links(report)` the page listing the applications (or cases) behind each figure.
"""
from __future__ import annotations

from django.urls import reverse

from disclosure.services import annual_tables, unit_keeps_register
from reports.annual import format as fmt
from reports.models import AnnualReport as Report
from units.models import Unit

SOURCE_NOTE = "表三、表四由本单位依申请公开登记簿自动计算，不能手工修改；点击数字查看所计的申请。"


def keeps_register(report) -> bool:
    """No query when the report was read with select_related("unit__disclosure_register") (lists of reports)."""
    if report.unit_id is None:
        return False
    if Report.unit.is_cached(report) and Unit.disclosure_register.related.is_cached(report.unit):
        register = report.unit.disclosure_register if hasattr(report.unit, "disclosure_register") else None
        return register is not None and register.started_year <= report.year
    return unit_keeps_register(report.unit_id, report.year)


def register_figures(report) -> dict[str, int]:
    """{field code: count} for every cell of 表三 and 表四, or {} when the unit types them itself."""
    if not keeps_register(report):
        return {}
    tables = annual_tables(year=report.year, unit=report.unit)
    cells = {}
    for row, counts in zip(fmt.T3_ROWS, tables["table3"], strict=True):
        for col, count in zip(fmt.T3_COLUMNS, counts, strict=True):
            cells[fmt.t3_code(row.code, col.code)] = count
    codes = [fmt.t4_code(g.code, c.code) for g in fmt.T4_GROUPS for c in fmt.T4_COLUMNS]
    cells.update(zip(codes, tables["table4"], strict=True))
    return cells


def register_links(report) -> dict[str, str]:
    """{field code: URL of the rows behind it} for the cells register_figures fills."""
    if not keeps_register(report):
        return {}
    base = f"year={report.year}&unit={report.unit_id}"
    links = {}
    for row in fmt.T3_ROWS:
        for col in fmt.T3_COLUMNS:
            links[fmt.t3_code(row.code, col.code)] = (f"{reverse('disclosure:application-list')}?{base}"
                                                     f"&row={row.code}&col={col.code}")
    for group in fmt.T4_GROUPS:
        for col in fmt.T4_COLUMNS:
            links[fmt.t4_code(group.code, col.code)] = (f"{reverse('disclosure:case-list')}?{base}"
                                                       f"&group={group.code}&result={col.code}")
    return links
