"""The home page asks once what its panels need (tasks/views/home.py _facts, tasks.home_facts): a panel with nothing
to show reads nothing, a panel with something shows it as before, and a unit without rows or a user without a unit
still sees the page."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_item, make_notice, make_user
from tasks.models import Assignment
from workflow.models import Chase

TODAY = datetime.date(2026, 6, 15)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("tasks.views.home.get_today", lambda: TODAY)


@pytest.fixture
def rows(unit_a, unit_b):
    notice = make_notice(doc_number="测政办〔2026〕9号", year=2026)
    for n in range(1, 4):
        make_item(notice, n, lead=["区发改局"], responsible=["区教育局"], deadline=datetime.date(2026, 5, n),
                  title=f"事项{n}")
    return notice


def home(client, user) -> tuple[str, list[str]]:
    client.force_login(user)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/").content.decode()
    return html, [q["sql"] for q in ctx.captured_queries]


def test_empty_panels_read_nothing(client, alice, rows):
    html, sql = home(client, alice)
    assert "本单位已逾期（3）" in html and "7天内到期（0）" in html and "7天内没有到期事项。" in html
    assert "被退回、需重新报送" not in html and "本单位被催办的事项" not in html and "临近或超过答复期限" not in html
    # Chases, returned rows, applications and the working-day calendar are asked about inside the counting query
    # only: no query of their own, and no list of the empty 7天内到期 card.
    own = [q for q in sql if q.lstrip().startswith('SELECT "workflow_chase"') or "FROM \"workflow_calendarday\"" in q
           or q.lstrip().startswith('SELECT COUNT(*) AS "__count" FROM "disclosure_application"')]
    assert not own, own
    assert not [q for q in sql if '"tasks_assignment"."due_date" >= ' in q and "LIMIT" in q and "COUNT" not in q]


def test_panels_with_rows_show_them(client, alice, office, rows):
    row = Assignment.objects.filter(unit__short_name="区发改局").order_by("item_number").first()
    Assignment.objects.filter(pk=row.pk).update(status=Assignment.Status.RETURNED, return_reason="请补充链接。")
    Chase.objects.create(assignment=row, government_id=row.government_id, unit_id=row.unit_id, item_id=row.item_id,
                         year=row.year, due_date=row.due_date, message="请尽快办理。", created_by=office,
                         created_on=TODAY)
    html, _ = home(client, alice)
    assert "被退回、需重新报送（1）" in html and "请补充链接。" in html
    assert "本单位被催办的事项" in html and "请尽快办理。" in html


def test_a_unit_without_rows_and_a_user_without_a_unit(client, rows, street, leader):
    nobody = make_user("street-liaison", unit=street)
    html, sql = home(client, nobody)
    assert "本单位已逾期（0）" in html and "没有逾期事项。" in html and "本年度还没有通知。" in html
    html, _ = home(client, leader)
    assert "全区概况" in html and "台账行" in html
