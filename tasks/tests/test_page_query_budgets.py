"""Every page people use daily reads a fixed number of queries (issue 18): the same with two ledger rows as with
two hundred, and within a budget.

Each budget counts everything the test client sees: the session read and its save (SESSION_SAVE_EVERY_REQUEST),
the user with unit and government (one query, units.backends.UserBackend), the navigation's unread count,
the test's savepoints (ATOMIC_REQUESTS inside the test transaction: two per request), then the page's own
queries, listed at each budget. PostgreSQL adds, past 1,000 matching rows only, one EXPLAIN for the 约 N 行
estimate (tasks.tables.EXACT_COUNT_UP_TO); these tests stay below that.
"""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_item, make_notice
from tasks.models import Assignment

TODAY = datetime.date(2026, 11, 23)
pytestmark = pytest.mark.django_db
# session read + user + unread count + session save + 4 savepoints (2 per transaction)
FIXED = 8


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("tasks.views.ledger.today", lambda: TODAY)
    monkeypatch.setattr("tasks.views.home.get_today", lambda: TODAY)


@pytest.fixture
def rows(notice, unit_a, unit_b):
    """Builds items until there are ``n`` items: unit A leads every odd one, unit B is on all of them; half of the
    rows are overdue."""
    made = []

    def grow(n):
        for number in range(len(made) + 1, n + 1):
            lead = ["区发改局"] if number % 2 else []
            made.append(make_item(notice, number, lead=lead, responsible=["区教育局"],
                                  deadline=datetime.date(2026, 3 + number % 2 * 9, 1), title=f"做好第{number}项政务公开"))
    return grow


def queries(client, url, **params) -> int:
    client.get(url, params)  # warm: the first request of a session writes it anew
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def constant_within(client, rows, url, budget, **params) -> int:
    rows(2)
    few = queries(client, url, **params)
    rows(60)
    many = queries(client, url, **params)
    assert few == many, f"{url} {params}: {few} queries with 2 items, {many} with 60"
    assert many <= budget, f"{url} {params}: {many} queries, budget {budget}"
    return many


def test_the_office_ledger_first_page_and_every_filter(client, office, rows):
    client.force_login(office)
    url = reverse("tasks:ledger")
    # + governments (visibility rule), years with their notice counts, notices, units, COUNT, page
    assert constant_within(client, rows, url, FIXED + 6) <= FIXED + 6
    for params in ({"status": "not_started", "overdue": "on"}, {"overdue": "on", "year": "2026"},
                   {"page": "2", "per_page": "10"}, {"sort": "-due_date"}, {"role": "lead"}):
        assert queries(client, url, **params) <= FIXED + 6, params


def test_the_keyword_search_reads_items_units_and_notices_once(client, office, rows):
    client.force_login(office)
    # + the matching items' ids, the matching units and notices (one UNION)
    assert constant_within(client, rows, reverse("tasks:ledger"), FIXED + 8, q="政务") <= FIXED + 8
    assert queries(client, reverse("tasks:ledger"), q="第3项") <= FIXED + 8


def test_the_liaisons_own_ledger(client, alice, rows):
    client.force_login(alice)
    # + years with their notice counts, notices, COUNT, page, the unit's chased rows (banner); no governments
    # (a unit's rule) and no unit list (本单位台账 does not offer one)
    assert constant_within(client, rows, reverse("tasks:my-ledger"), FIXED + 5) <= FIXED + 5
    assert queries(client, reverse("tasks:my-ledger"), overdue="on", todo="on") <= FIXED + 5


def test_the_liaisons_visible_ledger(client, alice, rows):
    client.force_login(alice)
    assert constant_within(client, rows, reverse("tasks:ledger"), FIXED + 6) <= FIXED + 6


def test_the_liaisons_home(client, alice, rows):
    client.force_login(alice)
    # + years, overdue rows (this year, then other years) and their total, rows due soon, the last login,
    # the unit's totals, the year's notices, and the panels of other features (returned rows, reports to
    # review, chases, the calendar, the register's applications)
    assert constant_within(client, rows, "/", FIXED + 13) <= FIXED + 13


def test_the_office_home(client, office, rows):
    client.force_login(office)
    # as the liaison's, less the unit's to-do lists, plus the governments (the totals and the units most
    # overdue are one query)
    assert constant_within(client, rows, "/", FIXED + 14) <= FIXED + 14


def test_the_notice_list(client, alice, office, rows):
    for user in (alice, office):
        client.force_login(user)
        # + the page of notices with their item counts (a subquery each, no join), their years, one COUNT
        assert constant_within(client, rows, reverse("tasks:notice-list"), FIXED + 3) <= FIXED + 3


def test_the_unit_overview_counts_the_units_own_rows(client, alice, unit_b, rows):
    """本单位概况 counts the unit's rows, not the other units' rows on the items it leads."""
    rows(4)
    client.force_login(alice)
    html = client.get("/", {"year": "2026"}).content.decode()
    own = Assignment.objects.filter(unit__short_name="区发改局", year=2026).count()
    assert own == 2
    assert f'<div class="text-muted small">台账行</div><div class="display-6">{own}</div>' in html


def test_a_two_character_word_and_a_longer_one_find_the_same_rows_as_a_plain_search(client, office, unit_a, rows):
    rows(12)
    make_item(make_notice(doc_number="测政办〔2026〕9号"), 1, responsible=["区发改局"], title="财政预决算公开")
    client.force_login(office)
    for word, expected in (("预决算", {"财政预决算公开"}), ("政务", {f"做好第{n}项政务公开" for n in range(1, 13)}),
                           ("第12项", {"做好第12项政务公开"}), ("区发改", None), ("测政办〔2026〕9", {"财政预决算公开"})):
        response = client.get(reverse("tasks:ledger"), {"q": word, "per_page": 100})
        found = {row.record.item.title for row in response.context["table"].paginated_rows}
        if expected is None:  # a unit's name: every row of that unit
            assert {row.record.unit.short_name for row in response.context["table"].paginated_rows} == {"区发改局"}
        else:
            assert found == expected, word


def test_a_keyword_never_shows_another_units_rows_to_a_liaison(client, charlie, ledger):
    client.force_login(charlie)
    response = client.get(reverse("tasks:ledger"), {"q": "区发改局"})
    units = {row.record.unit.short_name for row in response.context["table"].paginated_rows}
    assert units <= {"区教育局"}
