"""Every page of the navigation reads a fixed number of queries (issue 18): the same with two items as with sixty
(a home page one less with few: a to-do list that is not full is its own total), and at most PAGE_BUDGET (8), for
each role that uses it; the pages over it are OVER_BUDGET, each with what it reads.

A count is every SQL statement the test client's request sends but transaction control (BEGIN, COMMIT,
SAVEPOINT, RELEASE: ATOMIC_REQUESTS adds two savepoints per request inside the test's transaction, two round
trips in production): the session read, the user with unit, government, the install's government counts and
the unread message count (one query, units.backends.request_user_queryset), then the page's own queries,
listed at each budget. Nothing writes on a page view: the session is saved at most once a minute
(core.sessions). PostgreSQL adds, past 1,000 matching rows only, one EXPLAIN for the 约 N 行 estimate
(core.counts.EXACT_COUNT_UP_TO); these tests stay below that.
"""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_item, make_notice
from tasks.models import Assignment, Item, Section
from tasks.services import progress_submit_many

TODAY = datetime.date(2026, 11, 23)
pytestmark = pytest.mark.django_db
# session read + the user (with its unit, government, government counts and unread messages)
FIXED = 2
PAGE_BUDGET = 8
TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


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


def statements(client, url, **params) -> list[str]:
    client.get(url, params)  # warm: a session older than a minute is written once (core.sessions)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, url
    assert 'action="/accounts/logout/"' in response.content.decode(), url  # a signed-in page, not the login form
    return [q["sql"] for q in ctx.captured_queries if not TRANSACTION_CONTROL.match(q["sql"])]


def queries(client, url, **params) -> int:
    return len(statements(client, url, **params))


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
    # + years with their notice counts, COUNT, page, the filter bar's notices and units; the chosen unit when
    # filtered by one. No governments: their counts come with the user.
    assert constant_within(client, rows, url, FIXED + 5) <= FIXED + 5
    for params in ({"status": "not_started", "overdue": "on"}, {"overdue": "on", "year": "2026"},
                   {"page": "2", "per_page": "10"}, {"sort": "-due_date"}, {"role": "lead"}):
        assert queries(client, url, **params) <= FIXED + 5, params
    # A chosen unit, notice or section is checked against the options the filter bar lists (tasks.filters
    # OnceReadChoiceField): no query of its own.
    assert queries(client, url, unit=Assignment.objects.first().unit_id, year=2026) <= FIXED + 5
    item = Item.objects.order_by("number").first()
    item.section = Section.objects.create(notice=item.notice, number="一", title="主动公开")
    item.save()
    response = client.get(url, {"notice": item.notice_id, "section": item.section_id})
    assert [row.record.item_id for row in response.context["table"].paginated_rows] == [item.pk] * 2
    assert queries(client, url, notice=item.notice_id, section=item.section_id) <= FIXED + 6  # + the sections


def test_the_chase_page(client, office, rows):
    client.force_login(office)
    # + the latest year with overdue rows, COUNT (index only), the page's rows (ids off the index as a subquery),
    # the filter's notices, the calendar, the units
    assert constant_within(client, rows, reverse("workflow:chase-create"), FIXED + 6) <= FIXED + 6
    assert queries(client, reverse("workflow:chase-create"), year="", page=2) <= FIXED + 6


def test_the_keyword_search_reads_items_units_and_notices_once(client, office, rows):
    client.force_login(office)
    # + years, the matching items' ids, the matching units and notices (one UNION), COUNT, page, the filter
    # bar's notices and units: one over PAGE_BUDGET (OVER_BUDGET); on PostgreSQL the items are in the UNION too
    budget = FIXED + (6 if connection.features.supports_slicing_ordering_in_compound else 7)
    assert constant_within(client, rows, reverse("tasks:ledger"), budget, q="政务") <= budget
    assert queries(client, reverse("tasks:ledger"), q="第3项") <= FIXED + 7


def test_the_liaisons_own_ledger(client, alice, rows):
    client.force_login(alice)
    # + years with their notice counts, notices, COUNT, page, the unit's chased rows (banner); no governments
    # (a unit's rule) and no unit list (本单位台账 does not offer one)
    assert constant_within(client, rows, reverse("tasks:my-ledger"), FIXED + 5) <= FIXED + 5
    assert queries(client, reverse("tasks:my-ledger"), overdue="on", todo="on") <= FIXED + 5


def test_the_liaisons_visible_ledger(client, alice, rows):
    client.force_login(alice)
    # + years, COUNT, page, the unit's chased rows (banner), the filter bar's notices and units
    assert constant_within(client, rows, reverse("tasks:ledger"), PAGE_BUDGET) <= PAGE_BUDGET


def test_the_liaisons_home(client, alice, rows):
    client.force_login(alice)
    # + years, one counting query (the unit's year, the to-do lists' totals, the previous login, the panels' facts:
    # tasks/views/home.py _facts), the overdue rows (this year, then other years only if there are some), the rows
    # due soon, the year's notices; the panels of other features read nothing when they have nothing to show
    assert constant_within(client, rows, "/", FIXED + 5) <= FIXED + 5


def test_the_office_home(client, office, rows):
    client.force_login(office)
    # + years, the panels' facts, the latest audit event and the cached counts per unit (unit_counts), the year's
    # notices; the office's own unit has no row to do here
    assert constant_within(client, rows, "/", FIXED + 5) <= FIXED + 5


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


ROLE_USERS = {"office": "office", "liaison": "charlie", "lead": "alice", "leader": "leader"}


