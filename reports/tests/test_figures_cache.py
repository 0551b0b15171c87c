"""The cached figures (audit.stamped_cache) of 统计, 年报文字 and the home overview are never stale and never another
scope's: after every kind of change that moves a figure, the next visit shows what a fresh computation shows.

Each test visits a page (its figures are cached), makes one change through the path users take, visits again, then
empties the cache and visits once more: the second and third visits must show the same figures, different from the
first. A change that some write path made without an audit event would leave the second visit stale.
"""
import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.tests.summary_data import TODAY, build_year, freeze_views_today, report
from tasks.ledger import ledger_refresh
from tasks.models import Assignment, ProgressReport
from tasks.services import item_sync_assignments, progress_submit
from workflow.models import CalendarDay
from workflow.review import review_accept, review_return


@pytest.fixture
def year(unit_a, unit_b, street, monkeypatch):
    freeze_views_today(monkeypatch)
    monkeypatch.setattr("tasks.views.home.get_today", lambda: TODAY)
    return build_year(unit_a, unit_b, street)


def stats_figures(client) -> str:
    """What the statistics page shows below the year picker: cards, tables, the 逾期清单 and the charts' data."""
    html = client.get(reverse("reports:stats"), {"year": 2026}).content.decode()
    return html[html.index("任务事项"):html.index("</script>", html.index('id="chart-data"'))]


def annual_draft(client) -> str:
    """The draft paragraph in the 年报文字 box."""
    html = client.get(reverse("reports:annual-text"), {"year": 2026}).content.decode()
    return re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)


def home_overview(client) -> str:
    """The office's 全区概况: its counts and the units with overdue rows."""
    html = client.get("/", {"year": 2026}).content.decode()
    return html[html.index("全区概况"):html.index("其他单位见统计") if "其他单位见统计" in html else None]


PAGES = {"stats": stats_figures, "annual_text": annual_draft, "home": home_overview}


def row(year, item, unit) -> Assignment:
    return Assignment.objects.get(item=year[item], unit=unit)


def save_report(year, unit_a, unit_b, street, office, charlie):
    report(year["item2"], unit_b, text="教育局已完成。", status="done", on=TODAY, completed_on=TODAY)


def save_report_in_progress(year, unit_a, unit_b, street, office, charlie):
    """A report that keeps the row's status: only 未报送 moves (last_reported_on, which the audit does not diff)."""
    report(year["item3"], unit_b, text="教育局正在整改。", status="in_progress", on=TODAY)


def claim_done(year, unit_b, charlie) -> ProgressReport:
    return progress_submit(assignment=row(year, "item2", unit_b), author=charlie, status="done", text="已完成。",
                           reported_on=TODAY, completed_on=TODAY)


def accept_review(year, unit_a, unit_b, street, office, charlie):
    review_accept(report=year["claim"], reviewer=office)


def return_review(year, unit_a, unit_b, street, office, charlie):
    review_return(report=year["claim"], reviewer=office, reason="佐证不足。")


def withdraw_item(year, unit_a, unit_b, street, office, charlie):
    """A re-import drops an item units reported on: it stays, 撤销 (tasks.services.notice_reimport)."""
    item = year["item3"]
    item.withdrawn_on = TODAY
    item.save(update_fields=["withdrawn_on", "updated_at"])
    ledger_refresh(items=[item])


def change_deadline(year, unit_a, unit_b, street, office, charlie):
    """The item form moves the 时限 (tasks.views.items._save_item)."""
    item = year["item2"]
    item.deadline = datetime.date(2026, 10, 31)
    item.save()
    item_sync_assignments(item=item)


def delete_item(year, unit_a, unit_b, street, office, charlie):
    year["item1"].delete()


def rename_unit(year, unit_a, unit_b, street, office, charlie):
    unit_b.short_name = "区教体局"
    unit_b.save()


def resort_units(year, unit_a, unit_b, street, office, charlie):
    unit_a.sort_order = 500  # after the other two: the per-unit table's order moves (tasks.ledger copies it)
    unit_a.save()


def add_holiday(year, unit_a, unit_b, street, office, charlie):
    CalendarDay.objects.create(date=datetime.date(2026, 11, 20), kind=CalendarDay.Kind.HOLIDAY, name="测试")


