"""The demo's live table lives in the present: loaded on any day, the demo liaisons' home pages show rows due
in 2 and 6 days, rows overdue by a few working days, a done-claim waiting for review, a returned one and
chases. Built under several 'today's (early January, mid-year, the last days of December)."""
import datetime

import pytest
from django.urls import reverse

from devtools.demo import FIXTURES, HOME, ensure_accounts, load_directories
from devtools.demo_live import live_doc_number, load_live_table
from tasks.models import Assignment, Notice
from units.models import User
from workflow.calendar import days_overdue
from workflow.models import Chase

DAYS = [datetime.date(2026, 1, 6), datetime.date(2026, 6, 15), datetime.date(2026, 12, 29)]


@pytest.fixture
def demo_users(db):
    governments, _, _ = load_directories()
    ensure_accounts(governments)
    return governments


def build(governments, today):
    admin = User.objects.get(username="admin")
    notice, created = load_live_table(fixtures=FIXTURES, government=governments[HOME], admin=admin, today=today)
    assert created
    return notice


def home_of(client, monkeypatch, username, today):
    from tasks.views import home

    monkeypatch.setattr(home, "get_today", lambda: today)
    client.force_login(User.objects.get(username=username))
    return client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_every_state_is_there_relative_to_the_day_it_is_loaded(client, monkeypatch, demo_users, today):
    notice = build(demo_users, today)
    # Clearly a demo table, of this year, of 鼓楼, for 鼓楼's own units only.
    assert notice.doc_number == live_doc_number(today.year) == f"演示鼓政办〔{today.year}〕1号"
    assert notice.title.startswith("【演示】") and notice.work_year == today.year
    assert notice.items.count() == 31
    assert set(notice.assignments.values_list("unit__government__short_name", flat=True)) == {"鼓楼区"}

    jiaoyu = home_of(client, monkeypatch, "jiaoyu", today)
    assert "7天内到期（2）" in jiaoyu and "本单位已逾期（1）" in jiaoyu
    rows = {r.item_number: r for r in notice.assignments.filter(unit__short_name="区教育局")}
    assert (rows[9].due_date - today).days == 2 and rows[9].status == "not_started"
    assert (rows[10].due_date - today).days == 6 and rows[10].status == "in_progress"
    assert days_overdue(rows[7].due_date, today) == 3 and rows[7].is_overdue(today)
    assert rows[8].status == "pending_review" and days_overdue(rows[8].due_date, today) == 5
    assert rows[1].status == "done" and rows[6].status == "not_applicable"

    dongjie = home_of(client, monkeypatch, "dongjie", today)
    assert "被退回、需重新报送（1）" in dongjie and "佐证材料不全" in dongjie and "7天内到期（2）" in dongjie

    fagai = home_of(client, monkeypatch, "fagai", today)
    assert "本单位被催办的事项" in fagai and "演示鼓政办" in fagai
    chases = Chase.objects.filter(assignment__notice=notice)
    assert sorted(c.assignment.item_number for c in chases) == [7, 8] and {c.created_on for c in chases} == {today}

    # Other units' rows: some done, some in progress, some overdue — and nothing reported after today.
    statuses = set(notice.assignments.values_list("status", flat=True))
    assert {"done", "in_progress", "not_started", "not_applicable", "pending_review", "returned"} <= statuses
    assert not notice.assignments.filter(last_reported_on__gte=today).exists()


def test_the_live_table_is_loaded_once_a_year(demo_users):
    first = build(demo_users, datetime.date(2026, 6, 15))
    admin = User.objects.get(username="admin")
    again, created = load_live_table(fixtures=FIXTURES, government=demo_users[HOME], admin=admin,
                                     today=datetime.date(2026, 6, 20))
    assert again == first and not created
    next_year = build(demo_users, datetime.date(2027, 3, 2))
    assert next_year.work_year == 2027 and Notice.objects.filter(doc_number__startswith="演示").count() == 2
    assert Assignment.objects.filter(notice=next_year, unit__short_name="区教育局", item_number=9).get().due_date \
        == datetime.date(2027, 3, 4)
