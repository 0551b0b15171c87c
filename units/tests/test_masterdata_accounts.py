"""基础数据 › 账号: create, edit, deactivate, reset password (shown once, changed at the next login), all audited;
and 修改密码 for every user."""
import pytest
from django.urls import reverse

from audit.models import AuditEvent
from conftest import make_unit, make_user
from units.models import Government, User

PASSWORD = "Pass-word-2026"


@pytest.fixture
def stranger(db):
    other = Government.objects.create(name="另一区人民政府", short_name="另一区")
    unit = make_unit("另一区教育局", "另一区教育局", government=other)
    return make_user("stranger", unit=unit)


def test_another_governments_account_is_404_and_a_liaison_403(client, office, alice, stranger):
    client.force_login(office)
    for name in ("units:account-edit", "units:account-password"):
        assert client.get(reverse(name, args=[stranger.pk])).status_code == 404
    assert client.post(reverse("units:account-active", args=[stranger.pk]), {"active": "0"}).status_code == 404
    assert client.post(reverse("units:account-password", args=[stranger.pk]), {"mode": "generate"}).status_code == 404
    assert User.objects.get(pk=stranger.pk).is_active
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, object_id=str(stranger.pk)).exists()
    client.force_login(alice)
    assert client.post(reverse("units:account-password", args=[alice.pk]), {"mode": "generate"}).status_code == 403


def test_a_superuser_of_the_government_is_out_of_the_office_admins_reach(client, office, unit_a):
    root = make_user("root", unit=unit_a, role="office_admin", is_superuser=True, is_staff=True)
    client.force_login(office)
    assert client.get(reverse("units:account-password", args=[root.pk])).status_code == 404
    assert "root" not in client.get(reverse("units:account-list")).content.decode()


def test_the_list_shows_accounts_by_unit_in_constant_queries(client, office, alice, bob, charlie, stranger,
                                                             unit_a, django_assert_num_queries):
    client.force_login(office)
    client.get(reverse("units:account-list"))
    # session, user (with unit, government and unread count), savepoints, the page (no session write)
    with django_assert_num_queries(6):
        page = client.get(reverse("units:account-list")).content.decode()
    for n in range(10):
        make_user(f"extra{n}", unit=unit_a)
    with django_assert_num_queries(6):
        client.get(reverse("units:account-list"))
    assert "王丽" in page and "张超" in page and "stranger" not in page
    assert page.index("陈公开") < page.index("王丽") < page.index("张超")  # 区政府办, 区发改局, 区教育局
    page = client.get(reverse("units:account-list"), {"unit": unit_a.pk}).content.decode()
    assert "王丽" in page and "李波" in page and "张超" not in page


