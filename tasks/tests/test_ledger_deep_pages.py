"""Deep ledger pages (?page=N past tasks.tables.DEFERRED_JOIN_OFFSET): the ids first, and on PostgreSQL after the
previous page's last row once known (tasks.ledger_keyset). Each page shows the same rows as a plain OFFSET would,
for every sort, ties and empty dates (持续推进, never reported) included."""
import datetime

import pytest
from django.db import connection
from django.urls import reverse

from conftest import make_item
from tasks import ledger_keyset
from tasks.models import Assignment

pytestmark = pytest.mark.django_db
SORTS = ("", "year", "-year", "item_number", "unit", "-unit", "role", "-role", "due_date", "-due_date", "status",
         "-status", "last_reported_on", "-last_reported_on")


@pytest.fixture
def deep_ledger(notice, unit_a, unit_b):
    """38 items, two rows each: deadlines with ties, some 持续推进 (no date); some rows reported, some in progress."""
    for n in range(1, 39):
        deadline = None if n % 7 == 0 else datetime.date(2026, 1 + n % 5, 1)
        make_item(notice, n, responsible=["区发改局", "区教育局"], deadline=deadline,
                  deadline_text="持续推进" if deadline is None else "")
    for i, row in enumerate(Assignment.objects.order_by("id")):
        if i % 3:
            Assignment.objects.filter(pk=row.pk).update(last_reported_on=datetime.date(2026, 3, 1 + i % 4),
                                                        status="in_progress" if i % 2 else "not_started")
    ledger_keyset.forget_all()
    yield
    ledger_keyset.forget_all()


def page_rows(client, **params) -> list[str]:
    """The page's rows as the user reads them (unit, item number, deadline, status, last report)."""
    response = client.get(reverse("tasks:ledger"), {"per_page": 10, **params})
    assert response.status_code == 200
    cells = ("render_unit", "render_item_number", "render_due_date", "render_status", "render_last_reported_on")
    table = response.context["table"]
    return [" | ".join(getattr(table, cell)(row.record) for cell in cells) + f" #{row.record.pk}"
            for row in table.paginated_rows]


def test_every_sort_shows_the_same_deep_pages_as_a_plain_offset(client, office, deep_ledger, monkeypatch):
    client.force_login(office)
    for sort in SORTS:
        params = {"sort": sort} if sort else {}
        monkeypatch.setattr("tasks.tables.DEFERRED_JOIN_OFFSET", 10_000)  # a plain OFFSET: what the pages must show
        expected = {page: page_rows(client, page=page, **params) for page in range(3, 9)}
        monkeypatch.setattr("tasks.tables.DEFERRED_JOIN_OFFSET", 20)
        first = {page: page_rows(client, page=page, **params) for page in range(3, 9)}  # ids first (and anchors)
        again = {page: page_rows(client, page=page, **params) for page in range(3, 9)}  # after the anchors
        assert first == expected, sort
        assert again == expected, sort
        assert sum(len(rows) for rows in expected.values()) == 76 - 20, sort


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the keyset is PostgreSQL's (SQLite reads by OFFSET)")
def test_paging_on_after_a_change_neither_skips_nor_repeats_a_row(client, office, deep_ledger, monkeypatch):
    monkeypatch.setattr("tasks.tables.DEFERRED_JOIN_OFFSET", 20)
    client.force_login(office)
    page3 = page_rows(client, page=3, sort="due_date")
    everything = page_rows(client, page=1, sort="due_date", per_page=100)
    # A row before page 3 leaves the ledger; page 4 still starts right after page 3's last row.
    Assignment.objects.filter(pk=int(everything[0].rsplit("#", 1)[1])).delete()
    page4 = page_rows(client, page=4, sort="due_date")
    assert page3 + page4 == everything[20:40]


def test_a_deep_page_reads_as_many_queries_as_the_first(client, office, deep_ledger, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("tasks.tables.DEFERRED_JOIN_OFFSET", 20)
    client.force_login(office)

    def count(**params):
        client.get(reverse("tasks:ledger"), {"per_page": 10, **params})
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("tasks:ledger"), {"per_page": 10, **params})
        return len(ctx.captured_queries)

    first = count(page=1)
    assert count(page=5) == first  # by OFFSET, the ids first (then, on PostgreSQL, by the anchor it left)
    assert count(page=5) == first
    assert count(page=6) == first


def test_a_unit_outside_the_directory_shows_no_rows_and_says_why(client, office, deep_ledger):
    client.force_login(office)
    response = client.get(reverse("tasks:ledger"), {"unit": 999999})
    html = response.content.decode()
    assert response.status_code == 200
    assert "没有符合条件的台账行" in html
    assert "选择一个有效的选项" in html or "有效的选项" in html
