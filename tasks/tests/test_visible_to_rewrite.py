"""A unit's users see their unit's rows and every row of the items their unit leads: the rule as the ledger runs it
(two index-served branches, tasks.querysets + core.subqueries.any_of) gives exactly the rows of the rule as written."""
import datetime

from django.db.models import Q
from django.urls import reverse

from conftest import make_item, make_unit, make_user
from tasks.models import Assignment


def _written_rule(unit_id):
    led = Assignment.objects.filter(unit_id=unit_id, role=Assignment.Role.LEAD).values("item_id")
    return Q(unit_id=unit_id) | Q(item_id__in=led)


def _pairs(queryset):
    return set(queryset.values_list("item__number", "unit__short_name"))


def test_a_liaison_sees_its_rows_and_the_rows_of_the_items_it_leads(ledger, notice, alice, charlie, unit_a, unit_b,
                                                                   government):
    street = make_unit("测试区甲街道办事处", "甲街道", government=government, kind="street")
    make_item(notice, 3, lead=["区教育局"], responsible=["甲街道"], deadline=datetime.date(2026, 12, 1))
    make_item(notice, 4, responsible=["甲街道", "区发改局"], deadline=datetime.date(2026, 12, 1))
    walker = make_user("jiedao", unit=street)
    expected = {
        alice: {(1, "区发改局"), (1, "区教育局"), (4, "区发改局")},  # leads item 1: unit B's row of it too
        charlie: {(1, "区教育局"), (2, "区教育局"), (3, "区教育局"), (3, "甲街道")},  # leads item 3
        walker: {(3, "甲街道"), (4, "甲街道")},  # leads nothing: its own rows only
    }
    for user, pairs in expected.items():
        assert _pairs(Assignment.objects.visible_to(user)) == pairs
        assert _pairs(Assignment.objects.filter(_written_rule(user.unit_id))) == pairs
        # Counted, sorted and combined with a filter as the ledger does, the same rows.
        visible = Assignment.objects.visible_to(user)
        assert visible.order_by().count() == len(pairs)
        assert _pairs(visible.filter(status="not_started").order_by("-year", "due_date")) == _pairs(
            Assignment.objects.filter(_written_rule(user.unit_id), status="not_started"))


def test_the_ledger_page_of_a_lead_liaison_lists_the_led_items_rows(client, ledger, alice):
    client.force_login(alice)
    page = client.get(reverse("tasks:ledger")).content.decode()
    assert "共 2 行" in page  # item 1's two rows; item 2 (unit B alone) is not unit A's to see
    assert "第1项工作要求" in page and "第2项工作要求" not in page
