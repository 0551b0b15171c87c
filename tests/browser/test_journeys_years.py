"""Journey (d): the year pages (首页概况, 落实汇总, 统计, 年报文字, 年度报告) open on the latest work year with data,
not on the calendar year, when the office has no table for this year yet; the home page's year selector says
which years have none. At 1366×900 and at 390×844, each page reached from the navigation.
"""
import datetime

import pytest

from tests.browser.journeys import SIZES, Journey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (page loads, taps) from the login page through the five year pages, at each size
STEPS = {"desktop": (6, 9), "phone": (6, 13)}


@pytest.fixture
def past_tables(cast, today):
    """Tables of two years ago and of last year; none yet for this calendar year."""
    from conftest import make_item, make_notice

    for year, number in ((today.year - 2, 3), (today.year - 1, 7)):
        notice = make_notice(doc_number=f"测政办〔{year}〕{number}号", year=year, title=f"{year}年分解表")
        make_item(notice, 1, responsible=["区教育局"], requirement=f"{year}年的任务。",
                  deadline=datetime.date(year, 12, 31))
    return today.year - 1


@pytest.mark.parametrize("viewport", **SIZES)
def test_year_pages_open_on_the_year_with_data(viewport, cast, past_tables, new_context, live_server, shots, today):
    year = past_tables
    office = Journey(new_context, live_server, viewport, shots, "office")
    page = office.page
    office.log_in(cast["office"].username)
    assert f"{year}年全区概况" in page.locator("main").inner_text()
    options = page.get_by_label("年度").locator("option").all_inner_texts()
    assert f"{today.year}年（暂无数据）" in options and f"{year}年" in options
    office.shot("home")

    pages = [("汇总统计", "落实汇总", "**/reports/summary/", f"{year}年政务公开工作主要任务落实情况汇总"),
             ("汇总统计", "统计", "**/reports/stats/", f"{year}年任务落实统计"),
             ("汇总统计", "年报文字", "**/reports/annual-text/", f"{year}年任务分解表落实情况（年报文字）")]
    for menu, entry, url, heading in pages:
        office.nav_menu(menu, entry)
        page.wait_for_url(url)
        assert page.locator("h1").inner_text() == heading
        office.fits()
        office.shot(url.split("/")[-2])
    office.nav(page.locator("#mainnav").get_by_role("link", name="年度报告"))
    page.wait_for_url("**/reports/annual/")
    assert page.locator("h1").inner_text().startswith(f"{year}年")
    office.fits()
    office.shot("annual")
    assert office.steps() == STEPS[office.size]
    office.close()
