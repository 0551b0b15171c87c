"""The HTTP phase: every page of the navigation through gunicorn, as logged-in people, at 1, 5 and 20 connections.

Each page is first fetched up to three times (untimed: it checks the answers and warms the workers), then
driven for ``seconds`` at each connection count. Exports (downloads) run at those counts capped at the
number of workers, one request per connection. Figures: requests per second over the run's wall time, p50 and
p95 of the latencies. With ``rounds`` > 1 the whole list of pages is driven that many times over (so a slow
patch of the machine lands on different pages each time) and every figure is the median of its rounds (of
two: their mean). Before the server starts, each page is fetched once in-process through the test client to
count its queries (http_queries).

``RESULT_HTTP`` (report.result_http_line) is taken at the highest connection count:
min_rps the slowest page of the navigation (not the exports, not the minimal view); ledger_rps 全部台账's
first page; my_ledger_rps a liaison's 本单位台账; home_rps the slowest role's home page; search_p95_ms
the ledger's keyword search; worst the page with the highest p95 (same pages as min_rps).
"""
from __future__ import annotations

import asyncio
import os
import signal
import statistics
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from devtools.benchmark import http_pages, http_queries, report
from devtools.benchmark.http_client import LoadError, LoadResult, load, run_sync
from devtools.benchmark.http_server import HOST, GunicornServer, production_env

LEVELS = (1, 5, 20)


@dataclass
class Measurement:
    """One page at one connection count: the load runs of each round; the figures are their medians."""

    page: http_pages.Page
    connections: int
    rounds: list[LoadResult] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.rounds)

    @property
    def timeouts(self) -> int:
        return sum(r.timeouts for r in self.rounds)

    @property
    def rps(self) -> float:
        return statistics.median(r.rps for r in self.rounds)

    @property
    def p50_ms(self) -> float:
        return statistics.median(r.p50_ms for r in self.rounds)

    @property
    def p95_ms(self) -> float:
        return statistics.median(r.p95_ms for r in self.rounds)


@dataclass
class HttpOutcome:
    measurements: list[Measurement] = field(default_factory=list)
    result: str = ""
    seconds: float = 0.0
    queries: dict[str, int] = field(default_factory=dict)  # page key → queries of one request (not the exports)
    office_rows: int = 0
    rounds: int = 1

    def at(self, key: str, connections: int) -> Measurement:
        return next(m for m in self.measurements if m.page.key == key and m.connections == connections)


