"""Headers and markup (issue 16): a strict CSP, no inline script or handlers, no-store, no open redirect."""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.test_object_permissions import all_routes, path_for, world  # noqa: F401 (world is a fixture)

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)


def problems_in(html: str) -> list[str]:
    found = [m.group(0) for m in INLINE_SCRIPT.finditer(html)]
    found += [m.group(0)[:80] for m in HANDLER.finditer(html)]
    found += [m.group(0) for m in JS_URL.finditer(html)]
    return found


def test_no_template_carries_inline_script_or_handlers():
    bad = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for problem in problems_in(path.read_text(encoding="utf-8")):
            bad.append(f"{path.relative_to(settings.BASE_DIR)}: {problem}")
    assert not bad, "\n".join(bad)


def test_the_policy_forbids_inline_script_and_framing(client, alice):
    client.force_login(alice)
    response = client.get(reverse("home"))
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("who", ["office", "charlie"])
def test_every_page_has_the_headers_and_no_inline_script(client, world, who, request):  # noqa: F811
    """Every URL of the app, as the office and as unit B's liaison (who owns the world's objects)."""
    client.force_login(request.getfixturevalue(who))
    bad, seen = [], 0
    for route in all_routes():
        if route.is_admin or "<" in route.route and not route.kwargs:
            continue
        path = path_for(route, world) if route.kwargs else "/" + route.route
        response = client.get(path)
        if response.status_code >= 500:
            bad.append(f"{path}: {response.status_code}")
            continue
        seen += 1
        if "no-store" not in response.get("Cache-Control", ""):
            bad.append(f"{path}: Cache-Control {response.get('Cache-Control')!r}")
        if "script-src 'self'" not in response.get("Content-Security-Policy", ""):
            bad.append(f"{path}: no Content-Security-Policy")
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            bad += [f"{path}: {p}" for p in problems_in(response.content.decode())]
    assert seen > 30 and not bad, "\n".join(bad)


def test_admin_pages_and_the_login_page_carry_the_headers(client, unit_a):
    from conftest import make_user

    anonymous = client.get(reverse("login"))
    assert anonymous["Cache-Control"] == "no-store" and "Content-Security-Policy" in anonymous
    root = make_user("root", role="office_admin", is_staff=True, is_superuser=True)
    client.force_login(root)
    for url in (reverse("admin:index"), reverse("admin:units_unit_change", args=[unit_a.pk]),
                reverse("admin:units_user_change", args=[root.pk]), reverse("admin:units_user_add")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store" and "Content-Security-Policy" in response
        assert not problems_in(response.content.decode()), url


def test_downloads_are_not_stored(client, charlie, office, world, settings):  # noqa: F811
    client.force_login(charlie)
    evidence = client.get(reverse("tasks:evidence-download", args=[world["evidence"].pk]))
    assert evidence.status_code == 200 and evidence["Cache-Control"] == "no-store"
    client.force_login(office)
    for url in (reverse("reports:summary-export") + "?year=2026", reverse("audit:audit-export"),
                reverse("tasks:notice-export-xlsx", args=[world["notice"].pk])):
        response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "no-store", url


HOSTILE_NEXT = ["//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)",
                "http://testserver.evil.example/"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_the_progress_form_never_redirects_off_site(client, charlie, world, target):  # noqa: F811
    client.force_login(charlie)
    row = world["assignment"]
    response = client.post(reverse("tasks:progress-create", args=[row.pk]), {
        "status": "in_progress", "text": "已公开。", "reported_on": "2026-11-20", "next": target,
        "version": str(row.version)})
    assert response.status_code == 302
    assert response["Location"] == row.get_absolute_url()


def test_the_progress_form_follows_a_next_on_this_site(client, charlie, world):  # noqa: F811
    client.force_login(charlie)
    row = world["assignment"]
    response = client.post(reverse("tasks:progress-create", args=[row.pk]), {
        "status": "in_progress", "text": "已公开。", "reported_on": "2026-11-20", "version": str(row.version),
        "next": "/tasks/my-ledger/?status=overdue"})
    assert response["Location"] == "/tasks/my-ledger/?status=overdue"


@pytest.mark.parametrize("target", HOSTILE_NEXT[:3])
def test_review_actions_never_redirect_off_site(client, office, world, target):  # noqa: F811
    from tasks.services import progress_record

    report = progress_record(assignment=world["assignment"], author=None, text="已完成。", status="done",
                             reported_on=world["report"].reported_on, submit_for_review=True)
    client.force_login(office)
    response = client.post(reverse("workflow:report-accept", args=[report.pk]), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("workflow:review-list")


def test_uploads_still_work_under_the_policy(client, charlie, world, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    client.force_login(charlie)
    row = world["assignment"]
    response = client.post(reverse("tasks:progress-create", args=[row.pk]), {
        "status": "in_progress", "text": "已公开。", "reported_on": "2026-11-20", "version": str(row.version),
        "files": [SimpleUploadedFile("说明.txt", "落实情况说明".encode())]})
    assert response.status_code == 302
