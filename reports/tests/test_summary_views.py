"""The yearly summary page and the statistics dashboard: access, scoping, content, query counts."""
import datetime

import pytest
from django.urls import reverse

from conftest import make_item
from reports.tests.summary_data import build_year, freeze_views_today


@pytest.fixture
def year(unit_a, unit_b, street, monkeypatch):
    freeze_views_today(monkeypatch)
    return build_year(unit_a, unit_b, street)


@pytest.mark.parametrize("name", ["reports:summary", "reports:stats", "reports:summary-export", "reports:lead-items"])
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_office_sees_every_item_with_units_in_order_and_not_reported(client, office, year):
    client.force_login(office)
    html = client.get(reverse("reports:summary"), {"year": 2026}).content.decode()
    assert "2026年政务公开工作主要任务落实情况汇总" in html
    assert "一、加强涉及市场主体的信息公开" in html and "二、推进政务公开平台规范化" in html
    row3 = html.split("第3项工作要求")[1].split("</tr>")[0]
    assert row3.index("区发改局：") < row3.index("区教育局：") < row3.index("东街街道：")
    assert '<strong>区教育局：</strong><span class="text-danger">未报送</span>' in row3
    assert "已逾期" in row3
    assert "共4项" in html


def test_a_unit_sees_only_its_rows(client, charlie, year):
    client.force_login(charlie)
    html = client.get(reverse("reports:summary")).content.decode()
    assert "第4项工作要求" not in html  # 东街街道 only
    assert "发改局已公开营商环境政策12条" not in html  # another unit's report on an item 区教育局 does not lead
    assert "教育局已公开招生政策" in html
    assert "区教育局可见范围" in html


def test_a_notice_the_user_cannot_see_is_ignored_on_the_page_and_404_on_export(client, charlie, year):
    from conftest import make_notice
    hidden = make_notice(doc_number="测政办〔2026〕7号", year=2026, title="与教育局无关的通知")
    make_item(hidden, 1, responsible=["区发改局"], deadline=datetime.date(2026, 12, 31))
    client.force_login(charlie)
    html = client.get(reverse("reports:summary"), {"year": 2026, "notice": hidden.pk}).content.decode()
    assert "所选年度或通知无效" in html and "与教育局无关的通知" not in html
    response = client.get(reverse("reports:summary-export"), {"year": 2026, "notice": hidden.pk})
    assert response.status_code == 404


def test_summary_page_query_count_does_not_grow(client, office, year, django_assert_max_num_queries):
    client.force_login(office)
    with django_assert_max_num_queries(15):  # +1: the governments, read once per request (visibility rule)
        client.get(reverse("reports:summary"))
    for n in range(5, 30):
        make_item(year["notice"], n, lead=["区发改局"], responsible=["区教育局", "东街街道"],
                  section=year["section2"], deadline=datetime.date(2026, 12, 31))
    with django_assert_max_num_queries(15):
        html = client.get(reverse("reports:summary")).content.decode()
    assert "共29项" in html


def test_stats_page_shows_figures_and_charts(client, office, year):
    client.force_login(office)
    html = client.get(reverse("reports:stats"), {"year": 2026}).content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in html and "cdn" not in html.lower()
    assert 'id="chart-data"' in html
    body = html.split("按单位统计")[1]
    assert "区发改局" in body and "100.0%" in body and "66.7%" in body
    assert "逾期清单" in html and "34个工作日" in html.split("逾期清单")[1]  # 2026-09-30 to 11-23, working days


def test_stats_page_is_scoped(client, alice, year):
    client.force_login(alice)
    html = client.get(reverse("reports:stats")).content.decode()
    units_table = html.split("按单位统计")[1].split("按部分统计")[0]
    # 区发改局 leads item 1, so 区教育局's row there is visible; 东街街道 never is.
    assert "区发改局" in units_table and "区教育局" in units_table and "东街街道" not in units_table


def test_stats_page_query_count(client, office, year, django_assert_max_num_queries):
    client.force_login(office)
    for n in range(5, 25):
        make_item(year["notice"], n, responsible=["区发改局", "区教育局"], deadline=datetime.date(2026, 8, 31))
    # +2: the year's working-day calendar (days overdue); +1: the governments, read once (visibility rule);
    # +1: the section labels, read after the narrow grouped query; +1: the first 50 overdue ids, then their rows
    with django_assert_max_num_queries(18):
        client.get(reverse("reports:stats"))


def test_lead_items_list(client, alice, charlie, year):
    client.force_login(alice)
    html = client.get(reverse("reports:lead-items")).content.decode()
    assert reverse("reports:lead-summary", args=[year["item1"].pk]) in html
    assert "已报送 2/2" in html and "未汇总" in html
    client.force_login(charlie)
    html = client.get(reverse("reports:lead-items")).content.decode()
    assert "没有需要牵头汇总的事项" in html