# Each change and the pages whose figures it moves (a holiday moves only the 逾期清单's working days; a report that
# keeps the row's status only 未报送; a returned claim stays 推进中 as it was while waiting for review). Where it moves
# none, the test still asserts that the next visit shows what a fresh computation shows.
ALL = {"stats", "annual_text", "home"}
CHANGES = {save_report: ALL, save_report_in_progress: {"stats", "home"}, accept_review: ALL, return_review: set(),
           withdraw_item: {"stats", "home"}, change_deadline: ALL, delete_item: ALL, rename_unit: {"stats", "home"},
           resort_units: {"stats"}, add_holiday: {"stats"}}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_the_next_visit_after_a_change_shows_fresh_figures(client, office, charlie, year, unit_a, unit_b, street,
                                                            page, change):
    if change in (accept_review, return_review):
        year["claim"] = claim_done(year, unit_b, charlie)
    client.force_login(office)
    show = PAGES[page]
    before = show(client)
    assert show(client) == before  # served again (from the cache) unchanged
    change(year, unit_a, unit_b, street, office, charlie)
    after = show(client)
    cache.clear()
    fresh = show(client)
    assert after == fresh
    assert (after != before) == (page in CHANGES[change])


def test_the_second_visit_reads_no_ledger_rows(client, office, year):
    client.force_login(office)
    for page, shown in (("reports:stats", "区发改局"), ("reports:annual-text", "已完成1项")):
        client.get(reverse(page), {"year": 2026})
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse(page), {"year": 2026}).content.decode()
        assert shown in html
        assert not [q["sql"] for q in queries if "tasks_assignment" in q["sql"]], page


def test_one_unit_never_sees_another_units_cached_figures(client, alice, charlie, office, year):
    client.force_login(alice)
    alices = stats_figures(client)
    client.force_login(charlie)
    charlies = stats_figures(client)
    client.force_login(office)
    offices = stats_figures(client)
    cache.clear()
    client.force_login(charlie)
    assert stats_figures(client) == charlies
    client.force_login(alice)
    assert stats_figures(client) == alices
    # 区发改局 leads item 1, so it sees 区教育局's row there, never 东街街道's; the office sees every unit.
    assert "东街街道" not in alices and "东街街道" in offices
    assert len({alices, charlies, offices}) == 3


def test_a_new_day_counts_afresh(client, office, year, monkeypatch):
    client.force_login(office)

    def days_overdue() -> int:  # item 3's row of 区教育局, the one row of the 逾期清单
        return int(re.search(r"(\d+)个工作日", stats_figures(client).split("逾期清单")[1]).group(1))

    before = days_overdue()
    from reports.views import stats
    monkeypatch.setattr(stats, "today", lambda: TODAY + datetime.timedelta(days=1))  # Monday → Tuesday
    assert days_overdue() == before + 1


TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


def page_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"year": 2026}).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if not TRANSACTION_CONTROL.match(q["sql"])]


# The queries of a page whose figures are computed (the first visit after an audited change) and served from the
# cache, beyond the session and the user: both read the years, the audit stamp, the cache entry and the notices of
# the year picker; 年报文字 also its saved text. Computing reads for 统计: the rows grouped by item, the items' sections,
# the rows grouped by unit, the 逾期清单's first rows (their ids a subquery), the calendar; for 年报文字: the notices,
# the rows grouped by item, the items' sections, the summary's items in order, the government's notices, the items
# and rows listed; and writes the cache entry (the database cache: count, look-up, insert).
@pytest.mark.parametrize("url,cold,warm", [(reverse("reports:stats"), 14, 6), (reverse("reports:annual-text"), 17, 7)])
def test_cold_and_warm_queries(client, office, year, url, cold, warm):
    client.force_login(office)
    client.get(url, {"year": 2026})
    cache.clear()
    computed = page_queries(client, url)
    cached = page_queries(client, url)
    assert (len(computed), len(cached)) == (cold, warm), "\n".join(q[:120] for q in computed)
    assert not [q for q in cached if "tasks_assignment" in q]