def unavailable_reason() -> str:
    """Why gunicorn could not see this database (empty when it can)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite" and (
            str(settings_dict["NAME"]) in ("", ":memory:") or "mode=memory" in str(settings_dict["NAME"])):
        return "数据库是内存中的 SQLite，另一个进程看不到它"
    if connection.in_atomic_block:
        return "基准数据在尚未提交的事务中（测试环境），另一个进程看不到它"
    return ""


def summarise(measurements: list[Measurement], *, top: int) -> str:
    """The RESULT_HTTP line from the runs at ``top`` connections."""
    at_top = [m for m in measurements if m.connections == top]
    pages = [m for m in at_top if not (m.page.export or m.page.ceiling)]

    def rps(key: str) -> float:
        return next(m.rps for m in at_top if m.page.key == key)

    worst = max(pages, key=lambda m: m.p95_ms)
    return report.result_http_line(
        min_rps=min(m.rps for m in pages), ledger_rps=rps("ledger"), my_ledger_rps=rps("my_ledger.liaison"),
        home_rps=min(m.rps for m in pages if m.page.key.startswith("home.")),
        search_p95_ms=next(m.p95_ms for m in at_top if m.page.key == "ledger.q"),
        worst=worst.page.key, worst_p95_ms=worst.p95_ms)


def table(measurements: list[Measurement], queries: dict[str, int] | None = None) -> str:
    """Requests (all rounds), the median req/s, p50 and p95, timeouts, and the page's queries per request
    (marked ``!`` past the goal of http_queries.GOAL)."""
    queries = queries or {}
    rows = []
    for m in measurements:
        bound = "≥" if m.timeouts else ""
        count = queries.get(m.page.key)
        shown = "" if count is None else f"{count}{'!' if count > http_queries.GOAL else ''}"
        rows.append([m.page.label, m.page.key, str(m.connections), str(m.requests), f"{m.rps:.1f}",
                     f"{bound}{m.p50_ms:.0f}", f"{bound}{m.p95_ms:.0f}", str(m.timeouts or ""), shown])
    return report.grid(["页面", "键", "连接数", "请求数", "请求/秒", "p50毫秒", "p95毫秒", "超时", "查询数"], rows,
                       right=(2, 3, 4, 5, 6, 7, 8))


REQUIRED = ("minimal", "ledger", "my_ledger.liaison", "ledger.q")  # and every home page: RESULT_HTTP's pages


def selected(page_list: list[http_pages.Page], only: str) -> list[http_pages.Page]:
    """The pages whose key starts with one of ``only``'s comma-separated prefixes, plus those RESULT_HTTP needs
    (exactly those: ``ledger`` is the ledger's first page, not every ledger.* page)."""
    prefixes = tuple(part.strip() for part in only.split(",") if part.strip())
    return [p for p in page_list if p.key in REQUIRED or p.key.startswith(("home.", *prefixes))]


def export_levels(levels: tuple[int, ...], workers: int) -> tuple[int, ...]:
    """Downloads run at the page levels capped at one per worker: each holds a worker for seconds, so twenty
    at once only measure the queue (and would run into the request timeout at a million rows)."""
    return tuple(sorted({min(level, workers) for level in levels}))


async def _drive(server: GunicornServer, cast: http_pages.Cast, page_list: list[http_pages.Page], *, levels: tuple[int, ...],
                 seconds: float, max_requests: int, timeout: float, workers: int, rounds: int = 1,
                 log) -> list[Measurement]:
    sessions: dict[str, list[dict]] = {}
    measurements: dict[tuple[str, int], Measurement] = {}
    for round_number in range(1, rounds + 1):
        if rounds > 1:
            log(f"第{round_number}轮（共{rounds}轮）：")
        for page in page_list:
            if page.role not in sessions:
                started = time.perf_counter()
                sessions[page.role] = await http_pages.login_sessions(
                    server.port, cast.users[page.role].username, cast.passwords[page.role], max(levels))
                log(f"  登录{max(levels)}个会话（{http_pages.ROLES[page.role]}）：{time.perf_counter() - started:.1f}秒")
            requests = http_pages.session_requests(page, sessions[page.role])
            check = page.check()
            if round_number == 1:
                warm = 1 if page.export else min(3, len(requests))
                warmed = await load(HOST, server.port, requests, connections=warm, duration=timeout,
                                    max_requests=warm, check=check, timeout=timeout, label=page.label)
                if warmed.timeouts:
                    await asyncio.to_thread(server.restart)
            figures = []
            for connections in export_levels(levels, workers) if page.export else levels:
                budget = connections if page.export else max_requests
                result = await load(HOST, server.port, requests, connections=connections, duration=seconds,
                                    max_requests=budget, check=check, timeout=timeout, label=page.label)
                if result.timeouts:
                    # The workers are still busy with the requests given up on: start afresh so that work does
                    # not slow the next figure down (sessions live in the database and survive the restart).
                    await asyncio.to_thread(server.restart)
                measurements.setdefault((page.key, connections), Measurement(page, connections)).rounds.append(result)
                figures.append(f"{connections}连接 {result.rps:.1f}/秒 p95 {'≥' if result.timeouts else ''}"
                               f"{result.p95_ms:.0f}毫秒" + (f"（{result.timeouts}次超时）" if result.timeouts else ""))
            log(f"  {page.label}：{'；'.join(figures)}")
    return list(measurements.values())


@contextmanager
def _terminated_as_interrupt():
    """SIGTERM (``timeout``, a CI job cancelled) raises KeyboardInterrupt meanwhile, so the server is stopped by
    the ``with`` block instead of being left running after this process died."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(*, year: int, levels: tuple[int, ...] = LEVELS, seconds: float = 2.0, max_requests: int = 5000,
        timeout: float = 120.0, workers: int = 3, only: str = "", rounds: int = 2, count_queries: bool = True,
        log=print) -> HttpOutcome:
    """Count each page's queries in-process, then start gunicorn on this database, log everybody in and drive
    every page ``rounds`` times over; ``only`` keeps the pages whose key starts with one of its comma-separated
    prefixes (plus the minimal view, the ledger, the liaison's 本单位台账, the home pages and the search the
    RESULT_HTTP line needs)."""
    office = http_pages.data.ensure_office_user()
    subjects = http_pages.find_subjects(office, year)
    cast = http_pages.ensure_cast(lead_unit=subjects.lead_unit, liaison_unit=subjects.liaison_unit)
    page_list = http_pages.pages(subjects)
    if only:
        page_list = selected(page_list, only)
    call_command("createcachetable", verbosity=0)  # the production cache lives in the database
    queries = {}
    if count_queries:
        started = time.perf_counter()
        queries = http_queries.count(page_list, cast.users)
        log(f"每页查询数（进程内测试客户端，数每页第二次请求）：{time.perf_counter() - started:.1f}秒；"
            + http_queries.verdict(queries))
    connection.close()  # the server's workers open their own connections; do not hold one idle meanwhile
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="govopen-bench-") as tmp, _terminated_as_interrupt():
        log_path = Path(tmp) / "gunicorn.log"
        with GunicornServer(env=production_env(), log_path=log_path, workers=workers,
                            timeout=max(60, timeout)) as server:
            load_average = "/".join(f"{x:.1f}" for x in os.getloadavg())
            log(f"gunicorn 已在 {HOST}:{server.port} 启动（{workers}个同步工作进程，DJANGO_DEBUG 关闭；"
                f"此刻机器负载 {load_average}）。")
            try:
                measurements = run_sync(_drive(server, cast, page_list, levels=levels, seconds=seconds,
                                               max_requests=max_requests, timeout=timeout, workers=workers,
                                               rounds=rounds, log=log))
            except LoadError as exc:
                raise LoadError(f"{exc}\ngunicorn 日志末尾：\n{server.log_tail()}") from exc
    outcome = HttpOutcome(measurements=measurements, seconds=time.perf_counter() - started, queries=queries,
                          office_rows=subjects.office_rows, rounds=rounds)
    outcome.result = summarise(measurements, top=max(levels))
    return outcome
