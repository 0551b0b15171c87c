"""基础数据 › 单位 and 单位组 pages: who may reach them, what they show, and that edits reach the ledger."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_item, make_notice, make_unit, make_user
from core.locking import FINGERPRINT_FIELD, row_fingerprint
from tasks.models import Assignment
from units.models import Alias, Government, Unit, UnitGroup

D = datetime.date
# session, user (with its unit, government and unread count: units.backends.UserBackend), savepoints, units,
# aliases, groups, the count of deactivated units (no session write: core.sessions)
LIST_QUERIES = 8
GROUP_LIST_QUERIES = 7  # as the unit list, with groups, members and aliases instead of units, aliases, groups, count


@pytest.fixture
def other_government(db):
    return Government.objects.create(name="另一区人民政府", short_name="另一区")


@pytest.fixture
def other_unit(other_government):
    return make_unit("另一区教育局", "另一区教育局", government=other_government)


@pytest.fixture
def group(unit_a, unit_b):
    group = UnitGroup.objects.create(government=unit_a.government, phrase="区直各有关部门")
    group.members.set([unit_a])
    Alias.objects.create(government=unit_a.government, text="区直各部门", group=group)
    return group


def unit_post(unit, **changes):
    data = {"name": unit.name, "short_name": unit.short_name, "kind": unit.kind, "sort_order": unit.sort_order,
            "aliases": "\n".join(a.text for a in unit.aliases.all()),
            "groups": [g.pk for g in unit.groups.all()], "wecom_robot_url": unit.wecom_robot_url,
            "dingtalk_robot_url": unit.dingtalk_robot_url, "dingtalk_secret": unit.dingtalk_secret,
            FINGERPRINT_FIELD: row_fingerprint(unit)}
    data.update(changes)
    return data


@pytest.mark.parametrize("name,args", [("units:unit-list", []), ("units:unit-create", []),
                                       ("units:group-list", []), ("units:account-list", []),
                                       ("units:account-import", [])])
def test_anonymous_is_sent_to_login_and_a_liaison_is_refused(client, alice, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(alice)
    assert client.get(reverse(name, args=args)).status_code == 403


def test_another_governments_unit_and_group_are_404(client, office, other_unit, other_government):
    other_group = UnitGroup.objects.create(government=other_government, phrase="各街道")
    client.force_login(office)
    assert client.get(reverse("units:unit-edit", args=[other_unit.pk])).status_code == 404
    assert client.post(reverse("units:unit-active", args=[other_unit.pk]), {"active": "0"}).status_code == 404
    assert client.post(reverse("units:unit-delete", args=[other_unit.pk])).status_code == 404
    assert client.get(reverse("units:group-edit", args=[other_group.pk])).status_code == 404
    assert Unit.objects.get(pk=other_unit.pk).is_active


def test_the_list_shows_units_in_sort_order_with_kind_aliases_groups_and_liaisons(
        client, office, unit_a, unit_b, street, alice, group, other_unit, django_assert_num_queries):
    Alias.objects.create(government=unit_a.government, text="发改局", unit=unit_a)
    make_user("alice2", unit=unit_a, display_name="赵二")
    client.force_login(office)
    client.get(reverse("units:unit-list"))  # warm the session and the per-request caches
    with django_assert_num_queries(LIST_QUERIES):
        page = client.get(reverse("units:unit-list")).content.decode()
    for _ in range(15):
        make_unit(f"测试区第{_}局", f"第{_}局", sort_order=500 + _)
    with django_assert_num_queries(LIST_QUERIES):  # the same whatever the number of units
        client.get(reverse("units:unit-list"))
    assert page.index("区政府办") < page.index("区发改局") < page.index("区教育局") < page.index("东街街道")
    assert "另一区教育局" not in page
    table = page[page.index('id="unit-table"'):]  # the desktop table (phones get the same units as cards)
    row = table[table.index("区发改局"):table.index("区教育局")]
    assert "区直部门" in row and "发改局" in row and "区直各有关部门" in row and "2 人" in row


def test_creating_a_unit_with_aliases_and_a_group(client, office, group):
    client.force_login(office)
    response = client.post(reverse("units:unit-create"), {
        "name": "测试区司法局", "short_name": "区司法局", "kind": "department", "sort_order": 30,
        "aliases": "司法局、区司法", "groups": [group.pk]})
    assert response.status_code == 302
    unit = Unit.objects.get(short_name="区司法局")
    assert unit.government == office.government
    assert sorted(unit.aliases.values_list("text", flat=True)) == ["区司法", "司法局"]
    assert list(unit.groups.all()) == [group]
    assert Alias.objects.resolve("司法局", office.government) == unit
    page = client.get(reverse("units:unit-list")).content.decode()
    assert "已保存单位“区司法局”" in page and "测试区司法局" in page


def test_a_new_unit_can_go_straight_on_to_its_first_liaison_account(client, office):
    client.force_login(office)
    response = client.post(reverse("units:unit-create"), {
        "name": "测试区退役军人事务局", "short_name": "区退役军人局", "kind": "department", "sort_order": 40,
        "aliases": "", "then": "account"})
    unit = Unit.objects.get(short_name="区退役军人局")
    assert response.status_code == 302 and response["Location"] == f"{reverse('units:account-create')}?unit={unit.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "已保存单位“区退役军人局”" in page and "创建账号" in page


def test_a_name_already_used_is_refused_in_chinese(client, office, unit_a, unit_b, group):
    Alias.objects.create(government=unit_a.government, text="发改局", unit=unit_a)
    client.force_login(office)
    response = client.post(reverse("units:unit-edit", args=[unit_b.pk]), unit_post(unit_b, aliases="发改局\n区直各部门"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "“发改局”已是“区发改局”的别名。" in page and "“区直各部门”已是“区直各有关部门”的别名。" in page
    assert not unit_b.aliases.exists()


def test_a_stale_edit_is_refused(client, office, unit_b):
    client.force_login(office)
    data = unit_post(unit_b, short_name="区教育局二")
    Unit.objects.filter(pk=unit_b.pk).update(name="测试区教育局（新）")
    response = client.post(reverse("units:unit-edit", args=[unit_b.pk]), data)
    assert "已被其他人修改" in response.content.decode()
    assert Unit.objects.get(pk=unit_b.pk).short_name == "区教育局"


def test_a_sort_order_edit_reorders_the_ledger(client, office, unit_a, unit_b):
    notice = make_notice()
    make_item(notice, 1, responsible=["区发改局", "区教育局"], deadline=D(2026, 12, 31))
    client.force_login(office)
    response = client.post(reverse("units:unit-edit", args=[unit_b.pk]), unit_post(unit_b, sort_order=1))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Assignment.objects.get(unit=unit_b).unit_sort_order == 1


def test_group_membership_edit_gives_the_new_member_its_row(client, office, unit_a, unit_b, group):
    year = timezone.localdate().year
    notice = make_notice(doc_number=f"测政办〔{year}〕3号", year=year)
    item = make_item(notice, 1, responsible=["区直各部门"], deadline=D(year, 12, 31))
    assert [r.unit for r in item.assignments.all()] == [unit_a]
    client.force_login(office)
    response = client.post(reverse("units:group-edit", args=[group.pk]), {
        "phrase": group.phrase, "description": "", "aliases": "区直各部门", "members": [unit_a.pk, unit_b.pk]})
    assert response.status_code == 302
    assert sorted(r.unit.short_name for r in item.assignments.all()) == ["区发改局", "区教育局"]
    page = client.get(reverse("units:group-list")).content.decode()
    assert "成员单位（2）" in page and "区发改局、区教育局" in page


def test_joining_a_group_from_the_unit_form_also_reaches_the_ledger(client, office, unit_a, unit_b, group):
    year = timezone.localdate().year
    notice = make_notice(doc_number=f"测政办〔{year}〕4号", year=year)
    item = make_item(notice, 1, responsible=["区直各有关部门"], deadline=D(year, 12, 31))
    client.force_login(office)
    response = client.post(reverse("units:unit-edit", args=[unit_b.pk]), unit_post(unit_b, groups=[group.pk]))
    assert response.status_code == 302
    assert item.assignments.filter(unit=unit_b, via_group=group).exists()


def test_a_unit_with_ledger_rows_is_never_deleted_but_can_be_deactivated(client, office, unit_a):
    make_item(make_notice(), 1, responsible=["区发改局"], deadline=D(2026, 12, 31))
    client.force_login(office)
    response = client.post(reverse("units:unit-delete", args=[unit_a.pk]), follow=True)
    assert "已有 1 条台账记录，不能删除" in response.content.decode()
    assert Unit.objects.filter(pk=unit_a.pk).exists()
    response = client.post(reverse("units:unit-active", args=[unit_a.pk]), {"active": "0"}, follow=True)
    assert "已停用单位“区发改局”" in response.content.decode()
    assert not Unit.objects.get(pk=unit_a.pk).is_active
    page = client.get(reverse("units:unit-list")).content.decode()
    assert "测试区发展和改革局" not in page and "含已停用的 1 个" in page


def test_a_unit_without_rows_or_accounts_can_be_deleted(client, office, unit_b):
    client.force_login(office)
    response = client.post(reverse("units:unit-delete", args=[unit_b.pk]), follow=True)
    assert "已删除单位“区教育局”" in response.content.decode()
    assert not Unit.objects.filter(pk=unit_b.pk).exists()


def test_wrong_method_is_405(client, office, unit_a):
    client.force_login(office)
    assert client.get(reverse("units:unit-active", args=[unit_a.pk])).status_code == 405
    assert client.get(reverse("units:unit-delete", args=[unit_a.pk])).status_code == 405


def test_the_group_list_reads_a_constant_number_of_queries(client, office, unit_a, unit_b, group,
                                                          django_assert_num_queries):
    client.force_login(office)
    client.get(reverse("units:group-list"))
    with django_assert_num_queries(GROUP_LIST_QUERIES):
        client.get(reverse("units:group-list"))
    for n in range(5):
        extra = UnitGroup.objects.create(government=group.government, phrase=f"第{n}组")
        extra.members.set([unit_a, unit_b])
    with django_assert_num_queries(GROUP_LIST_QUERIES):
        page = client.get(reverse("units:group-list")).content.decode()
    assert "第4组" in page and "成员单位（2）" in page
