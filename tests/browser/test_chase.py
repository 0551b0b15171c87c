"""Journey 6: the office finds a late unit, chases it with a message, and the unit's liaison sees the chase
on the home page, in the messages and on the ledger row.
"""
import pytest

from tests.browser.conftest import row_of
from workflow.calendar import WorkCalendar, seed_from_package
from workflow.models import CalendarDay, CalendarYear, Chase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = "你单位承担的教育收费信息公开任务已逾期，请于3个工作日内报送落实情况和佐证材料。"


@pytest.fixture
def calendar(today):
    """The holiday calendar of the data migration (transaction=True tests start from an empty database)."""
    seed_from_package(CalendarDay, CalendarYear, years=[today.year])


def test_office_chases_a_late_unit_and_the_unit_sees_it(cast, year_notice, calendar, open_as, shot, today):
    late = row_of(year_notice["items"][1], cast["unit_b"])
    late_days = WorkCalendar().working_days_between(late.due_date, today)

    page = open_as(cast["office"])
    late_units = page.locator(".card", has_text="有逾期事项的单位")
    assert "区教育局" in late_units.inner_text() and "1 项逾期" in late_units.inner_text()
    shot(page, "home-late-units")

    page.get_by_role("button", name="督办").click()
    page.get_by_role("link", name="催办逾期任务").click()
    assert page.locator("h1").inner_text() == "催办逾期任务"
    assert not page.locator(".alert-warning").count()  # this year's holidays are known: no fallback warning
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    cells = [c.strip() for c in rows.first.locator("td").all_inner_texts()]
    assert cells[1:4] == ["区教育局", f"{year_notice['notice'].doc_number} 第2项", "教育收费信息公开"]
    assert cells[5] == f"{late_days}个工作日" and cells[7] == "—"
    assert page.locator("#id_message").input_value().startswith("你单位承担的以下任务已超过完成时限")
    shot(page, "late-rows")

    page.get_by_role("button", name="催办所选").click()  # nothing ticked
    assert "请至少选择一行台账。" in page.locator(".alert-danger").inner_text()
    assert not Chase.objects.exists()
    shot(page, "nothing-selected")

    page.get_by_label("选择区教育局第2项").check()
    page.fill("#id_message", MESSAGE)
    page.get_by_role("button", name="催办所选").click()
    assert page.get_by_role("alert").inner_text().strip() == "已向1个单位催办1项，相关单位联络员已收到消息。"
    assert page.locator("h1").inner_text() == "催办记录"
    record = page.locator("tbody tr", has_text=MESSAGE)
    assert "区教育局" in record.inner_text() and "陈公开" in record.inner_text()
    shot(page, "chase-record")
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone each chase is a card, nothing sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("(() => { const t = document.querySelector('.chase-table').parentElement;"
                         " return t.scrollWidth <= t.clientWidth; })()")  # the table does not scroll sideways
    box = record.get_by_role("button", name="下载督办通知单").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    shot(page, "chase-record-phone")

    unit = open_as(cast["charlie"])
    panel = unit.locator(".card", has_text="本单位被催办的事项")
    assert MESSAGE in panel.inner_text() and "第2项" in panel.inner_text() and "陈公开催办" in panel.inner_text()
    assert unit.locator("#unread-count").inner_text() == "1"
    assert "本单位已逾期（1）" in unit.locator(".card", has_text="本单位已逾期").inner_text()
    shot(unit, "unit-home-shows-chase")

    panel.get_by_role("link", name=f"{year_notice['notice'].doc_number} 第2项").click()
    chased = unit.locator(".alert-danger", has_text="已催办1次")
    assert MESSAGE in chased.inner_text()
    shot(unit, "unit-row-shows-chase")
    assert Chase.objects.get().assignment == late
