"""The live checks in a real browser: typing a number that breaks a sum shows the server's Chinese message."""
import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.tests.test_annual_views import make_report

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed"),
]


@pytest.fixture
def page(playwright, live_server, alice, settings):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "Pass-word-2026")
    page.click("button[type=submit]")
    yield page
    browser.close()


def test_typing_recomputes_the_checks(page, live_server, unit_a):
    report = make_report(unit_a)
    page.goto(live_server.url + reverse("reports:annual-edit", args=[report.pk]))
    summary = page.locator("#live-summary")
    expect(summary).to_have_text("全部通过")  # expect() polls without eval: the page's CSP forbids eval
    page.fill('[data-code="t3.carried.research"]', "2")
    expect(summary).to_contain_text("错误")
    table_msgs = page.locator('.annual-table-msgs[data-table="t3"]').inner_text()
    assert "表三“科研机构”列：一（1）+ 二（2）= 3，而三（七）总计（1）+ 四（0）= 1" in table_msgs
    assert "表三“总计”列：一（60）+ 二（8）= 68，而三（七）总计（56）+ 四（10）= 66" in table_msgs
    assert page.locator('[data-code="t3.carried.total"]').input_value() == "8"  # computed by the server
    assert "is-invalid" in page.locator('[data-code="t3.carry_next.research"]').get_attribute("class")
    page.fill('[data-code="t3.carried.research"]', "abc")
    expect(page.locator("#live-findings")).to_contain_text("应填写非负整数")
    page.fill('[data-code="t3.carried.research"]', "0")
    page.fill("[data-section=problems]", "无")
    expect(page.locator("[data-section-msgs=problems]")).to_contain_text("不能只写")
    page.fill("[data-section=problems]", "一是公开不够及时。下一步加强督促。")
    expect(summary).to_have_text("全部通过")
