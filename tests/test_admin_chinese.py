"""The Django admin stays for superusers, and every page of it they reach reads in Chinese (issue 13).

The test walks the admin index, every app index, every changelist (with its filters open), every add page and
every change page of an existing row as a superuser, takes the visible text (no tags, scripts or styles; titles,
placeholders and button values included) and looks for common English words. The admin's JavaScript strings
(filter_horizontal's "Choose all", the calendar) come from the jsi18n catalogue, checked the same way.
"""
import html
import json
import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from conftest import make_item, make_notice, make_user

ENGLISH_WORDS = re.compile(
    r"\b(Add|Change|Delete|View|Save|Search|Filter|Home|Choose|Remove|Select|Show|Hide|All|Yes|No|Today|Now|"
    r"History|Action|Actions|Go|Access|Attempt|Attempts|Failure|Failures|Log|Logs|Username|Password|Email|Name|"
    r"User|Users|Group|Groups|Permissions?|Authentication|Authorization|Site|Administration|Welcome|Documentation|"
    r"Log out|Logout|Recent|None|Available|Chosen|Clear|Unknown|Date|Time|Status|Count|Expiration|Address|Path|"
    r"Agent|Handler|Module|Model|Object|Content|Type|Types|Session|Sessions|First|Last|Staff|Active|Superuser|"
    r"Important|Dates|Personal|info|results?|selected|of|the|and|or|to|by|for|with|this|Close|Cancel|Submit|"
    r"Axes|True|False|Failed|Attempted|Locked|Data|Meta)\b")
# Not words to a reader: file and vendor names, the Django version in a comment, ids and codes users enter.
ALLOWED = re.compile(r"(https?://\S+|\S+@\S+|[A-Za-z0-9_.-]+\.(?:xlsx|docx|pdf|js|css)|Django|CSRF|ID)")


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|noscript)\b.*?</\1>", " ", page)
    page = re.sub(r"(?is)<!--.*?-->", " ", page)
    attrs = re.findall(r'(?i)\b(?:title|placeholder|value|aria-label|alt)="([^"]*)"', page)
    # values of hidden inputs and of options are data, not words shown as such
    hidden = re.findall(r'(?i)<input[^>]+type="hidden"[^>]*value="([^"]*)"', page)
    options = re.findall(r'(?i)<option[^>]*value="([^"]*)"', page)
    shown = [a for a in attrs if a not in set(hidden) | set(options)]
    text = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *shown]))


def english_in(page: str, *, data=()) -> list[str]:
    text = ALLOWED.sub(" ", visible_text(page))
    for value in data:  # what the test itself stored (user names typed by people)
        text = text.replace(value, " ")
    return sorted(set(ENGLISH_WORDS.findall(text)))


@pytest.fixture
def superuser(db, office, alice, unit_a, unit_b):
    notice = make_notice()
    make_item(notice, 1, lead=["区发改局"], responsible=["区教育局"])
    return make_user("root", role="office_admin", is_superuser=True, is_staff=True, government=None,
                     display_name="系统管理员")


def admin_urls():
    """(url name, args builder) for every registered model: changelist, add, and the first row's change page."""
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        yield f"admin:{info[0]}_{info[1]}_changelist", model, None
        yield f"admin:{info[0]}_{info[1]}_add", model, None
        yield f"admin:{info[0]}_{info[1]}_change", model, "first"


def test_every_admin_page_a_superuser_reaches_is_chinese(client, superuser):
    client.force_login(superuser)
    data = ("root", "office", "alice", "Pass-word-2026")
    found = {}
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    pages += sorted({reverse("admin:app_list", args=[m._meta.app_label]) for m in admin.site._registry})
    for name, model, which in admin_urls():
        if which == "first":
            obj = model._default_manager.order_by("pk").first()
            if obj is None:
                continue
            pages.append(reverse(name, args=[obj.pk]))
            try:
                pages.append(reverse(name.replace("_change", "_history"), args=[obj.pk]))
            except NoReverseMatch:
                pass
        else:
            try:
                pages.append(reverse(name))
            except NoReverseMatch:
                continue
    assert len(pages) > 20
    for url in pages:
        response = client.get(url)
        if response.status_code == 403:  # an add page the admin forbids (audit trail, read-only)
            continue
        assert response.status_code == 200, url
        words = english_in(response.content.decode(), data=data)
        if words:
            found[url] = words
    assert found == {}


def test_the_admins_javascript_strings_are_chinese(client, superuser):
    client.force_login(superuser)
    script = client.get(reverse("admin:jsi18n")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    for english, chinese in [("Choose all %s", "全选"), ("Remove all %s", "全部移除"), ("Available %s", "可用"),
                             ("Choose selected %s", "选择"), ("Remove selected %s", "移除"),
                             ("(click to clear)", "清除"), ("Today", "今天"), ("Now", "现在")]:
        assert chinese in catalog[english], english


def test_an_office_admin_sees_master_data_in_the_app_not_the_admin(client, office):
    client.force_login(office)
    page = client.get(reverse("home")).content.decode()
    assert reverse("units:unit-list") in page and reverse("admin:index") not in page