def navigation(role: str, notice, item, row) -> dict[str, tuple[str, dict]]:
    """The pages of the navigation each role uses (devtools.benchmark.http_pages drives the same ones over HTTP)."""
    ledger, my_ledger = reverse("tasks:ledger"), reverse("tasks:my-ledger")
    pages = {
        "office": {
            "home": ("/", {}), "ledger": (ledger, {}), "ledger.deep": (ledger, {"page": 3, "per_page": 10}),
            "ledger.unit_year": (ledger, {"unit": row.unit_id, "year": 2026}),
            "ledger.notice_section": (ledger, {"notice": notice.pk, "section": ""}),
            "ledger.status_overdue": (ledger, {"status": "in_progress", "overdue": "on"}),
            "ledger.due_within": (ledger, {"due_within": 30}), "ledger.todo": (ledger, {"todo": "on"}),
            "ledger.q": (ledger, {"q": "政务"}), "ledger.sort": (ledger, {"sort": "-unit"}),
            "notice_list": (reverse("tasks:notice-list"), {}),
            "notice": (reverse("tasks:notice-detail", args=[notice.pk]), {}),
            "item": (reverse("tasks:item-detail", args=[item.pk]), {}),
            "stats": (reverse("reports:stats"), {"year": 2026}), "summary": (reverse("reports:summary"), {"year": 2026}),
            "annual_text": (reverse("reports:annual-text"), {"year": 2026}),
            "lookback": (reverse("reports:lookback"), {}), "reviews": (reverse("workflow:review-list"), {}),
            "chase_new": (reverse("workflow:chase-create"), {}), "chases": (reverse("workflow:chase-list"), {}),
            "calendar": (reverse("workflow:calendar"), {}),
            "notifications": (reverse("workflow:notification-list"), {}),
            "audit": (reverse("audit:audit-list"), {}), "government": (reverse("units:government"), {}),
            "annual": (reverse("reports:annual-list"), {}),
            "disclosure": (reverse("disclosure:application-list"), {}),
        },
        "liaison": {
            "home": ("/", {}), "my_ledger": (my_ledger, {}), "my_ledger.todo": (my_ledger, {"todo": "on"}),
            "ledger": (ledger, {}), "assignment": (reverse("tasks:assignment-detail", args=[row.pk]), {}),
            "notifications": (reverse("workflow:notification-list"), {}),
        },
        "lead": {
            "home": ("/", {}), "my_ledger": (my_ledger, {}), "lead_items": (reverse("reports:lead-items"), {}),
            "item": (reverse("tasks:item-detail", args=[item.pk]), {}),
        },
        "leader": {"home": ("/", {}), "ledger": (ledger, {}), "notice_list": (reverse("tasks:notice-list"), {})},
    }
    return pages[role]


# The pages that read more than PAGE_BUDGET queries: (role, page) → (budget, why). Each is constant in the number
# of items (asserted below); what it reads beyond the session and the user is listed. (Every home page is within
# PAGE_BUDGET: one counting query, then only the lists of panels that have rows: tasks/views/home.py.)
OVER_BUDGET = {
    ("office", "ledger.q"): (9, "years, the matching items' ids, the matching units and notices (one UNION; on "
                                "PostgreSQL the items in the same UNION: 8), COUNT, page, the filter bar's notices "
                                "and units"),
    ("liaison", "assignment"): (10, "the row (with whether the user may edit it), whether its year is closed, the "
                                    "report the form starts from, the rows with the same requirement, chases, the "
                                    "reports and their evidence, the rows of the items the unit leads (review panel)"),
}


def reports_on(rows: int, reports: int, *, authors):
    """``reports`` progress reports with a link (the last one a done-claim waiting for review) on each of the first
    ``rows`` rows of each unit of ``authors`` (unit name → liaison)."""
    for unit, author in authors.items():
        for row in Assignment.objects.filter(unit__short_name=unit).order_by("item_number")[:rows]:
            for n in range(reports - row.reports.count()):
                status = Assignment.Status.DONE if n == reports - 1 else Assignment.Status.IN_PROGRESS
                progress_submit_many(assignments=[row], author=author, status=status, text=f"第{n + 1}次报送",
                                     links=[f"https://example.gov.cn/{row.pk}/{n}"], reported_on=TODAY,
                                     completed_on=TODAY if status == Assignment.Status.DONE else None)
                row.refresh_from_db()


@pytest.mark.parametrize("role", ROLE_USERS)
def test_every_page_of_the_navigation_reads_a_fixed_number_of_queries(role, request, client, rows, notice, office,
                                                                      alice, charlie):
    user = request.getfixturevalue(ROLE_USERS[role])
    client.force_login(user)
    authors = {"区发改局": alice, "区教育局": charlie}

    def measure() -> dict[str, int]:
        item = Item.objects.get(notice=notice, number=1)
        row = Assignment.objects.get(item=item, unit__short_name="区教育局")
        return {key: queries(client, url, **params) for key, (url, params) in navigation(role, notice, item, row).items()}

    rows(2)
    reports_on(1, 1, authors=authors)
    few = measure()
    rows(60)
    reports_on(20, 3, authors=authors)
    many = measure()
    # A home page reads the list of a panel only when the panel has rows (its total comes with the page's counting
    # query): with few items it may read one query less, never more.
    grows = {key: (few[key], many[key]) for key in few
             if not (few[key] == many[key] or (key == "home" and many[key] == few[key] + 1))}
    assert not grows, grows
    over = {key: n for key, n in many.items() if n > OVER_BUDGET.get((role, key), (PAGE_BUDGET,))[0]}
    assert all(budget > PAGE_BUDGET for budget, _ in OVER_BUDGET.values())
    assert not over, f"{role}: over budget {over}"
