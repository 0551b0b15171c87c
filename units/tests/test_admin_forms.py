"""The admin's unit and user forms: optimistic locking and Chinese messages (issue 16)."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from units.models import Unit, User

STALE = "该记录在您打开页面后已被其他人修改，您的修改未保存。"


@pytest.fixture
def root(db):
    return make_user("root", role="office_admin", is_staff=True, is_superuser=True)


@pytest.fixture
def root2(db):
    return make_user("root2", role="office_admin", is_staff=True, is_superuser=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(html: str) -> dict:
    """The POST a browser would send from the admin change page (inputs, selects, textareas)."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("submit", "button", "file")):
            continue
        if kind and kind.group(1) in ("checkbox", "radio") and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ("on" if kind and kind.group(1) == "checkbox" else "")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', body)
        if chosen:
            data[name] = chosen[0]
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    return data


def test_two_admins_edit_the_same_unit_and_the_second_is_refused(root, root2, unit_a):
    url = reverse("admin:units_unit_change", args=[unit_a.pk])
    first, second = signed_in(root), signed_in(root2)
    page1, page2 = form_data(first.get(url).content.decode()), form_data(second.get(url).content.decode())
    assert page1["_row_fingerprint"] == page2["_row_fingerprint"]
    assert first.post(url, {**page1, "name": "第一人改的名称"}).status_code == 302
    response = second.post(url, {**page2, "name": "第二人改的名称"})
    assert response.status_code == 200 and STALE in response.content.decode()
    assert Unit.objects.get(pk=unit_a.pk).name == "第一人改的名称"
    # Reloading shows the new row, and the save goes through.
    fresh = form_data(second.get(url).content.decode())
    assert second.post(url, {**fresh, "name": "第二人重新修改"}).status_code == 302
    assert Unit.objects.get(pk=unit_a.pk).name == "第二人重新修改"


def test_a_unit_post_without_the_fingerprint_is_refused(root, unit_a):
    url = reverse("admin:units_unit_change", args=[unit_a.pk])
    client = signed_in(root)
    data = form_data(client.get(url).content.decode())
    del data["_row_fingerprint"]
    response = client.post(url, {**data, "name": "盲改的名称"})
    assert STALE in response.content.decode() and Unit.objects.get(pk=unit_a.pk).name != "盲改的名称"


def test_two_admins_edit_the_same_user_and_a_login_in_between_does_not_count(root, root2, alice):
    url = reverse("admin:units_user_change", args=[alice.pk])
    first, second = signed_in(root), signed_in(root2)
    page1, page2 = form_data(first.get(url).content.decode()), form_data(second.get(url).content.decode())
    signed_in(alice)  # alice signs in: last_login changes, but nobody edited her account
    assert User.objects.get(pk=alice.pk).last_login is not None
    assert first.post(url, {**page1, "display_name": "王丽（新）"}).status_code == 302
    response = second.post(url, {**page2, "display_name": "王丽（旧）", "phone": "0591-1234567"})
    assert response.status_code == 200 and STALE in response.content.decode()
    assert User.objects.get(pk=alice.pk).display_name == "王丽（新）"


def test_the_admins_password_messages_are_chinese(root, alice):
    client = signed_in(root)
    add = client.post(reverse("admin:units_user_add"), {
        "username": "newbie", "password1": "Ab1!", "password2": "Ab1!", "usable_password": "true"})
    html = add.content.decode()
    assert "密码长度太短，至少需要 10 个字符。" in html and "This password is too short" not in html
    assert "创建用户后，可以继续编辑该用户的其他信息。" in html
    page = client.get(f"/admin/units/user/{alice.pk}/password/").content.decode()
    assert "关闭后，该用户当前的密码将失效。" in page and "If disabled" not in page
    changed = client.post(f"/admin/units/user/{alice.pk}/password/", {
        "password1": "short", "password2": "short", "usable_password": "true"}).content.decode()
    assert "密码长度太短" in changed and "too short" not in changed
