"""The office's item page: the item as issued, a compact grid of its units (light, status, last report, link
to the row), the lead unit's summary, and the history one link away; no raw field names or ids anywhere."""
import datetime
import re

import pytest
from django.urls import reverse

from conftest import TODAY, make_item, make_unit
from tasks.models import Assignment
from tasks.services import progress_record

pytestmark = pytest.mark.django_db
RAW = ("False", "True", "单位排序", "事项序号", "持续推进：", "（#", "#1")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("tasks.views.items.today", lambda: TODAY)


@pytest.fixture
def item(notice, unit_a, unit_b, alice):
    item = make_item(notice, 3, title="推进决策公开", lead=["区发改局"], responsible=["区教育局"],
                     deadline=datetime.date(2026, 10, 31), deadline_text="10月底前",
                     requirement="完善重大行政决策事项目录，10月底前在政府网站公开。")
    progress_record(assignment=item.assignments.get(unit=unit_a), author=alice, text="已公开决策事项目录。",
                    status="in_progress", reported_on=datetime.date(2026, 11, 20))
    return item


def page(client, user, item):
    client.force_login(user)
    return client.get(reverse("tasks:item-detail", args=[item.pk])).content.decode()


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_item_as_issued_and_the_units_grid(client, office, item, unit_a, unit_b):
    html = page(client, office, item)
    issued = text_of(html[html.index('id="item-issued"'):html.index("各单位落实情况")])
    for label, value in (("工作任务", "推进决策公开"), ("工作要求", "完善重大行政决策事项目录"), ("牵头单位", "区发改局"),
                         ("责任单位", "区教育局"), ("时限", "10月底前（2026年10月31日）")):
        assert f"{label} {value}" in issued
    grid = html[html.index('id="unit-grid"'):html.index('id="lead-summary"')]
    row_a, row_b = item.assignments.get(unit=unit_a), item.assignments.get(unit=unit_b)
    tiles = re.findall(r'<a class="unit-tile" href="([^"]+)"[^>]*>(.*?)</a>', grid, re.S)
    assert [href for href, _ in tiles] == [row_a.get_absolute_url(), row_b.get_absolute_url()]  # lead first
    assert text_of(tiles[0][1]).split() == ["区发改局", "牵头", "推进中", "最近报送", "2026年11月20日"]
    assert text_of(tiles[1][1]).split() == ["区教育局", "未开始", "未报送"]
    assert all("light-red" in tile for _, tile in tiles)  # both late on 23 November
    assert "共2个单位 已逾期 2" in text_of(html[html.index('id="unit-tally"'):html.index('id="unit-grid"')])


def test_the_lead_units_summary_is_shown_to_the_office_and_the_lead_unit(client, office, alice, charlie, item, unit_a):
    from reports.models import LeadSummary

    LeadSummary.objects.create(item=item, text="两个单位均已启动，目录已公开。", unit=unit_a, author=alice,
                               written_on=datetime.date(2026, 11, 21))
    for user in (office, alice):
        summary = text_of(page(client, user, item).split('id="lead-summary"')[1].split("</div>\n</div>")[0])
        assert "两个单位均已启动，目录已公开。" in summary and "区发改局 2026年11月21日" in summary
    assert "牵头单位汇总" not in page(client, charlie, item)  # a responsible unit reads only its own row


def test_without_a_summary_the_page_says_so(client, office, item):
    assert "牵头单位尚未填写落实情况汇总。" in page(client, office, item)


def test_the_history_is_one_link_away_and_reads_without_raw_fields(client, office, item, unit_b):
    row = item.assignments.get(unit=unit_b)
    row.status = Assignment.Status.IN_PROGRESS
    row.save()
    html = page(client, office, item)
    history_url = reverse("tasks:item-history", args=[item.pk])
    assert f'href="{history_url}"' in html and "催办记录与操作记录" in html
    assert "操作记录（留痕）" not in html  # not on the item page itself
    history = client.get(history_url).content.decode()
    assert "操作记录（留痕）" in history and "未开始 → 推进中" in history and "已公开决策事项目录。" in history
    for raw in RAW:
        assert raw not in text_of(html), raw
        assert raw not in text_of(history), raw


def test_the_page_is_short_and_its_queries_do_not_grow_with_the_units(client, office, notice, item,
                                                                      django_assert_max_num_queries):
    client.force_login(office)
    url = reverse("tasks:item-detail", args=[item.pk])
    # session, user, item (with its notice, section, upper item and lead summary), governments, rows, unread
    # count, units of the navigation; the rest are the request's savepoints and the session's save.
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    names = []
    for n in range(20):
        make_unit(f"测试区第{n}局", f"第{n}局", sort_order=100 + n)
        names.append(f"第{n}局")
    many = make_item(notice, 4, lead=["区发改局"], responsible=names, deadline=datetime.date(2026, 12, 31))
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(reverse("tasks:item-detail", args=[many.pk])).content.decode()
    assert html.count('class="unit-tile"') == 21
    assert "（表中未写时限" not in html and html.count("时限2026年12月31日") == 0  # one date for all: said once


def test_other_units_items_are_a_404_and_anonymous_goes_to_login(client, charlie, notice, unit_a):
    other = make_item(notice, 9, responsible=["区发改局"])
    client.force_login(charlie)
    for name in ("tasks:item-detail", "tasks:item-history"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("tasks:item-history", args=[other.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