def test_creating_an_account_shows_its_password_once_and_it_must_be_changed(client, office, unit_b):
    client.force_login(office)
    response = client.post(reverse("units:account-create"), {
        "unit": unit_b.pk, "role": "liaison", "username": "jiaoyu02", "display_name": "周敏",
        "phone": "13800000000", "email": "zhou@example.gov.cn"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "账号已创建" in page and "jiaoyu02" in page
    password = response.context["password"]
    assert password in page
    user = User.objects.get(username="jiaoyu02")
    assert (user.unit, user.government, user.role, user.display_name) == (unit_b, office.government, "liaison", "周敏")
    assert user.check_password(password) and user.must_change_password
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_type="units.user",
                                     object_id=str(user.pk)).exists()
    # the new user logs in and lands on 修改密码, whatever they open
    client.logout()
    response = client.post(reverse("login"), {"username": "jiaoyu02", "password": password})
    assert response.status_code == 302
    response = client.get(reverse("tasks:my-ledger"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    response = client.post(reverse("password_change"), {"old_password": password, "new_password1": "Zhou-min-2026",
                                                        "new_password2": "Zhou-min-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Zhou-min-2026")
    assert client.get(reverse("tasks:my-ledger")).status_code == 200


def test_a_taken_or_bad_username_is_refused_in_chinese(client, office, unit_b, alice):
    client.force_login(office)
    page = client.post(reverse("units:account-create"), {
        "unit": unit_b.pk, "role": "liaison", "username": "ALICE", "display_name": "周敏"}).content.decode()
    assert "登录账号“ALICE”已被使用" in page
    page = client.post(reverse("units:account-create"), {
        "unit": unit_b.pk, "role": "liaison", "username": "周 敏", "display_name": "周敏", "email": "x"}).content.decode()
    assert "登录账号须为 3～150 位字母" in page and "请输入有效的邮箱地址" in page
    page = client.post(reverse("units:account-create"), {
        "unit": "", "role": "liaison", "username": "nounit", "display_name": "周敏"}).content.decode()
    assert "请选择账号所属的单位" in page
    assert not User.objects.filter(username__in=["nounit", "周 敏"]).exists()


def test_deactivate_and_reactivate(client, office, alice):
    client.force_login(office)
    response = client.post(reverse("units:account-active", args=[alice.pk]), {"active": "0"}, follow=True)
    assert "已停用账号“alice”" in response.content.decode()
    assert not User.objects.get(pk=alice.pk).is_active
    client.logout()
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    client.force_login(office)
    client.post(reverse("units:account-active", args=[alice.pk]), {"active": "1"})
    assert User.objects.get(pk=alice.pk).is_active
    assert AuditEvent.objects.filter(object_type="units.user", object_id=str(alice.pk),
                                     action=AuditEvent.Action.UPDATE).count() == 2
    assert client.post(reverse("units:account-active", args=[office.pk]), {"active": "0"}).status_code == 403


def test_reset_password_generated_or_set(client, office, alice):
    client.force_login(office)
    response = client.post(reverse("units:account-password", args=[alice.pk]), {"mode": "generate"})
    password = response.context["password"]
    assert "密码已重置" in response.content.decode() and password in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(password) and alice.must_change_password
    event = AuditEvent.objects.filter(action=AuditEvent.Action.OTHER, object_id=str(alice.pk)).get()
    assert "重置密码" in event.message and password not in str(event.changes) + event.message
    page = client.post(reverse("units:account-password", args=[alice.pk]), {"mode": "set", "password": "abc"}).content.decode()
    assert "密码长度太短" in page and "密码至少要包含" in page
    client.post(reverse("units:account-password", args=[alice.pk]), {"mode": "set", "password": "Wangli-2026!"})
    alice.refresh_from_db()
    assert alice.check_password("Wangli-2026!") and alice.must_change_password


def test_edit_moves_an_account_to_another_unit(client, office, alice, unit_b):
    client.force_login(office)
    response = client.post(reverse("units:account-edit", args=[alice.pk]), {
        "unit": unit_b.pk, "role": "liaison", "display_name": "王丽", "phone": "", "email": ""})
    assert response.status_code == 302
    assert User.objects.get(pk=alice.pk).unit == unit_b


def test_every_user_changes_their_own_password_with_chinese_messages(client, alice):
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert reverse("password_change") in page and "修改密码" in page
    page = client.get(reverse("password_change")).content.decode()
    assert "旧密码" in page and "新密码" in page
    page = client.post(reverse("password_change"), {"old_password": "wrong", "new_password1": "alice",
                                                    "new_password2": "alicf"}).content.decode()
    assert "你的旧密码不正确" in page or "您的旧密码不正确" in page
    assert "输入的两个密码不一致" in page
    page = client.post(reverse("password_change"), {"old_password": "Pass-word-2026", "new_password1": "password",
                                                    "new_password2": "password"}).content.decode()
    assert "密码长度太短" in page and "这个密码太常见了" in page
    response = client.post(reverse("password_change"), {"old_password": "Pass-word-2026",
                                                        "new_password1": "Wang-li-2027", "new_password2": "Wang-li-2027"},
                           follow=True)
    assert "密码已修改" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("Wang-li-2027")


def test_an_office_admin_cannot_change_their_own_role(client, office):
    client.force_login(office)
    page = client.post(reverse("units:account-edit", args=[office.pk]), {
        "unit": office.unit_id, "role": "viewer", "display_name": "陈公开", "phone": "", "email": ""}).content.decode()
    assert "不能修改自己的角色" in page
    assert User.objects.get(pk=office.pk).role == "office_admin"


def test_an_account_of_a_deactivated_unit_can_still_be_edited(client, office, alice, unit_a):
    unit_a.is_active = False
    unit_a.save()
    client.force_login(office)
    response = client.post(reverse("units:account-edit", args=[alice.pk]), {
        "unit": unit_a.pk, "role": "liaison", "display_name": "王丽丽", "phone": "", "email": ""})
    assert response.status_code == 302
    assert User.objects.get(pk=alice.pk).display_name == "王丽丽"
