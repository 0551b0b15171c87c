"""The audit trail of the tasks models: every create, change and delete, in each item's history."""
import pytest
from django.urls import reverse

from audit.models import AuditEvent
from conftest import make_item
from tasks.models import Assignment, Item
from tasks.services import item_sync_assignments

A = AuditEvent.Action


@pytest.fixture
def item1(ledger):
    return ledger["item1"]


def test_building_an_item_records_the_item_and_its_rows(item1, notice, unit_a, unit_b):
    item_event = AuditEvent.objects.get(object_type="tasks.item", object_id=str(item1.pk), action=A.CREATE)
    assert (item_event.parent_type, item_event.parent_id) == ("tasks.notice", str(notice.pk))
    assert item_event.actor_name == "系统"
    rows = AuditEvent.objects.filter(object_type="tasks.assignment", action=A.CREATE, parent_id=str(item1.pk))
    assert {e.unit_id for e in rows} == {unit_a.pk, unit_b.pk}
    assert rows.filter(unit=unit_b).get().changes["role"]["after"] == "责任"


def test_progress_through_the_page_is_recorded_with_the_user_and_address(client, alice, item1, unit_a):
    row = item1.assignments.get(unit=unit_a)
    client.force_login(alice)
    client.post(reverse("tasks:progress-create", args=[row.pk]),
                {"status": "in_progress", "text": "已在政府网站公开。", "reported_on": "2026-11-20",
                 "links": "https://www.example.gov.cn/1.html", "version": row.version}, REMOTE_ADDR="10.8.8.8")
    submit = AuditEvent.objects.get(action=A.SUBMIT)
    assert submit.actor == alice and submit.ip_address == "10.8.8.8" and submit.unit == unit_a
    assert submit.get_action_display() == "报送" and submit.changes["text"]["after"] == "已在政府网站公开。"
    evidence = AuditEvent.objects.get(object_type="tasks.evidence", action=A.CREATE)
    assert evidence.parent_id == str(item1.pk) and evidence.changes["url"]["after"] == "https://www.example.gov.cn/1.html"
    change = AuditEvent.objects.filter(object_type="tasks.assignment", action=A.UPDATE).get()
    assert change.changes["status"] == {"label": "状态", "before": "未开始", "after": "推进中"}


def test_the_item_page_shows_its_own_history(client, office, alice, charlie, item1, unit_a, unit_b):
    row_b = item1.assignments.get(unit=unit_b)
    row_b.status = Assignment.Status.IN_PROGRESS
    row_b.save()
    history = reverse("tasks:item-history", args=[item1.pk])  # one link away from the item page
    client.force_login(office)
    assert history in client.get(item1.get_absolute_url()).content.decode()
    page = client.get(history).content.decode()
    assert "操作记录（留痕）" in page and "未开始 → 推进中" in page and "来源地址" in page
    client.force_login(charlie)  # unit B sees its own row's history, not the addresses
    page = client.get(history).content.decode()
    assert "未开始 → 推进中" in page and "来源地址" not in page


def test_units_do_not_see_other_units_rows_in_the_history(client, charlie, ledger, notice, unit_a):
    shared = make_item(notice, 4, responsible=["区发改局", "区教育局"])
    row_a = shared.assignments.get(unit=unit_a)
    row_a.scope_note = "负责政策解读"
    row_a.save()
    client.force_login(charlie)
    page = client.get(shared.get_absolute_url()).content.decode()
    page += client.get(reverse("tasks:item-history", args=[shared.pk])).content.decode()
    assert "负责政策解读" not in page  # unit A's row on an item unit B does not lead


def test_deletes_are_recorded_with_what_was_deleted(client, office, notice, unit_a, unit_b):
    item = make_item(notice, 5, responsible=["区发改局", "区教育局"])
    item.responsible_units_text = ["区教育局"]
    item.save()
    item_sync_assignments(item=item)
    removed = AuditEvent.objects.get(object_type="tasks.assignment", action=A.DELETE)
    assert removed.unit == unit_a and removed.parent_id == str(item.pk)
    assert removed.changes["role"]["before"] == "责任"
    client.force_login(office)
    client.post(reverse("tasks:item-delete", args=[item.pk]))
    assert not Item.objects.filter(pk=item.pk).exists()
    deleted = AuditEvent.objects.get(object_type="tasks.item", action=A.DELETE)
    assert deleted.actor == office and deleted.object_id == str(item.pk)
    assert AuditEvent.objects.filter(object_type="tasks.assignment", action=A.DELETE, actor=office).count() == 1


def test_for_object_collects_the_item_and_everything_on_it(item1):
    events = AuditEvent.objects.for_object(item1)
    assert set(events.values_list("object_type", flat=True)) == {"tasks.item", "tasks.assignment"}
