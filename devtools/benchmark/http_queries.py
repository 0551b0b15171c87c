"""Queries per page for the HTTP phase: each page fetched twice in-process through Django's test client, as the
page's role, on the database the server will use, and the queries of the second request counted
(CaptureQueriesContext) — as tasks/tests/test_page_query_budgets.py does: the first request of a session writes
it anew, and anything a page caches is in the cache by then, as it is for the load that follows.

The count is what one request of a logged-in browser costs: the session read and its save
(SESSION_SAVE_EVERY_REQUEST), the user, the navigation's unread count, then the page's own queries, and the
BEGIN and COMMIT of the request's and the session save's transactions — where a test counts four savepoints
instead, so the figures compare with the budgets of tasks/tests/test_page_query_budgets.py. Downloads are not counted (they run for seconds and their queries are batched).
"""
from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from devtools.benchmark.http_pages import Page
from units.models import User

GOAL = 8  # issue 18: at most 8 queries per page, the same whatever the page size


def count(page_list: list[Page], users: dict[str, User]) -> dict[str, int]:
    """Page key → queries of one request (pages that did not answer 200 are left out)."""
    counts: dict[str, int] = {}
    clients: dict[str, Client] = {}
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], SECURE_SSL_REDIRECT=False,
                           ROOT_URLCONF="devtools.benchmark.http_urls"):
        for page in page_list:
            if page.export:
                continue
            client = clients.get(page.role)
            if client is None:
                client = clients[page.role] = Client()
                client.force_login(users[page.role])
            client.get(page.path, secure=True)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page.path, secure=True)
            if response.status_code == 200:
                counts[page.key] = len(captured.captured_queries)
    return counts


def verdict(counts: dict[str, int], goal: int = GOAL) -> str:
    """One Chinese sentence: the range of the counts and the pages past the goal."""
    if not counts:
        return "没有可计数的页面"
    over = sorted(((n, key) for key, n in counts.items() if n > goal), reverse=True)
    spread = f"{min(counts.values())}–{max(counts.values())}次"
    if not over:
        return f"{len(counts)}个页面{spread}，都不超过{goal}次"
    listed = "、".join(f"{key}（{n}）" for n, key in over)
    return f"{len(counts)}个页面{spread}，{len(over)}个超过{goal}次：{listed}"
