"""Ledger measurements through Django's test Client, logged in as an office user.

* queries per page with 10, 50 and 100 rows (must be equal: no N+1);
* p50/p95 of the ledger page against the plain-template baseline, for a unit+year filter, the
  unfiltered first page and a deep page;
* every sortable column of ``LedgerTable`` against the default order (unfiltered first page).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devtools.benchmark.plain import PLAIN_URL
from devtools.benchmark.timing import Timing, interleaved
from tasks.models import Assignment
from tasks.tables import LedgerTable

PAGE_SIZES = (10, 50, 100)


def count_rows(html: str) -> int:
    """Rows in the page's table body (the ledger's and the baseline's)."""
    start = html.find("<tbody")
    return html.count("<tr", start, html.find("</tbody>", start)) if start >= 0 else 0


class LedgerCheckError(Exception):
    """A Chinese message: a page did not answer as expected."""


class Pages:
    """GET the ledger and the baseline as one logged-in user; every answer must be a 200."""

    def __init__(self, user):
        self.client = Client()
        self.client.force_login(user)
        self.ledger_url = reverse("tasks:ledger")

    def _get(self, url, params):
        response = self.client.get(url, params, secure=True)  # production settings redirect plain HTTP
        if response.status_code != 200:
            raise LedgerCheckError(f"请求 {url}?{params} 返回了 {response.status_code}，不是 200。")
        return response

    def ledger(self, params):
        return self._get(self.ledger_url, params)

    def plain(self, params):
        return self._get(PLAIN_URL, params)


def orderable_columns() -> list[str]:
    table = LedgerTable(Assignment.objects.none(), today=None, user=None)
    return [column.name for column in table.columns if column.orderable]


def query_counts(pages: Pages) -> dict[int, tuple[int, int]]:
    """per_page → (queries, rows shown) on the unfiltered ledger."""
    pages.ledger({})  # warm the session
    counts = {}
    for per_page in PAGE_SIZES:
        with CaptureQueriesContext(connection) as ctx:
            response = pages.ledger({"per_page": per_page})
        counts[per_page] = (len(ctx.captured_queries), count_rows(response.content.decode()))
    return counts


def _row_queries(queries: list[dict]) -> list[str]:
    """The SQL that fetched the page's rows: every query on the ledger table but the row count.

    The LIMIT is left out of the comparison: on the last page the paginator asks for just the rows that
    are left (LIMIT 34), where the baseline, which does not count, asks for a full page (LIMIT 50).
    """
    table = Assignment._meta.db_table
    return [re.sub(r"LIMIT \d+", "LIMIT n", q["sql"]) for q in queries
            if re.search(rf'FROM "?{table}"?', q["sql"]) and "COUNT(" not in q["sql"].upper()]


def same_query(pages: Pages, params: dict) -> bool:
    """Whether the baseline fetched its rows with exactly the SQL the ledger used."""
    with CaptureQueriesContext(connection) as ledger_ctx:
        pages.ledger(params)
    with CaptureQueriesContext(connection) as plain_ctx:
        pages.plain(params)
    plain_sql = _row_queries(plain_ctx.captured_queries)
    ledger_sql = _row_queries(ledger_ctx.captured_queries)
    return bool(plain_sql) and all(sql in ledger_sql for sql in plain_sql)


@dataclass
class Scenario:
    key: str
    label: str
    params: dict
    ledger: Timing | None = None
    plain: Timing | None = None
    same_sql: bool = False
    rows: int = 0

    @property
    def ratio_p50(self) -> float:
        return self.ledger.p50_ms / self.plain.p50_ms

    @property
    def ratio_p95(self) -> float:
        return self.ledger.p95_ms / self.plain.p95_ms


def scenarios(*, unit_id: int, year: int, total_rows: int, per_page: int = 50) -> list[Scenario]:
    deep = max(1, math.ceil(total_rows / per_page / 2))
    return [
        Scenario("filtered", f"单位+年度筛选（{year}年）", {"unit": unit_id, "year": year}),
        Scenario("unfiltered", "不筛选首页", {}),
        Scenario("deep", f"深页（第{deep:,}页）", {"page": deep}),
    ]


def ledger_vs_plain(pages: Pages, cases: list[Scenario], *, repeat: int) -> list[Scenario]:
    for case in cases:
        case.same_sql = same_query(pages, case.params)
        case.rows = count_rows(pages.ledger(case.params).content.decode())
        timings = interleaved({"ledger": lambda p=case.params: pages.ledger(p),
                               "plain": lambda p=case.params: pages.plain(p)}, repeat=repeat)
        case.ledger, case.plain = timings["ledger"], timings["plain"]
    return cases


@dataclass
class SortResult:
    sort: str
    timing: Timing
    default: Timing

    @property
    def ratio(self) -> float:
        return self.timing.p95_ms / self.default.p95_ms


def sorts(pages: Pages, *, repeat: int) -> list[SortResult]:
    """Each sortable column, both directions, against the default order, taking turns."""
    results = []
    for column in orderable_columns():
        for sort in (column, f"-{column}"):
            timings = interleaved({"default": lambda: pages.ledger({}),
                                   "sorted": lambda s=sort: pages.ledger({"sort": s})}, repeat=repeat)
            results.append(SortResult(sort, timings["sorted"], timings["default"]))
    return results
