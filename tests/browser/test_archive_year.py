"""Journey: the office closes last year (年度归档), carries its unfinished item into this year's table in one
step, the unit's liaison finds last year's row marked 已归档 without a progress form, and the office reopens
the year. At the office's screen and at a phone's 390×844."""
import datetime

import pytest

from tasks.models import ClosedYear, Item
from tests.browser.conftest import row_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def last_year(cast, today):
    from conftest import make_item, make_notice

    year = today.year - 1
    notice = make_notice(doc_number=f"测政办〔{year}〕8号", year=year)
    item = make_item(notice, 1, title="教育收费信息公开", responsible=["区教育局"],
                     requirement="公开义务教育阶段收费项目、标准和依据。", deadline=datetime.date(year, 10, 31))
    return {"year": year, "notice": notice, "item": item}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_office_closes_last_year_carries_it_over_and_reopens(cast, last_year, year_notice, open_as, shot, new_context,
                                                            live_server):
    year = last_year["year"]
    page = open_as(cast["office"])
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmation each button asks for
    page.get_by_role("button", name="汇总统计").click()
    page.get_by_role("link", name="年度归档").click()
    card = page.locator(f"#year-{year}")
    assert "未归档" in card.inner_text() and "未完成 1 行" in card.inner_text()
    shot(page, "years")

    card.get_by_label("归档说明（选填）").fill("年度报告已公布")
    card.get_by_role("button", name=f"归档{year}年度").click()
    assert f"已归档{year}年度" in page.get_by_role("alert").inner_text()
    assert "已归档" in card.locator(".card-header").inner_text() and "年度报告已公布" in card.inner_text()
    assert ClosedYear.objects.filter(year=year).exists()
    shot(page, "closed")

    card.get_by_role("link", name="未完成事项（回头看）").click()
    assert "已归档" in page.locator("h1").inner_text()
    assert "教育收费信息公开" in page.locator("tbody").inner_text()
    page.select_option("#id_to_notice", label=f"{year_notice['notice'].doc_number} {year_notice['notice'].title}")
    shot(page, "unfinished")
    page.get_by_role("button", name=f"将1项转入{year + 1}年").click()
    assert f"已将{year}年1项未完成事项转入{year_notice['notice'].doc_number}" in page.get_by_role("alert").inner_text()
    assert Item.objects.get(origin=last_year["item"]).notice == year_notice["notice"]
    shot(page, "carried")

    liaison = open_as(cast["charlie"])
    liaison.goto(f"{live_server.url}{row_of(last_year['item'], cast['unit_b']).get_absolute_url()}")
    assert "已归档" in liaison.locator("h1").inner_text()
    assert f"{year}年度已归档，不能再报送落实情况" in liaison.locator("body").inner_text()
    assert not liaison.locator("#progress").count()
    shot(liaison, "liaison-row")

    phone = new_context(viewport=PHONE).new_page()
    from tests.browser.conftest import login
    login(phone, live_server, cast["office"])
    phone.goto(f"{live_server.url}/reports/archive/")
    assert fits(phone)
    shot(phone, "phone-years")
    phone.goto(f"{live_server.url}/reports/archive/{year}/")
    assert fits(phone)
    shot(phone, "phone-unfinished")

    page.goto(f"{live_server.url}/reports/archive/")
    page.locator(f"#year-{year}").get_by_role("button", name=f"重新开放{year}年度").click()
    assert f"已重新开放{year}年度" in page.get_by_role("alert").inner_text()
    assert not ClosedYear.objects.exists()
    shot(page, "reopened")
