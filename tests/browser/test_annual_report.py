"""Journeys of the annual report (政府信息公开工作年度报告):

1. a unit's liaison drafts the year's report: last year's 结转 is already there, table 三 is pasted from
   Excel in one go, a cell showing 0 is overwritten by typing, totals appear by themselves, the checks
   come from the server, the report is submitted;
2. the office gathers three units' reports on 年报收集 (one loaded from a workbook), sees who is overdue
   and downloads the district-wide sum, which opens with the tables added up;
3. a liaison re-drafts sections 一/五/六 and keeps only the part accepted.
"""
import datetime
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from reports.annual import format as fmt
from reports.annual.services import figures_to_json
from reports.annual.xlsx import build_workbook
from reports.models import AnnualReport
from reports.tests.annual_samples import _T3_SAMPLE, good_figures, good_sections, last_year_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS_TEXT = {
    "overview": "{year}年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，全年制发行政规范性文件4件，"
                "本年新收政府信息公开申请60件，上年结转6件。",
    "problems": "一是主动公开的及时性有待提高；二是政策解读形式较为单一。下一步将加强培训，丰富解读形式。",
    "other": "本年度未收取信息处理费。",
}


def report_of(unit, year, figures=None, status=AnnualReport.Status.DRAFT, sections=None):
    return AnnualReport.objects.create(government=unit.government, year=year, unit=unit, owner_name=unit.name, status=status,
                                       figures=figures_to_json(figures or good_figures()),
                                       **(sections or good_sections()))


def t3_block_from_excel() -> str:
    """Table 三 as copied from a unit's Excel sheet: 25 rows × 7 columns (总计 included), tab-separated."""
    figures = good_figures()
    lines = []
    for row in fmt.T3_ROWS:
        lines.append("\t".join(str(figures[fmt.t3_code(row.code, c.code)]) for c in fmt.T3_COLUMNS))
    return "\n".join(lines) + "\n"


def paste(page, selector: str, text: str) -> None:
    """A real paste event with the clipboard's text, as Excel/WPS put it there."""
    page.locator(selector).focus()
    page.evaluate("""([selector, text]) => {
        const target = document.querySelector(selector);
        const data = new DataTransfer();
        data.setData("text/plain", text);
        target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""", [selector, text])


def settled(page) -> None:
    """Wait until the live check of the form's last change has answered (the debounce included).

    The check is a server round trip: on a loaded machine (CI runs the suite twice on 2 cores) it can take
    longer than expect's 5 s default, so the wait is generous; the answer itself is then asserted at once.
    """
    expect(page.locator("#annual-form")).not_to_have_attribute("aria-busy", re.compile(".*"), timeout=30_000)


def code_selector(code: str) -> str:
    return f'[data-code="{code}"]'


# Was flaky twice (2026-11-30): a click's release landing elsewhere left a stale "just focused" mark, so the
# next click on a cell showing 0 did not select it (fixed in annual_report.js); and on a loaded machine the
# live check answered after expect's 5 s, so the findings of the state before the texts were read (the form
# now stays aria-busy from a change until its answer, and settled() waits up to 30 s for that).
def test_liaison_enters_a_report_with_paste_and_carry_forward(cast, open_as, shot, today):
    year = today.year - 1
    report_of(cast["unit_a"], year - 1, figures=last_year_figures(), status=AnnualReport.Status.PUBLISHED)
    page = open_as(cast["alice"])
    page.get_by_role("link", name="年度报告", exact=True).click()
    page.get_by_label("报告年度").select_option(str(year))
    page.get_by_role("button", name=f"起草{year}年度报告").click()
    page.wait_for_url("**/edit/")
    # 上年结转 from last year's 结转下年度, with the note beside the table
    assert f"取自{year - 1}年报告的“四、结转下年度继续办理”" in page.locator("#carried-note").inner_text()
    carried = [page.locator(code_selector(fmt.t3_code("carried", c.code))).input_value() for c in fmt.T3_COLUMNS]
    assert carried == ["5", "1", "0", "0", "0", "0", "6"]
    assert page.locator(code_selector("t2.normative.valid")).input_value() == "20"
    assert page.locator(code_selector("t3.new.natural")).input_value() == ""  # blank, not 0
    settled(page)
    assert "还没有填写" in page.locator("#live-findings").inner_text()
    shot(page, "new-report-carried")

    # table 三 pasted from Excel in one go, into its first cell
    paste(page, code_selector("t3.new.natural"), t3_block_from_excel())
    assert "已粘贴 144 个单元格" in page.locator("#paste-note").inner_text()  # 24 rows × 6: totals skipped
    assert page.locator(code_selector("t3.deny_third_party.natural")).input_value() == str(_T3_SAMPLE["deny_third_party"][0])
    # table 二: one column pasted down, then the 规章 row as "/" and a 0 overwritten by typing
    paste(page, code_selector("t2.normative.issued"), "4\t1\t23\n")
    paste(page, code_selector("t2.licensing.decisions"), "1250\n86\n3\n12.35\n")
    for code in ("t2.rules.issued", "t2.rules.repealed", "t2.rules.valid"):
        page.fill(code_selector(code), "/")
    page.click(code_selector("t2.licensing.decisions"))
    page.keyboard.press("Enter")  # Enter moves down a column, it does not submit the form
    assert page.evaluate("document.activeElement.dataset.code") == "t2.penalty.decisions"
    page.click(code_selector("t4.review.corrected"))
    page.keyboard.type("0")
    page.click(code_selector("t4.review.corrected"))  # a cell that shows 0: clicking selects it
    page.keyboard.type("1")
    assert page.locator(code_selector("t4.review.corrected")).input_value() == "1"
    paste(page, code_selector("t4.review.upheld"), "2\t1\t0\t1\t\t1\t0\t0\t0\t\t0\t0\t0\t2\t\n")
    settled(page)
    assert page.locator('[data-code="t4.review.total"]').input_value() == "4"
    assert page.locator(code_selector("t3.total.total")).input_value() == "56"  # computed, never typed
    for key, text in SECTIONS_TEXT.items():
        page.fill(f"[data-section={key}]", text.format(year=year))
    settled(page)
    assert "错误" not in page.locator("#live-summary").inner_text(), page.locator("#live-findings").inner_text()
    shot(page, "filled")
    settled(page)
    page.get_by_role("button", name="保存").click()
    assert "已保存" in page.locator(".alert").first.inner_text()
    settled(page)
    page.get_by_role("button", name="提交公开办").click()
    assert "年度报告已提交公开办" in page.locator("main").inner_text()
    report = AnnualReport.objects.get(unit=cast["unit_a"], year=year)
    assert report.status == AnnualReport.Status.SUBMITTED
    assert report.figures["t3.new.total"] == 60 and report.figures["t2.rules.issued"] == "/"
    assert report.figures["t2.fees.amount"] == "12.35"
    shot(page, "submitted")


