"""落实汇总 of a big year reads page by page: the office opens the summary of 45 items, sees the first 20 under
their section headings, moves to the next page (headings repeated with （续）) and to the last, where section 二 begins; on an office
screen and on a phone."""
import pytest
from django.urls import reverse

from conftest import make_item
from reports.views.summary import SUMMARY_PAGE_ITEMS
from tasks.models import Section
from tests.browser.conftest import row_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"office": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", list(SIZES))
def test_the_office_pages_through_a_big_year(cast, year_notice, open_as, shots, today, size, live_server):
    from tasks.services import progress_record

    notice = year_notice["notice"]
    two = Section.objects.create(notice=notice, number="二", title="推进政务公开平台规范化", position=2)
    for n in range(4, 46):
        make_item(notice, n, section=year_notice["section"] if n <= 40 else two, responsible=["区发改局", "区教育局"],
                  lead=["区发改局"], deadline=today)
    progress_record(assignment=row_of(notice.items.get(number=25), cast["unit_a"]), author=cast["alice"],
                    text="第25项：已在门户网站公开。", status="in_progress", reported_on=today)

    page = open_as(cast["office"])
    page.set_viewport_size(SIZES[size])
    if size == "phone":  # the menu folds away on a phone
        page.goto(f"{live_server.url}{reverse('reports:summary')}")
    else:
        page.get_by_role("button", name="汇总统计").click()
        page.get_by_role("link", name="落实汇总").click()
    main = page.locator("main")
    assert f"共45项，本页第1—{SUMMARY_PAGE_ITEMS}项" in main.inner_text()
    assert main.locator("tr.section-row").first.inner_text() == "一、推进重点领域信息公开"
    shots(page, "page-1")

    page.get_by_role("link", name="下一页").first.click()
    page.wait_for_url("**page=2")
    assert main.locator("tr.section-row").first.inner_text() == "一、推进重点领域信息公开（续）"
    assert "区发改局：第25项：已在门户网站公开。" in main.inner_text()
    assert "第2/3页 · 第21—40项，共45项" in main.inner_text()
    shots(page, "page-2")

    page.get_by_role("link", name="3", exact=True).first.click()
    page.wait_for_url("**page=3")
    assert "第3/3页 · 第41—45项，共45项" in main.inner_text()
    assert main.locator("tr.section-row").all_inner_texts() == ["二、推进政务公开平台规范化"]  # starts on this page
    shots(page, "page-3")
