"""The yearly report pages cost a fixed number of queries: the same with 2 items as with 20 (issue 18)."""
import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_item, make_notice
from reports.tests.summary_data import freeze_views_today, report
from tasks.models import Section


def _add_items(notice, section, start, stop, unit_a, unit_b):
    """Items in every state: done on time, done late, in progress (reported), overdue, not started."""
    for n in range(start, stop):
        item = make_item(notice, n, lead=["区发改局"], responsible=["区教育局"], section=section,
                         deadline=datetime.date(notice.work_year, 6, 30))
        kind = n % 4
        if kind == 0:
            report(item, unit_a, text=f"第{n}项已完成。", status="done", on=datetime.date(notice.work_year, 6, 1),
                   completed_on=datetime.date(notice.work_year, 6, 1))
            report(item, unit_b, text=f"第{n}项逾期完成。", status="done", on=datetime.date(notice.work_year, 7, 1),
                   completed_on=datetime.date(notice.work_year, 7, 1))
        elif kind == 1:
            report(item, unit_b, text=f"第{n}项推进中。", status="in_progress", on=datetime.date(notice.work_year, 5, 1))


@pytest.fixture
def years(unit_a, unit_b, street, monkeypatch):
    freeze_views_today(monkeypatch)
    made = {}
    for year in (2025, 2026):
        notice = make_notice(doc_number=f"测政办〔{year}〕7号", year=year)
        one = Section.objects.create(notice=notice, number="一", title="第一部分", position=1)
        two = Section.objects.create(notice=notice, number="二", title="第二部分", position=2)
        _add_items(notice, one, 1, 2, unit_a, unit_b)
        _add_items(notice, two, 2, 3, unit_a, unit_b)
        made[year] = (notice, two)
    return made


PAGES = [
    (reverse("reports:summary") + "?year=2026", "第1项推进中。"),
    (reverse("reports:stats") + "?year=2026", "按期完成率"),
    (reverse("reports:annual-text") + "?year=2026&draft=1", "尚未完成的任务有"),
    (reverse("reports:lookback") + "?from_year=2025", "未完成单位"),
]


@pytest.mark.parametrize("url,shown", PAGES)
def test_report_pages_query_count_does_not_grow_with_items(client, office, years, unit_a, unit_b, url, shown):
    client.force_login(office)

    def count():
        # The figures computed afresh each time: a cached page reads none of them (test_figures_cache.py).
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert shown in response.content.decode()
        return len(ctx.captured_queries)

    client.get(url)  # warm per-process caches
    before = count()
    for notice, section in years.values():
        _add_items(notice, section, 3, 21, unit_a, unit_b)
    assert count() == before
