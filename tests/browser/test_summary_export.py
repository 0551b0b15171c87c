"""Journey 7: the office exports the yearly summary; the file downloads under its Chinese name and opens
with the four sheets. A unit's liaison exports too, and the unit's file holds only what the unit sees.
"""
import pytest
from openpyxl import load_workbook

from tasks.services import progress_record
from tests.browser.conftest import row_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEETS = ["落实情况汇总", "单位统计", "逾期清单", "年报文字"]
DONE = "政策文件库已更新，86件涉企政策文件已在门户网站集中公开。"


def download(page, link_name, folder):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def item_rows(path) -> dict[int, tuple]:
    """The summary sheet's item rows by number (row 4 on; headings have no number)."""
    ws = load_workbook(path, read_only=True)["落实情况汇总"]
    return {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)}


def test_office_exports_the_yearly_summary_and_it_opens(cast, year_notice, open_as, shot, today, tmp_path):
    items = year_notice["items"]
    progress_record(assignment=row_of(items[0], cast["unit_a"]), author=cast["alice"], text=DONE, status="done",
                    reported_on=today)

    page = open_as(cast["office"])
    page.get_by_role("button", name="汇总统计").click()
    page.get_by_role("link", name="落实汇总").click()
    assert page.locator("h1").inner_text() == f"{today.year}年政务公开工作主要任务落实情况汇总"
    assert "统计范围：全部通知 · 共3项" in page.locator("main").inner_text()
    shot(page, "summary-page")

    path = download(page, "导出Excel", tmp_path)
    assert path.name == f"{today.year}年落实情况汇总.xlsx"
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == SHEETS
    ws = wb["落实情况汇总"]
    assert ws["A1"].value == f"{today.year}年政务公开工作主要任务落实情况汇总表"
    assert [c.value for c in ws[3]] == ["序号", "工作任务", "牵头单位", "责任单位", "时限", "完成状态", "完成日期",
                                         "落实情况", "备注"]
    assert ws["A4"].value == "一、推进重点领域信息公开"
    rows = item_rows(path)
    assert sorted(rows) == [1, 2, 3]
    assert rows[1][2] == "区发改局" and rows[1][3] == "区直各有关部门" and DONE in rows[1][7]
    assert rows[2][5] == "已逾期" and "区教育局：未报送" in rows[2][7]
    overdue = [r for r in wb["逾期清单"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert [(r[1], r[2], r[4]) for r in overdue] == [(year_notice["notice"].doc_number, 2, "区教育局")]
    wb.close()

    unit = open_as(cast["charlie"])
    unit.get_by_role("button", name="汇总统计").click()
    unit.get_by_role("link", name="落实汇总").click()
    assert "全部通知（区教育局可见范围）" in unit.locator("main").inner_text()
    shot(unit, "unit-summary-page")
    unit_path = download(unit, "导出Excel", tmp_path)
    assert unit_path.name == f"{today.year}年落实情况汇总（区教育局）.xlsx"
    assert sorted(item_rows(unit_path)) == [1, 2]  # item 3 concerns 区发改局 alone
