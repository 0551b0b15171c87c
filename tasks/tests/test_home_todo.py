"""The home page's to-do lists tell the truth: exact totals, 查看全部 to the same rows in the ledger,
the most urgent first (current work year, then the most overdue / nearest deadline), and 新任务 since the
user's previous visit."""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from conftest import make_item, make_notice
from tasks.models import Assignment

TODAY = datetime.date(2026, 6, 15)
pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("tasks.views.home.get_today", lambda: TODAY)
    monkeypatch.setattr("tasks.views.ledger.today", lambda: TODAY)
    return TODAY


@pytest.fixture
def backlog(unit_a, unit_b):
    """区发改局: 12 overdue rows of 2024, 3 overdue rows of 2026, one overdue row waiting for review, one
    row due in 3 days; 区教育局 has an overdue row too (not ours)."""
    old = make_notice(doc_number="测政办〔2024〕5号", year=2024)
    for n in range(1, 13):
        make_item(old, n, lead=["区发改局"], deadline=datetime.date(2024, 3, n), title=f"旧任务{n}")
    new = make_notice(doc_number="测政办〔2026〕5号", year=2026)
    for n, due in enumerate([datetime.date(2026, 5, 1), datetime.date(2026, 3, 1), datetime.date(2026, 6, 10)], 1):
        make_item(new, n, lead=["区发改局"], deadline=due, title=f"今年逾期{n}")
    waiting = make_item(new, 4, lead=["区发改局"], deadline=datetime.date(2026, 4, 1), title="等待审核")
    Assignment.objects.filter(item=waiting).update(status=Assignment.Status.PENDING_REVIEW)
    make_item(new, 5, lead=["区发改局"], deadline=datetime.date(2026, 6, 18), title="三天后到期")
    make_item(new, 6, responsible=["区教育局"], deadline=datetime.date(2026, 5, 1), title="别的单位")
    return {"old": old, "new": new}


def card(html: str, title: str) -> str:
    start = html.index(f"{title}（")
    return html[start:html.index("</ul>", start)]


def test_overdue_list_shows_the_exact_total_and_the_most_urgent_first(client, alice, backlog, today,
                                                                     django_assert_max_num_queries):
    client.force_login(alice)
    # A fixed budget: the to-do blocks, plus the user's government (several governments) and the
    # register's block of applications near their legal deadline (disclosure) — none per row.
    with django_assert_max_num_queries(22):
        html = client.get("/").content.decode()
    overdue = card(html, "本单位已逾期")
    assert overdue.startswith("本单位已逾期（15）")  # 12 + 3; not cut at the rows shown, not the one in review
    titles = re.findall(r"(今年逾期\d|旧任务\d+)", overdue)
    assert titles[:4] == ["今年逾期2", "今年逾期1", "今年逾期3", "旧任务1"]  # this year first, most overdue first
    assert len(titles) == 10 and "以上是最紧急的10项，共15项" in overdue
    assert "别的单位" not in overdue and "等待审核" not in overdue
    due = card(html, "7天内到期")
    assert due.startswith("7天内到期（1）") and "三天后到期" in due and "时限2026年6月18日" in due
    assert "新任务" not in html  # no earlier visit: nothing to compare with

    link = re.search(r'href="([^"]+)">查看全部15项', overdue).group(1).replace("&amp;", "&")
    assert link == "/tasks/my-ledger/?overdue=on&todo=on"
    ledger = client.get(link).content.decode()
    assert "共15行" in ledger  # the same rows in the ledger


def test_new_work_since_the_previous_visit(client, alice, backlog, today):
    earlier = timezone.now() - datetime.timedelta(days=2)
    Assignment.objects.update(created_at=earlier - datetime.timedelta(days=1))
    AuditEvent.objects.create(action=AuditEvent.Action.LOGIN, actor=alice, actor_name="alice", created_at=earlier,
                              object_type="units.user", object_id=str(alice.pk))
    make_item(backlog["new"], 7, lead=["区发改局"], deadline=datetime.date(2026, 7, 31), title="新分配的任务")
    make_item(backlog["new"], 8, responsible=["区教育局"], deadline=datetime.date(2026, 7, 31), title="别人的新任务")
    client.force_login(alice)  # this visit's login; the previous one is ``earlier``
    html = client.get("/").content.decode()
    new = card(html, "新任务")
    assert new.startswith("新任务（1）") and "新分配的任务" in new and "别人的新任务" not in new
    assert "时限2026年7月31日" in new
    link = re.search(r'href="([^"]+)">查看全部</a>', new).group(1).replace("&amp;", "&")
    ledger = client.get(link).content.decode()
    assert "共1行" in ledger and "新分配的任务" in ledger and "只看新分配的任务" in ledger


def overview_figure(html: str, label: str) -> str:
    return re.search(rf'<div class="text-muted small">{label}</div><div class="display-6[^"]*">(\d+)</div>', html).group(1)


def test_the_office_overview_counts_once_and_again_after_any_change(client, office, backlog, today):
    """The government's year is counted once (cached), and counted afresh after a change of a row."""
    client.force_login(office)
    html = client.get("/", {"year": "2026"}).content.decode()
    assert overview_figure(html, "台账行") == "6" and overview_figure(html, "已完成") == "0"
    overdue = int(overview_figure(html, "已逾期"))
    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/", {"year": "2026"}).content.decode()
    assert not [q for q in ctx.captured_queries if "GROUP BY" in q["sql"] and "tasks_assignment" in q["sql"]]
    assert overview_figure(again, "台账行") == "6"

    row = Assignment.objects.get(item__title="今年逾期1")
    row.status = Assignment.Status.DONE
    row.save()
    html = client.get("/", {"year": "2026"}).content.decode()
    assert overview_figure(html, "已完成") == "1" and overview_figure(html, "已逾期") == str(overdue - 1)


def test_both_ways_of_the_urgency_order_agree(alice, backlog, today):
    """most_urgent's two index reads and its one sorted query (``few``) give the same rows in the same order."""
    rows = Assignment.objects.of_own_unit(alice)
    for limit in (3, 10, 20):
        assert rows.most_urgent(2026, limit) == rows.most_urgent(2026, limit, few=True)
    assert [a.item.title for a in rows.most_urgent(2026, 4)] == ["今年逾期2", "等待审核", "今年逾期1", "今年逾期3"]


@pytest.mark.parametrize("text", ["", "短", "政" * 39, "政" * 40, "政" * 41, "做好政务公开" * 12])
def test_truncated_matches_the_template_filter(text):
    from django.template.defaultfilters import truncatechars

    from tasks.views.home import truncated

    for length in (40, 50):
        assert truncated(text, length) == truncatechars(text, length)