def test_office_gathers_three_units_and_exports_the_sum(cast, open_as, shot, today, tmp_path):
    year = today.year - 1
    report_of(cast["unit_a"], year, status=AnnualReport.Status.SUBMITTED)
    report_of(cast["unit_b"], year, status=AnnualReport.Status.FINAL)
    workbook = tmp_path / "区司法局年报.xlsx"
    build_workbook(title=f"测试区司法局{year}年政府信息公开工作年度报告", sections=good_sections(),
                   figures=good_figures()).save(workbook)

    page = open_as(cast["office"])
    page.goto(page.url.rstrip("/") + f"/reports/annual/collect/?year={year}")
    assert page.locator("h1").inner_text() == f"{year}年政府信息公开工作年度报告收集"
    justice = page.locator(f'tr[data-unit="{cast["justice"].name}"]')
    assert "未开始" in justice.inner_text()
    justice.locator("input[type=file]").set_input_files(str(workbook))
    justice.get_by_role("button", name="导入工作簿").click()
    assert "已新建测试区司法局" in page.locator(".alert").first.inner_text()
    shot(page, "imported")
    page.goto(page.url.split("/reports/")[0] + f"/reports/annual/collect/?year={year}")
    rows = {u: page.locator(f'tr[data-unit="{cast[u].name}"]').inner_text() for u in ("unit_a", "unit_b", "justice")}
    assert "已提交" in rows["unit_a"] and "已定稿" in rows["unit_b"] and "草稿" in rows["justice"]
    due = datetime.date(year + 1, 1, 31)
    assert f"{due.year}年1月31日" in rows["unit_a"]
    if today > due:
        assert "逾期" in rows["unit_a"]
    assert page.locator("#collect-sum").locator("tr", has_text="一、本年新收申请").inner_text().split()[-1] == "180"
    shot(page, "collect")

    with page.expect_download() as info:
        page.get_by_role("link", name="导出全区汇总（官方格式）").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == f"全区{year}年政府信息公开工作年度报告汇总.xlsx"
    wb = load_workbook(path)
    ws = wb["三、收到和处理政府信息公开申请情况"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] == fmt.T3_NEW.text)
    assert row[3:10] == (120, 30, 3, 6, 9, 12, 180)
    assert [r[0] for r in wb["汇总范围"].iter_rows(min_row=3, values_only=True)] == [
        cast["unit_a"].name, cast["unit_b"].name, cast["justice"].name]

    with page.expect_download() as info:
        page.get_by_role("link", name="一键下载年终材料").click()
    assert info.value.suggested_filename == f"{year}年政务公开年终材料.zip"


def test_liaison_redrafts_and_keeps_only_what_is_accepted(cast, open_as, shot, today):
    year = today.year - 1
    report = report_of(cast["unit_a"], year, sections=good_sections() | {"overview": f"{year}年旧的总体情况。"})
    page = open_as(cast["alice"])
    page.goto(page.url.rstrip("/") + f"/reports/annual/{report.pk}/edit/")
    page.get_by_role("link", name="重新起草").click()
    overview = page.locator('[data-redraft="overview"]')
    assert f"{year}年旧的总体情况。" in overview.inner_text()
    new_text = page.locator("textarea[name=draft_overview]").input_value()
    assert new_text.startswith(f"{year}年，本单位") and "我区" not in new_text
    shot(page, "side-by-side")
    page.get_by_label("采用新稿").first.check()
    page.get_by_role("button", name="替换勾选的部分").click()
    assert "已采用新稿：一、总体情况" in page.locator(".alert").first.inner_text()
    report.refresh_from_db()
    assert report.overview == new_text.strip() and report.problems == good_sections()["problems"]
