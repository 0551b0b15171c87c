"""The office's item page in a real browser, at 1366×900 and 390×844: the item as issued, one tile per unit
(light, status, last report) linking to its row, the history one click away; nothing wider than a phone."""
import pytest

from tests.browser.conftest import row_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_reads_an_item_at_a_glance_on_a_desk_and_on_a_phone(cast, year_notice, open_as, shot):
    item = year_notice["items"][0]  # 政策文件库更新: 区发改局 leads, 区教育局 and 区司法局 responsible
    page = open_as(cast["office"])
    page.goto(page.url.rstrip("/") + item.get_absolute_url())
    issued = page.locator("#item-issued").inner_text()
    assert "工作任务\n政策文件库更新" in issued and "集中梳理现行有效的涉企政策文件" in issued
    tiles = page.locator(".unit-tile")
    assert tiles.all_inner_texts()[0].split()[:2] == ["区发改局", "牵头"]
    assert sorted(t.split()[0] for t in tiles.all_inner_texts()[1:]) == ["区司法局", "区教育局"]
    assert all("未报送" in t for t in tiles.all_inner_texts())
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 1200, height  # the whole item on about one screen
    assert "操作记录（留痕）" not in page.content()
    shot(page, "office-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    boxes = [tiles.nth(i).bounding_box() for i in range(tiles.count())]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["height"] >= 44  # two tiles a line, big enough to tap
    shot(page, "office-phone")

    href = tiles.nth(1).get_attribute("href")
    assert href in {row_of(item, cast["unit_b"]).get_absolute_url(), row_of(item, cast["justice"]).get_absolute_url()}
    tiles.nth(1).click()
    assert page.url.endswith(href)  # the tile opens that unit's ledger row
    page.go_back()
    page.get_by_role("link", name="催办记录与操作记录").click()
    page.wait_for_url("**/history/")
    page.get_by_text("操作记录（留痕）").wait_for()
    assert "False" not in page.locator("body").inner_text()
    shot(page, "office-history")
