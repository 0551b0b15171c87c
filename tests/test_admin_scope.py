"""The Django admin: superusers see every government's rows; a staff account that is not a superuser (given model
permissions by hand) sees only its own government's. 发送记录 (the channels' deliveries) is there, read-only,
in Chinese."""
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from conftest import make_unit, make_user
from units.models import Government
from workflow.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_governments(office, unit_a):
    other = Government.objects.create(name="另一区人民政府", short_name="另一区", level=Government.Level.COUNTY)
    stranger_unit = make_unit("另一区财政局", "另一区财政局", government=other, sort_order=5)
    make_user("stranger", unit=stranger_unit)
    for government, address in ((office.government, "ours@example.cn"), (other, "theirs@example.cn")):
        Delivery.objects.create(government=government, channel=Delivery.Channel.EMAIL, address=address,
                                subject=f"{government.short_name}的提醒", body="您有逾期事项。",
                                status=Delivery.Status.FAILED, reason="邮箱不存在")
    return other


@pytest.fixture
def staff(office):
    """The office admin with a staff flag and view permissions, but no superuser."""
    codenames = ["view_delivery", "view_unit", "view_user", "view_government", "view_auditevent", "view_chase"]
    user = make_user("staff", unit=office.unit, role="office_admin", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_deliveries_are_in_the_admin_read_only_and_in_chinese(client, two_governments):
    root = make_user("root", role="office_admin", is_superuser=True, is_staff=True, government=None)
    client.force_login(root)
    page = client.get(reverse("admin:workflow_delivery_changelist")).content.decode()
    assert "发送记录" in page and "ours@example.cn" in page and "theirs@example.cn" in page  # a superuser: all
    for label in ("渠道", "地址", "状态", "尝试次数", "发送失败"):
        assert label in page, label
    assert reverse("admin:workflow_delivery_add") not in page
    record = Delivery.objects.get(address="ours@example.cn")
    detail = client.get(reverse("admin:workflow_delivery_change", args=[record.pk])).content.decode()
    assert "邮箱不存在" in detail and "失败原因" in detail and 'name="_save"' not in detail  # nothing to save
    assert client.get(reverse("admin:workflow_delivery_add")).status_code == 403
    client.post(reverse("admin:workflow_delivery_delete", args=[record.pk]), {"post": "yes"})
    assert Delivery.objects.filter(pk=record.pk).exists()


def test_staff_who_are_not_superusers_see_only_their_government(client, staff, two_governments, unit_a):
    client.force_login(staff)
    deliveries = client.get(reverse("admin:workflow_delivery_changelist")).content.decode()
    assert "ours@example.cn" in deliveries and "theirs@example.cn" not in deliveries
    theirs = Delivery.objects.get(address="theirs@example.cn")
    response = client.get(reverse("admin:workflow_delivery_change", args=[theirs.pk]))
    assert response.status_code == 302 and "theirs@example.cn" not in response.content.decode()  # "not found"
    units = client.get(reverse("admin:units_unit_changelist")).content.decode()
    assert unit_a.name in units and "另一区财政局" not in units
    users = client.get(reverse("admin:units_user_changelist")).content.decode()
    assert "staff" in users and "stranger" not in users
    governments = client.get(reverse("admin:units_government_changelist")).content.decode()
    assert staff.government.name in governments and "另一区人民政府" not in governments
