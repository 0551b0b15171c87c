"""Whose trail an office admin reads, with several governments in one install: what its government's users did,
and what was done by anyone to its government's units; never another government's. The rule is written as three
id tests an index serves (AuditEventQuerySet.visible_to); the reference here is the rule as joins."""
import pytest
from django.db.models import Q
from django.urls import reverse

from audit.models import AuditEvent
from conftest import make_unit, make_user

LIST = reverse("audit:audit-list")


@pytest.fixture
def two_governments(government, office, alice, unit_a):
    from units.models import Government

    other = Government.objects.create(name="测试市乙区人民政府", short_name="乙区")
    other_unit = make_unit("测试市乙区教育局", "乙区教育局", government=other)
    other_office = make_user("yi_office", unit=make_unit("乙区政府办公室", "乙区政府办", government=other),
                             role="office_admin")
    other_liaison = make_user("yi_liaison", unit=other_unit)
    labels = {
        "own user": dict(actor=alice, actor_unit=unit_a),
        "own user without unit": dict(actor=office),
        "other government's user on our unit": dict(actor=other_liaison, actor_unit=other_unit, unit=unit_a),
        "our user's unit named by another's": dict(actor=other_liaison, actor_unit=unit_a),
        "other government's own": dict(actor=other_liaison, actor_unit=other_unit, unit=other_unit),
        "our user on their unit": dict(actor=alice, actor_unit=unit_a, unit=other_unit),
        "system on their unit": dict(unit=other_unit),
        "system, nothing named": dict(),
        "deleted user and unit": dict(actor_id=987654, actor_unit_id=987654, unit_id=987654),
    }
    for label, fields in labels.items():
        AuditEvent.objects.create(action=AuditEvent.Action.OTHER, object_label=label,
                                  actor_name=getattr(fields.get("actor"), "username", ""), **fields)
    return {"other_office": other_office, "other_unit": other_unit, "other_liaison": other_liaison}


def _reference(user):
    gov = user.government_id
    return Q(actor__government_id=gov) | Q(actor_unit__government_id=gov) | Q(unit__government_id=gov)


def _select(page: str, name: str) -> str:
    start = page.index(f'<select name="{name}"')
    return page[start:page.index("</select>", start)]


def _labels(queryset):
    """The test's own rows (the fixtures' creations are in the trail too)."""
    return set(queryset.filter(action=AuditEvent.Action.OTHER).values_list("object_label", flat=True))


def test_each_office_reads_exactly_its_governments_trail(office, two_governments):
    other_office = two_governments["other_office"]
    ours = _labels(AuditEvent.objects.visible_to(office))
    theirs = _labels(AuditEvent.objects.visible_to(other_office))
    assert set(AuditEvent.objects.visible_to(office)) == set(AuditEvent.objects.filter(_reference(office)))
    assert set(AuditEvent.objects.visible_to(other_office)) == set(AuditEvent.objects.filter(_reference(other_office)))
    assert ours == {"own user", "own user without unit", "other government's user on our unit",
                                          "our user's unit named by another's", "our user on their unit"}
    assert theirs == {
        "other government's user on our unit", "our user's unit named by another's", "other government's own",
        "our user on their unit", "system on their unit"}
    assert not AuditEvent.objects.visible_to(two_governments["other_liaison"]).exists()


def test_the_operator_reads_every_government(two_governments, db):
    operator = make_user("operator", role="office_admin", is_superuser=True)
    operator.government = None
    operator.save()
    assert AuditEvent.objects.visible_to(operator).count() == AuditEvent.objects.count()


def test_the_page_lists_and_offers_only_the_governments_own(client, office, unit_a, alice, two_governments):
    client.force_login(office)
    rows = AuditEvent.objects.filter(_reference(office)).count()
    page = client.get(LIST).content.decode()
    assert "own user without unit" in page and "other government's own" not in page
    assert f"共 {rows} 条" in page
    # The filters offer the government's units and users, not another government's.
    units, actors = _select(page, "unit"), _select(page, "actor")
    assert unit_a.short_name in units and "乙区" not in units
    assert alice.username in actors and "yi_" not in actors
    # Another government's unit in the address: told so, no rows.
    page = client.get(LIST, {"unit": two_governments["other_unit"].pk}).content.decode()
    assert "选择一个有效的选项" in page and "没有符合条件的审计记录。" in page
