"""落实汇总 in pages of SUMMARY_PAGE_ITEMS items: totals, navigation, headings carried over, every item reachable
once and in order, and the same number of queries however many items the year holds (issue 18)."""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_item, make_notice
from reports.tests.summary_data import freeze_views_today, report
from reports.views.summary import SUMMARY_PAGE_ITEMS
from tasks.models import Section

URL = reverse("reports:summary")
DUE = datetime.date(2026, 12, 31)


def item_numbers(html: str) -> list[int]:
    """The items on the page, in the order shown (make_item writes 第N项工作要求 into each requirement)."""
    return [int(n) for n in re.findall(r"第(\d+)项工作要求", html)]


def headings(html: str) -> list[str]:
    return re.findall(r'<tr class="(?:sub)?section-row"><td colspan="9">([^<]+)</td></tr>', html)


@pytest.fixture
def sections(unit_a, unit_b, monkeypatch):
    freeze_views_today(monkeypatch)
    notice = make_notice(doc_number="测政办〔2026〕1号", year=2026)
    one = Section.objects.create(notice=notice, number="一", title="加强重点领域信息公开", position=1)
    sub = Section.objects.create(notice=notice, parent=one, number="一", title="财政信息", position=1)
    two = Section.objects.create(notice=notice, number="二", title="推进平台规范化", position=2)
    return notice, one, sub, two


def fill(notice, sub, two, start, stop, *, split=45):
    """Items start..stop-1: up to ``split`` in 一（一）, the rest in 二; each with 区发改局 and 区教育局."""
    for n in range(start, stop):
        make_item(notice, n, lead=["区发改局"], responsible=["区教育局"], section=sub if n <= split else two,
                  deadline=DUE)


def test_pages_show_totals_navigation_and_every_item_once_in_order(client, office, sections, unit_a):
    notice, _one, sub, two = sections
    fill(notice, sub, two, 1, 61)
    report(notice.items.get(number=23), unit_a, text="第23项发改局已公开预算。", status="in_progress",
           on=datetime.date(2026, 5, 1))
    client.force_login(office)

    first = client.get(URL, {"year": 2026}).content.decode()
    assert "共60项，本页第1—20项" in first
    assert "第1/3页 · 第1—20项，共60项" in first
    assert 'href="?year=2026&amp;page=2" rel="next">下一页</a>' in first
    assert '<span class="page-link">上一页</span>' in first  # no previous page on the first
    assert item_numbers(first) == list(range(1, 21))
    assert headings(first) == ["一、加强重点领域信息公开", "（一）财政信息"]
    assert "打印或查看全年各项请用“导出Excel”" in first

    second = client.get(URL, {"year": 2026, "page": 2}).content.decode()
    assert item_numbers(second) == list(range(21, 41))
    # The page opens inside section 一（一）: its headings are repeated, marked as continued.
    assert headings(second) == ["一、加强重点领域信息公开（续）", "（一）财政信息（续）"]
    assert "<strong>区发改局：</strong>第23项发改局已公开预算。" in second  # each unit's latest 落实情况
    assert 'href="?year=2026&amp;page=1" rel="prev">上一页</a>' in second

    third = client.get(URL, {"year": 2026, "page": 3}).content.decode()
    assert item_numbers(third) == list(range(41, 61))
    assert headings(third) == ["一、加强重点领域信息公开（续）", "（一）财政信息（续）", "二、推进平台规范化"]
    assert "第3/3页 · 第41—60项，共60项" in third and '<span class="page-link">下一页</span>' in third

    seen = item_numbers(first) + item_numbers(second) + item_numbers(third)
    assert seen == list(range(1, 61))  # every item reachable, once, in the summary's order


def test_a_page_out_of_range_or_not_a_number(client, office, sections):
    notice, _one, sub, two = sections
    fill(notice, sub, two, 1, SUMMARY_PAGE_ITEMS + 3)
    client.force_login(office)
    last = client.get(URL, {"year": 2026, "page": 99}).content.decode()
    assert item_numbers(last) == list(range(SUMMARY_PAGE_ITEMS + 1, SUMMARY_PAGE_ITEMS + 3))
    assert "第2/2页" in last
    assert item_numbers(client.get(URL, {"year": 2026, "page": "x"}).content.decode())[:1] == [1]


def test_one_page_needs_no_navigation(client, office, sections):
    notice, _one, sub, two = sections
    fill(notice, sub, two, 1, 4)
    client.force_login(office)
    html = client.get(URL, {"year": 2026}).content.decode()
    assert "共3项 · 统计截至" in html and 'aria-label="汇总分页"' not in html
    assert item_numbers(html) == [1, 2, 3]


def test_a_unit_pages_through_its_own_items_only(client, charlie, sections, street):
    notice, _one, sub, two = sections
    for n in range(1, 31):  # 区教育局 on the odd items only
        make_item(notice, n, responsible=["区教育局"] if n % 2 else ["东街街道"], section=sub, deadline=DUE)
    client.force_login(charlie)
    html = client.get(URL, {"year": 2026}).content.decode()
    assert "共15项" in html and "第1/1页" not in html  # 15 of 30: one page
    assert item_numbers(html) == list(range(1, 31, 2))


def test_queries_are_the_same_for_2_and_60_items(client, office, sections):
    notice, _one, sub, two = sections
    fill(notice, sub, two, 1, 3)
    client.force_login(office)

    def count(page):
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(URL, {"year": 2026, "page": page}).content.decode()
        assert item_numbers(html)  # the page shows items
        return len(ctx.captured_queries)

    count(1)  # warm per-process caches
    small = count(1)
    fill(notice, sub, two, 3, 61)
    assert count(1) == small
    assert count(3) == small
