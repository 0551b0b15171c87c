"""Journey 5: two units claim items done; the office returns one with a reason (a return without a reason
is refused first) and accepts the other. The returned unit sees the reason on its home page and its row.
"""
import pytest

from tasks.models import Assignment, ProgressReport
from tasks.services import progress_submit
from tests.browser.conftest import row_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDUCATION = "已在门户网站公开义务教育阶段收费项目。"
COLUMN = "政务公开专栏已全面更新，栏目信息准确。"
REASON = "未附收费标准的公开页面链接，请补充佐证材料后重新报送。"


def test_office_returns_one_report_and_accepts_another(cast, year_notice, open_as, shot, today):
    _, education_item, column_item = year_notice["items"]
    returned = row_of(education_item, cast["unit_b"])
    accepted = row_of(column_item, cast["unit_a"])
    progress_submit(assignment=returned, author=cast["charlie"], status="done", text=EDUCATION, reported_on=today)
    progress_submit(assignment=accepted, author=cast["alice"], status="done", text=COLUMN, reported_on=today)

    page = open_as(cast["office"])
    waiting = page.locator(".alert-warning", has_text="等待您审核")
    assert "有2项完成报送等待您审核。" in waiting.inner_text()
    shot(page, "home-two-waiting")
    waiting.get_by_role("link", name="去审核").click()
    assert page.locator("h1").inner_text() == "待审核的完成报送 2"
    education_card = page.locator(".card", has_text=EDUCATION)
    assert "区教育局" in education_card.inner_text() and "未附佐证材料。" in education_card.inner_text()
    shot(page, "review-list")

    education_card.get_by_role("button", name="退回").click()  # no reason written
    assert "请填写退回理由。" in page.locator(".invalid-feedback").inner_text()
    assert page.locator("h1").inner_text() == f"退回“区教育局”{year_notice['notice'].doc_number} 第2项的完成报送"
    assert ProgressReport.objects.get(assignment=returned).review_status == ProgressReport.Review.PENDING
    shot(page, "return-without-reason-refused")
    page.fill("#id_reason", REASON)
    page.get_by_role("button", name="退回").click()
    assert page.get_by_role("alert").inner_text().strip() == "已退回“区教育局”第2项，该单位联络员已收到退回理由。"
    assert page.locator(".card", has_text=EDUCATION).count() == 0

    page.locator(".card", has_text=COLUMN).get_by_role("button", name="审核通过").click()
    assert page.get_by_role("alert").inner_text().strip() == "已审核通过“区发改局”第3项，该项计为已完成。"
    assert "没有等待您审核的报送。" in page.locator("main").inner_text()
    shot(page, "all-reviewed")

    unit = open_as(cast["charlie"])
    panel = unit.locator(".card", has_text="被退回、需重新报送")
    assert "被退回、需重新报送（1）" in panel.inner_text() and f"退回理由：{REASON}" in panel.inner_text()
    shot(unit, "unit-home-shows-return")
    panel.get_by_role("link", name=f"{year_notice['notice'].doc_number} 第2项").click()
    assert f"完成报送被退回：{REASON}" in unit.locator(".alert-danger", has_text="完成报送被退回").inner_text()
    assert "已退回" in unit.locator(".card:not(.progress-card)", has_text=EDUCATION).inner_text()
    shot(unit, "unit-row-shows-reason")

    returned.refresh_from_db()
    accepted.refresh_from_db()
    assert (returned.status, accepted.status, accepted.completed_on) == (
        Assignment.Status.RETURNED, Assignment.Status.DONE, today)
