"""Journey 4: the lead unit's liaison collects the responsible units' progress on an item it leads,
drafts the summary from their latest reports, completes it and saves it; the office then reads it in the
yearly summary.
"""
import pytest
from django.urls import reverse

from core.dates import cn_date
from reports.models import LeadSummary
from tasks.services import progress_record
from tests.browser.conftest import row_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN = "牵头梳理现行有效涉企政策文件86件，政策文件库已更新。"
EDUCATION = "已公开教育领域涉企政策文件12件。"
ADDED = "区司法局尚未报送，已电话督促。"


def test_lead_unit_summarises_its_item(cast, year_notice, open_as, shot, today, live_server):
    item = year_notice["items"][0]
    for user, unit, text in ((cast["alice"], cast["unit_a"], OWN), (cast["charlie"], cast["unit_b"], EDUCATION)):
        progress_record(assignment=row_of(item, unit), author=user, text=text, status="done", reported_on=today)

    page = open_as(cast["alice"])
    page.get_by_role("button", name="汇总统计").click()
    page.get_by_role("link", name="牵头汇总").click()
    assert "区发改局牵头的事项" in page.locator(".text-muted.small").first.inner_text()
    listed = page.locator("tbody tr", has_text="政策文件库更新")
    assert "已报送 2/3" in listed.inner_text() and "未汇总" in listed.inner_text()
    assert page.locator("tbody tr").count() == 1  # the items it does not lead are not listed
    shot(page, "lead-items")

    listed.get_by_role("link", name="填写汇总").click()
    assert "（已报送 2/3）" in page.locator("h2").first.inner_text()
    cards = {c.locator("strong").inner_text(): c.inner_text() for c in page.locator(".card.h-100").all()}
    assert list(cards) == ["区发改局", "区教育局", "区司法局"]
    assert OWN in cards["区发改局"] and EDUCATION in cards["区教育局"] and "未报送" in cards["区司法局"]
    shot(page, "unit-cards")

    page.once("dialog", lambda dialog: dialog.accept())  # "replace what is typed with the draft?"
    page.get_by_role("link", name="从各单位报送生成草稿").click()
    page.wait_for_url("**draft=1")
    assert "已根据各单位最近一次报送生成草稿" in page.get_by_role("alert").inner_text()
    draft = page.locator("#id_text").input_value()
    assert draft.splitlines() == [f"区发改局：{OWN}", f"区教育局：{EDUCATION}", "区司法局：未报送"]
    assert not LeadSummary.objects.exists()  # a draft is not saved
    shot(page, "draft")

    page.fill("#id_text", draft.replace("区司法局：未报送", ADDED))
    page.get_by_role("button", name="保存汇总").click()
    assert page.get_by_role("alert").inner_text().strip() == "第1项的落实情况汇总已保存。"
    assert f"最近由王丽（区发改局）于{cn_date(today)}汇总" in page.locator("main").inner_text()
    shot(page, "saved")

    page.get_by_role("link", name="牵头汇总").first.click()
    assert f"已汇总（{cn_date(today)}）" in page.locator("tbody tr", has_text="政策文件库更新").inner_text()

    office = open_as(cast["office"])
    office.goto(f"{live_server.url}{reverse('reports:summary')}?year={today.year}")
    row = office.locator("tbody tr", has_text="政策文件库更新")
    assert ADDED in row.inner_text() and "（牵头单位汇总）" in row.inner_text()
    shot(office, "office-reads-the-summary")
    assert LeadSummary.objects.get(item=item).text.endswith(ADDED)
