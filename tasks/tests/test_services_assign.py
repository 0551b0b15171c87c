"""Assigning units to items: group phrases, roles, notes, and never dropping a row with reports."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from conftest import make_item
from tasks.models import Assignment
from tasks.services import item_sync_assignments, progress_record
from units.models import Alias, UnitGroup


@pytest.fixture
def group(unit_a, unit_b, street):
    group = UnitGroup.objects.create(government=unit_a.government, phrase="区直各有关部门")
    group.members.set([unit_a, unit_b])
    Alias.objects.create(government=unit_a.government, text="区直各部门", group=group)
    return group


def test_group_phrase_gives_every_member_its_own_row(notice, group, unit_a, unit_b):
    item = make_item(notice, 1, responsible=["区直各部门"], deadline=datetime.date(2026, 10, 31))
    rows = {a.unit.short_name: a for a in item.assignments.select_related("unit")}
    assert set(rows) == {"区发改局", "区教育局"}
    assert rows["区发改局"].via_group == group
    assert rows["区发改局"].written_as == "区直各部门"
    assert rows["区发改局"].due_date == datetime.date(2026, 10, 31)
    assert item.responsible_units_text == ["区直各部门"]


def test_unit_named_directly_keeps_the_stronger_role(notice, group, unit_a):
    item = make_item(notice, 1, lead=["区发改局"], responsible=["区直各有关部门"])
    row = item.assignments.get(unit=unit_a)
    assert row.role == Assignment.Role.LEAD
    assert row.via_group is None


def test_scope_note_is_kept_on_the_row(notice, unit_a):
    item = make_item(notice, 1, responsible=["区发改局（负责专题建设）"])
    row = item.assignments.get()
    assert row.unit == unit_a
    assert row.scope_note == "负责专题建设"


def test_unknown_unit_is_refused_with_its_name(notice, unit_a):
    with pytest.raises(ValidationError) as exc:
        make_item(notice, 1, responsible=["区外星局"])
    assert "区外星局" in exc.value.messages[0]


def test_undated_item_takes_the_report_back_date(unit_a):
    from conftest import make_notice

    notice = make_notice(doc_number="测政办〔2026〕9号", report_back_date=datetime.date(2026, 10, 28))
    item = make_item(notice, 1, responsible=["区发改局"])
    assert item.assignments.get().due_date == datetime.date(2026, 10, 28)


def test_removing_a_unit_with_reports_is_refused(notice, unit_a, unit_b, alice):
    item = make_item(notice, 1, responsible=["区发改局", "区教育局"])
    row = item.assignments.get(unit=unit_a)
    progress_record(assignment=row, author=alice, text="已公开。", status="in_progress",
                    reported_on=datetime.date(2026, 5, 1))
    item.responsible_units_text = ["区教育局"]
    item.save()
    with pytest.raises(ValidationError) as exc:
        item_sync_assignments(item=item)
    assert "区发改局" in exc.value.messages[0]
    assert item.assignments.count() == 2


def test_removing_a_unit_without_reports_drops_its_row(notice, unit_a, unit_b):
    item = make_item(notice, 1, responsible=["区发改局", "区教育局"])
    item.responsible_units_text = ["区教育局"]
    item.save()
    item_sync_assignments(item=item)
    assert list(item.assignments.values_list("unit__short_name", flat=True)) == ["区教育局"]
