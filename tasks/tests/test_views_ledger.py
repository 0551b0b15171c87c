"""The ledger and the unit's own ledger: scoping, filters, sorting, query counts."""
import datetime

import pytest
from django.urls import reverse

from conftest import make_item


@pytest.fixture
def big_ledger(notice, unit_a, unit_b):
    for n in range(3, 40):
        make_item(notice, n, responsible=["区发改局", "区教育局"], deadline=datetime.date(2026, 12, 1 + n % 28))


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("tasks:ledger"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_office_sees_every_row_with_status_words(client, office, ledger):
    client.force_login(office)
    html = client.get(reverse("tasks:ledger")).content.decode()
    body = html.split("<tbody")[1]
    assert body.count('class="light light-') == 3
    assert "区发改局" in html and "区教育局" in html
    assert "未开始" in html


def test_liaison_never_sees_other_units_rows(client, alice, ledger):
    client.force_login(alice)
    response = client.get(reverse("tasks:ledger"))
    rows = [a.item.number for a in response.context["table"].data]
    assert sorted(rows) == [1, 1]  # own row on item 1, and unit B's row on the item unit A leads
    assert "第2项工作要求" not in response.content.decode()


def test_filters_by_unit_status_and_overdue(client, office, ledger, unit_b):
    client.force_login(office)
    response = client.get(reverse("tasks:ledger"), {"unit": unit_b.pk, "overdue": "on"})
    records = list(response.context["table"].data)
    # Today is after 2026-10-31 in the app's clock only if the test date says so: compare with the row itself.
    from core.http import today
    expected = [a for a in records if a.is_overdue(today())]
    assert records == expected
    assert all(a.unit_id == unit_b.pk for a in records)
    response = client.get(reverse("tasks:ledger"), {"status": "done"})
    assert list(response.context["table"].data) == []


def test_keyword_filter_searches_the_requirement(client, office, ledger):
    client.force_login(office)
    response = client.get(reverse("tasks:ledger"), {"q": "第2项工作要求"})
    assert [a.item_number for a in response.context["table"].data] == [2]


def test_sort_by_unit_uses_the_fixed_unit_order(client, office, ledger):
    client.force_login(office)
    response = client.get(reverse("tasks:ledger"), {"sort": "unit"})
    units = [a.unit.short_name for a in response.context["table"].paginated_rows.data]
    assert units == sorted(units, key=lambda name: {"区发改局": 10, "区教育局": 20}[name])


def test_query_count_does_not_grow_with_page_size(client, office, big_ledger):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(office)
    client.get(reverse("tasks:ledger"))  # warm the session
    counts = {}
    for per_page in (10, 50, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("tasks:ledger"), {"per_page": per_page})
        counts[per_page] = len(ctx.captured_queries)
        assert len(response.context["table"].page.object_list) == min(per_page, 74)
    assert counts[10] == counts[50] == counts[100]
    # session, user (with unit and government), the governments (visibility rule), unread count (nav), the
    # filter's years with their notice counts, notices and units, one COUNT, one page query, savepoints
    # (on PostgreSQL the pg_class estimate of the whole table replaces the COUNT here, and past 1,000
    # matching rows a capped COUNT is followed by one EXPLAIN: tasks.tables.LedgerRows)
    assert counts[10] <= 14


def test_my_ledger_shows_only_own_unit_with_progress_forms(client, alice, ledger):
    client.force_login(alice)
    html = client.get(reverse("tasks:my-ledger")).content.decode()
    assert html.count('action="/tasks/assignments/') == 1
    assert "填报进展" in html
    assert "区教育局" not in html.split("<tbody>")[1]


def test_viewer_gets_my_ledger_without_forms(client, bob, ledger):
    client.force_login(bob)
    html = client.get(reverse("tasks:my-ledger")).content.decode()
    assert "填报进展" not in html
    assert "第1项工作要求" in html


def test_ledger_cells_escape_what_people_typed(client, office, notice, unit_a):
    """The table body is written in Python (LedgerTable.body_html): typed text is escaped there, links point at
    each row's and each item's own page."""
    item = make_item(notice, 7, responsible=["区发改局"], title='<script>alert("x")</script>公开 & 解读')
    row = item.assignments.get()
    client.force_login(office)
    html = client.get(reverse("tasks:ledger")).content.decode()
    body = html.split("<tbody")[1].split("</tbody>")[0]
    assert "<script>" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;公开 &amp; 解读" in body
    assert f'href="{reverse("tasks:item-detail", args=[item.pk])}"' in body
    assert f'href="{reverse("tasks:assignment-detail", args=[row.pk])}">查看/填报</a>' in body
