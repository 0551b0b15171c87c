"""Queries per page for the HTTP phase: each page fetched twice in-process through Django's test client, as the
page's role, on the database the server will use, and the queries of the second request counted
(CaptureQueriesContext) — as tasks/tests/test_page_query_budgets.py does: the first request of a session writes
it anew, and anything a page caches is in the cache by then, as it is for the load that follows.

The count is what one request of a logged-in browser costs: the session read (and its save, when due), the user,
then the page's own queries; transaction control (BEGIN, COMMIT, SAVEPOINT, RELEASE) is not counted, as in
tasks/tests/test_page_query_budgets.py, whose budgets the figures compare with. Downloads are not counted (they run for seconds and their queries are batched).
"""
from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from devtools.benchmark.http_pages import Page
from units.models import User

GOAL = 8  # issue 18: at most 8 queries per page, the same whatever the page size
TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


def queries_of(captured: list[dict]) -> int:
    """The SQL statements among ``captured`` (CaptureQueriesContext's), transaction control left out."""
    return sum(1 for query in captured if not TRANSACTION_CONTROL.match(query["sql"]))


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
                counts[page.key] = queries_of(captured.captured_queries)
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
