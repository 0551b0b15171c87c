"""Single-row derived values and the visibility rule."""
import datetime

from conftest import TODAY, make_item
from tasks.models import Assignment, Item, Notice


def test_traffic_light(ledger):
    row = ledger["item1"].assignments.get(role="lead")  # due 2026-10-31
    assert row.light(TODAY) == "red"
    assert row.light(datetime.date(2026, 10, 25)) == "yellow"
    assert row.light(datetime.date(2026, 9, 1)) == "blue"
    row.status = Assignment.Status.DONE
    assert row.light(TODAY) == "green"
    row.status = Assignment.Status.NOT_APPLICABLE
    assert row.light(TODAY) == "grey"


def test_ongoing_rows_are_never_overdue(notice, unit_a):
    item = make_item(notice, 5, responsible=["区发改局"], deadline_text="持续推进")
    row = item.assignments.get()
    assert row.is_ongoing and not row.is_overdue(TODAY)
    assert not Assignment.objects.overdue(TODAY).filter(pk=row.pk).exists()


def test_liaison_sees_own_rows_and_rows_of_items_the_unit_leads(ledger, alice, charlie):
    alice_rows = set(Assignment.objects.visible_to(alice).values_list("item__number", "unit__short_name"))
    # Unit A leads item 1: it sees unit B's row there, but not unit B's row on item 2.
    assert alice_rows == {(1, "区发改局"), (1, "区教育局")}
    charlie_rows = set(Assignment.objects.visible_to(charlie).values_list("item__number", "unit__short_name"))
    assert charlie_rows == {(1, "区教育局"), (2, "区教育局")}


def test_office_and_leader_see_everything(ledger, office, leader):
    assert Assignment.objects.visible_to(office).count() == 3
    assert Assignment.objects.visible_to(leader).count() == 3


def test_only_liaisons_and_office_can_edit(ledger, alice, bob, leader, office):
    assert set(Assignment.objects.editable_by(alice).values_list("unit__short_name", flat=True)) == {"区发改局"}
    assert not Assignment.objects.editable_by(bob).exists()
    assert not Assignment.objects.editable_by(leader).exists()
    assert Assignment.objects.editable_by(office).count() == 3


def test_notices_and_items_follow_the_rows(ledger, alice, charlie):
    assert list(Item.objects.visible_to(alice).values_list("number", flat=True)) == [1]
    assert sorted(Item.objects.visible_to(charlie).values_list("number", flat=True)) == [1, 2]
    assert Notice.objects.visible_to(alice).count() == 1


def test_closed_statuses_are_the_status_choices_done_and_not_applicable():
    from tasks.querysets import CLOSED_STATUSES

    assert set(CLOSED_STATUSES) == {Assignment.Status.DONE, Assignment.Status.NOT_APPLICABLE}
