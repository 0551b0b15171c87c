"""Journeys of issue 17 in a real browser, on a phone (390×844) and an office screen (1366×900):

* the public progress page, opened without logging in: the table and each item's state, nothing wider than
  the screen, and its print layout;
* the progress form asking less: the last text prefilled, the office's evidence requirement with its reason,
  and one report sent to two rows with the same requirement.
"""
import datetime

import pytest
from django.utils import timezone

from tasks.models import ProgressReport
from tests.browser.conftest import PASSWORD, TIMEOUT_MS, row_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def fits(page, viewport):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width} px wide"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_anyone_reads_the_published_page_without_logging_in(viewport, cast, year_notice, new_context, live_server,
                                                           shot, today):
    from reports.services import notice_page_publish
    from tasks.services import progress_record

    items = year_notice["items"]
    progress_record(assignment=row_of(items[2], cast["unit_a"]), author=cast["alice"], text="内部文字：专栏已更新。",
                    status="done", reported_on=today)
    progress_record(assignment=row_of(items[0], cast["unit_b"]), author=cast["charlie"], text="内部文字：正在梳理。",
                    status="in_progress", reported_on=today)
    notice = notice_page_publish(notice=year_notice["notice"], user=cast["office"], now=timezone.now())
    size = "phone" if viewport is PHONE else "desktop"
    context = new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server.url}/gongkai/")
    fits(page, viewport)
    page.get_by_role("link", name=notice.title).click()
    page.wait_for_url(f"{live_server.url}/gongkai/{notice.public_token}/")
    fits(page, viewport)
    text = page.locator("main").inner_text()
    assert notice.doc_number in text and "政策文件库更新" in text and "区直各有关部门" in text
    assert "已完成" in text and "推进中" in text and "未开始" in text
    assert "内部文字" not in text and "王丽" not in text and "登录" not in page.content()
    shot(page, f"{size}-public-page")
    page.emulate_media(media="print")
    shot(page, f"{size}-public-page-print")
    if viewport is DESKTOP:
        page.pdf(path=str(shot(page, "print-check").with_suffix(".pdf")), landscape=True, format="A4")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_liaison_edits_the_last_text_and_reports_once_for_two_items(viewport, cast, year_notice, new_context,
                                                                      live_server, shot, today):
    from conftest import make_item
    from tasks.services import progress_record

    first = year_notice["items"][2]  # 政务公开专栏维护, 区发改局, 持续推进
    first.evidence_required, first.evidence_reason = True, "须提供专栏页面链接"
    first.save()
    twin = make_item(year_notice["notice"], 4, section=year_notice["section"], title="专栏维护（二）",
                     responsible=["区发改局"], requirement=first.requirement,
                     deadline=today + datetime.timedelta(days=40))
    row = row_of(first, cast["unit_a"])
    progress_record(assignment=row, author=cast["alice"], text="专栏已更新至第三季度。", status="in_progress",
                    reported_on=today - datetime.timedelta(days=3))
    size = "phone" if viewport is PHONE else "desktop"
    context = new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", cast["alice"].username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{row.get_absolute_url()}#progress")
    fits(page, viewport)
    assert page.locator("#id_text").input_value() == "专栏已更新至第三季度。"
    assert "已带出上次填报内容" in page.locator("#prefilled-note").inner_text()
    assert "本项要求上传佐证：须提供专栏页面链接" in page.locator("#evidence-required").inner_text()
    same = page.locator("#same-requirement")
    assert "专栏维护（二）" in same.inner_text()
    shot(page, f"{size}-progress-form")
    page.locator("#id_text").fill("专栏已更新至第三季度，并新增政策解读栏目。")
    same.get_by_label("专栏维护（二）", exact=False).check()
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state()
    assert "第3项、第4项" in page.locator("body").inner_text()
    fits(page, viewport)
    shot(page, f"{size}-saved")
    texts = set(ProgressReport.objects.filter(assignment__item__in=[first, twin], reported_on=today)
                .values_list("text", flat=True))
    assert texts == {"专栏已更新至第三季度，并新增政策解读栏目。"}
    assert ProgressReport.objects.filter(assignment__item=twin).count() == 1


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_office_publishes_the_page_and_requires_evidence_on_an_item(viewport, cast, year_notice, new_context,
                                                                        live_server, shot):
    from audit.models import AuditEvent

    notice, item = year_notice["notice"], year_notice["items"][0]
    size = "phone" if viewport is PHONE else "desktop"
    context = new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", cast["office"].username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{notice.get_absolute_url()}")
    card = page.locator("#public-page")
    assert "未发布" in card.inner_text()
    shot(page, f"{size}-notice-unpublished")
    page.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name="发布公开进度页").click()
    page.wait_for_load_state()
    assert "已发布" in page.locator("#public-page").inner_text()
    fits(page, viewport)
    shot(page, f"{size}-notice-published")
    assert AuditEvent.objects.filter(action="state", actor=cast["office"], message__startswith="发布公开进度页").exists()

    page.goto(f"{live_server.url}/tasks/items/{item.pk}/edit/")
    page.locator("#id_evidence_required").check()
    page.fill("#id_evidence_reason", "须提供政策文件库页面链接")
    shot(page, f"{size}-item-form-evidence")
    page.get_by_role("button", name="保存并生成台账").click()
    page.wait_for_load_state()
    item.refresh_from_db()
    assert item.evidence_required and item.evidence_reason == "须提供政策文件库页面链接"
