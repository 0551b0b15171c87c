"""Journey (b): the office's to-do. The home page's 已逾期 total leads (查看全部) to the same rows in the ledger;
催办 (from the ledger's 催办逾期, or 督办 → 催办逾期任务, which opens on the latest work year with overdue rows), most working days overdue first, with the message
and 催办所选 above the table; the office selects all N rows (of every page) and sends; the unit sees the chase.

Measured at 1366×900 and at 390×844 (the README's journey table states these numbers): see STEPS.
"""
import datetime

import pytest

from tasks.models import Section
from tests.browser.journeys import SIZES, Journey
from workflow.calendar import days_overdue, seed_from_package
from workflow.models import CalendarDay, CalendarYear, Chase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (page loads, taps) from the login page to the sent chase, at each size
STEPS = {"desktop": (5, 6), "phone": (5, 6)}
PAGE_SIZE = 3  # the chase page's rows per page, small here so that 4 rows make two pages


@pytest.fixture
def late_rows(cast, today):
    """Last year: one overdue row (区教育局). This work year: four overdue rows of three units."""
    from conftest import make_item, make_notice

    seed_from_package(CalendarDay, CalendarYear, years=[today.year - 1, today.year])
    old = make_notice(doc_number=f"测政办〔{today.year - 1}〕8号", year=today.year - 1, title="去年的分解表")
    make_item(old, 1, responsible=["区教育局"], requirement="去年的任务。",
              deadline=datetime.date(today.year - 1, 6, 30))
    notice = make_notice(doc_number=f"测政办〔{today.year}〕9号", year=today.year, title="今年的分解表")
    section = Section.objects.create(notice=notice, number="一", title="重点领域", position=1)
    days = {1: 40, 2: 12, 3: 25, 4: 3}  # calendar days overdue by item number
    for number, late in days.items():
        unit = {1: "区教育局", 2: "区发改局", 3: "区司法局", 4: "区教育局"}[number]
        make_item(notice, number, section=section, responsible=[unit], requirement=f"今年的第{number}项任务。",
                  deadline=today - datetime.timedelta(days=late))
    return notice


@pytest.mark.parametrize("viewport", **SIZES)
def test_office_todo_and_chase(viewport, cast, late_rows, new_context, live_server, shots, today, monkeypatch):
    monkeypatch.setattr("workflow.views.chasing.CHASE_PAGE_SIZE", PAGE_SIZE)
    office = Journey(new_context, live_server, viewport, shots, "office")
    page = office.page
    office.log_in(cast["office"].username)
    stats = page.locator(".card-stat", has_text="已逾期")
    assert stats.locator(".display-6").inner_text() == "4"  # this work year's, not last year's
    office.shot("home")
    office.tap(stats.get_by_role("link", name="查看全部"))
    page.wait_for_url(f"**/tasks/ledger/?year={today.year}&overdue=on")
    office.fits()
    assert page.locator("#id_overdue").is_checked()
    rows = page.locator("table tbody tr")
    assert rows.count() == 4, rows.all_inner_texts()
    office.shot("ledger-overdue")

    office.tap(page.get_by_role("link", name="催办逾期"))  # the ledger's own button keeps its filter
    page.wait_for_url(f"**/tasks/chases/new/?year={today.year}&overdue=on")
    office.fits()
    assert page.locator("#f-year").input_value() == str(today.year)
    assert f"{today.year}年已逾期共4行" in page.locator("#chase-form").inner_text()
    send = page.get_by_role("button", name="催办所选")
    office.on_screen(send, without_scrolling=True)  # the action is above the table
    cells = [r.locator("td").nth(2).inner_text() for r in page.locator("#chase-form tbody tr").all()]
    assert cells == [f"{late_rows.doc_number} 第{n}项" for n in (1, 3, 2)]  # most working days overdue first
    first_days = days_overdue(today - datetime.timedelta(days=40), today)
    late = page.locator("#chase-form tbody tr").first.get_by_text(f"{first_days}个工作日")
    office.on_screen(late)  # on a phone too: the task text and the date make way for the days overdue
    office.shot("chase")
    office.tap(page.get_by_label("选择全部4行（所有页）"))
    office.tap(send)
    assert page.get_by_role("alert").inner_text().strip() == "已向3个单位催办4项，相关单位联络员已收到消息。"
    office.fits()
    office.shot("chased")
    assert office.steps() == STEPS[office.size]
    # from the menu, without a filter, the page opens on the latest work year with overdue rows (not 全部年度)
    office.nav_menu("督办", "催办逾期任务")
    page.wait_for_url("**/tasks/chases/new/")
    assert page.locator("#f-year").input_value() == str(today.year)
    assert f"{today.year}年已逾期共4行" in page.locator("#chase-form").inner_text()
    assert "1次" in page.locator("#chase-form tbody tr").first.inner_text()  # 已催办 counted
    office.fits()
    office.shot("chase-from-menu")
    office.close()
    assert Chase.objects.filter(assignment__year=today.year).count() == 4 and Chase.objects.count() == 4

    unit = Journey(new_context, live_server, viewport, shots, "unit")
    unit.log_in(cast["charlie"].username)
    panel = unit.page.locator(".card", has_text="本单位被催办的事项")
    assert "第1项" in panel.inner_text() and "第4项" in panel.inner_text() and "陈公开催办" in panel.inner_text()
    assert "本单位已逾期（3）" in unit.page.locator(".todo-card", has_text="本单位已逾期").inner_text()
    unit.on_screen(panel)
    unit.shot("home")
    assert unit.steps() == (2, 2)
    unit.close()
