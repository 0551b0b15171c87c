"""The navigation's addresses ({% nav_url %}, resolved once per process) are the pages' addresses, under a script
prefix too (a site served below a path)."""
import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

pytestmark = pytest.mark.django_db


def test_the_navigation_links_to_the_pages(client, office):
    client.force_login(office)
    html = client.get("/").content.decode()
    for name in ("home", "tasks:ledger", "tasks:my-ledger", "tasks:notice-list", "workflow:notification-list",
                 "reports:stats", "audit:audit-list", "logout"):
        assert f'"{reverse(name)}"' in html, name


def test_a_script_prefix_is_kept():
    tag = Template("{% load nav %}{% nav_url 'tasks:ledger' %}")
    plain = tag.render(Context())
    set_script_prefix("/govopen/")
    try:
        assert tag.render(Context()) == "/govopen" + plain
    finally:
        set_script_prefix("/")
    assert tag.render(Context()) == plain
