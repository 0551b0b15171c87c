"""The benchmark's HTTP phase, piece by piece: the asyncio client and load generator against a tiny local
server, the RESULT_HTTP line, and the gunicorn launcher's start and cleanup (no database involved)."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devtools.benchmark import http_pages, http_run
from devtools.benchmark.http_client import (
    Connection,
    LoadError,
    LoadResult,
    Request,
    expect,
    fetch,
    load,
    run_load,
    run_sync,
)
from devtools.benchmark.http_server import GunicornServer, ServerError
from devtools.benchmark.report import RESULT_HTTP_RE, result_http_line

LOGIN_PAGE = '<form><input type="password" name="password"></form>'


class TinyServer:
    """An HTTP/1.1 server on asyncio streams: keep-alive, chunked, close, status codes, slow answers."""

    def __init__(self):
        self.accepted = 0
        self.requests: list[str] = []

    async def handle(self, reader, writer):
        self.accepted += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode().split("\r\n")
                path = lines[0].split(" ")[1]
                self.requests.append(path)
                length = next((int(h.split(":")[1]) for h in lines if h.lower().startswith("content-length")), 0)
                if length:
                    await reader.readexactly(length)
                keep = await self.answer(path, writer)
                await writer.drain()
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass  # the client went away, or the test is over
        finally:
            writer.close()

    async def answer(self, path: str, writer) -> bool:
        def plain(status: str, body: str, extra: str = "") -> None:
            data = body.encode()
            writer.write(f"HTTP/1.1 {status}\r\nContent-Length: {len(data)}\r\n{extra}\r\n".encode() + data)

        if path == "/ok":
            plain("200 OK", "<p>台账 marker</p>", "Set-Cookie: sessionid=abc; Path=/; HttpOnly\r\n")
        elif path == "/login":
            plain("200 OK", LOGIN_PAGE)
        elif path == "/redirect":
            plain("302 Found", "", "Location: /accounts/login/?next=/ok\r\n")
        elif path == "/missing":
            plain("404 Not Found", "没有")
        elif path == "/chunked":
            writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                         b"4\r\nPK\x03\x04\r\n6\r\nmarker\r\n0\r\n\r\n")
        elif path == "/close":
            plain("200 OK", "marker", "Connection: close\r\n")
            return False
        elif path.startswith("/slow"):
            await asyncio.sleep(float(path.split("=")[1]))
            plain("200 OK", "marker")
        return True


def serve(scenario):
    """Run ``scenario(port, server)`` (a coroutine function) against a fresh TinyServer."""
    tiny = TinyServer()

    async def main():
        server = await asyncio.start_server(tiny.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            return await scenario(port, tiny)
        finally:
            server.close()
            await server.wait_closed()

    return run_sync(main()), tiny


def test_load_counts_requests_and_keeps_connections_alive():
    async def scenario(port, tiny):
        return await load("127.0.0.1", port, [Request("/ok")], connections=3, duration=30, max_requests=30,
                          check=expect("marker"))

    result, tiny = serve(scenario)
    assert result.requests == 30 and len(tiny.requests) == 30
    assert tiny.accepted == 3  # one socket per connection, reused for every request
    assert result.rps > 0 and 0 < result.p50_ms <= result.p95_ms


def test_load_stops_at_the_time_limit():
    async def scenario(port, tiny):
        return await load("127.0.0.1", port, [Request("/slow=0.05")], connections=2, duration=0.3,
                          max_requests=10_000, check=expect("marker"))

    result, _ = serve(scenario)
    assert 4 <= result.requests <= 16  # 2 connections × 0.3 s / 0.05 s, plus the ones in flight
    assert result.p50_ms >= 50 and 0.25 < result.elapsed < 1.5


def test_reconnects_when_the_server_closes_and_reads_chunked_bodies():
    async def scenario(port, tiny):
        client = Connection("127.0.0.1", port)
        answers = [await client.request(Request(path)) for path in ("/close", "/close", "/chunked", "/ok")]
        client.close()
        return answers, client.opened

    (answers, opened), _ = serve(scenario)
    assert [a.status for a in answers] == [200, 200, 200, 200]
    assert answers[2].body == b"PK\x03\x04marker"
    assert answers[3].cookies == {"sessionid": "abc"}
    assert opened == 3  # a new socket after each "Connection: close", then one kept for /chunked and /ok


def test_percentiles_and_requests_per_second():
    result = LoadResult(connections=5, latencies=[i / 1000 for i in range(1, 101)], elapsed=2.0)
    assert (result.requests, result.rps) == (100, 50.0)
    assert (round(result.p50_ms), round(result.p95_ms)) == (50, 95)


@pytest.mark.parametrize("path, message", [
    ("/missing", "返回了 404，不是 200"),
    ("/redirect", "返回了 302，不是 200（跳转到 /accounts/login/?next=/ok）"),
    ("/login", "不该出现的页面"),
    ("/ok?other", "返回内容中没有“本单位台账”"),
])
def test_a_wrong_answer_stops_the_run(path, message):
    check = expect("本单位台账" if "other" in path else "", refuse=(http_pages.LOGIN_FORM,))

    async def scenario(port, tiny):
        if "other" in path:
            tiny.answer = _always_ok(tiny.answer)
        with pytest.raises(LoadError) as caught:
            await load("127.0.0.1", port, [Request(path)], connections=2, duration=30, max_requests=50, check=check,
                       label="测试页")
        return str(caught.value), len(tiny.requests)

    (text, sent), _ = serve(scenario)
    assert message in text and text.startswith(f"测试页 {path}")
    assert sent <= 2  # stopped at the first wrong answer (one per connection at most)


def _always_ok(answer):
    async def wrapped(path, writer):
        return await answer("/ok", writer)

    return wrapped


def test_a_request_that_takes_too_long_counts_at_the_timeout_and_does_not_hang():
    async def scenario(port, tiny):
        started = time.perf_counter()
        result = await load("127.0.0.1", port, [Request("/slow=5")], connections=2, duration=30, max_requests=10,
                            check=expect(), timeout=0.2)
        return result, time.perf_counter() - started

    (result, took), tiny = serve(scenario)
    assert took < 2 and len(tiny.requests) == 2  # each connection stops after its timeout
    assert (result.timeouts, result.requests, round(result.p95_ms)) == (2, 2, 200)


def test_run_load_from_synchronous_code_and_sessions_per_connection():
    tiny = TinyServer()
    seen = []

    async def main():
        server = await asyncio.start_server(tiny.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        requests = [Request("/ok", headers={"Cookie": f"sessionid=s{i}"}) for i in range(3)]
        result = await load("127.0.0.1", port, requests, connections=3, duration=5, max_requests=3,
                            check=lambda r: seen.append(r.status))
        server.close()
        return result

    assert run_sync(main()).requests == 3 and seen == [200, 200, 200]
    with pytest.raises(ValueError):
        run_load("127.0.0.1", 1, [], connections=1, duration=1, max_requests=1, check=expect())


def test_login_posts_the_form_with_its_csrf_token():
    """The login flow against a fake login page: token from the form, Origin and Referer, cookies kept."""
    posted = {}

    class LoginServer(TinyServer):
        async def handle(self, reader, writer):
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode().split("\r\n")
            headers = {h.split(":", 1)[0].lower(): h.split(":", 1)[1].strip() for h in lines[1:] if ":" in h}
            body = await reader.readexactly(int(headers.get("content-length", 0)))
            if lines[0].startswith("GET"):
                page = b'<input type="hidden" name="csrfmiddlewaretoken" value="tok123">'
                writer.write(b"HTTP/1.1 200 OK\r\nSet-Cookie: csrftoken=c1; Path=/\r\nConnection: close\r\n"
                             + f"Content-Length: {len(page)}\r\n\r\n".encode() + page)
            else:
                posted.update(headers=headers, body=body.decode())
                writer.write(b"HTTP/1.1 302 Found\r\nLocation: /\r\nSet-Cookie: csrftoken=c2; Path=/\r\n"
                             b"Set-Cookie: sessionid=sess9; Path=/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            writer.close()

    async def main():
        fake = LoginServer()
        server = await asyncio.start_server(fake.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            return port, await http_pages.login(port, "benchmark-liaison", "pw&1")
        finally:
            server.close()

    port, cookies = run_sync(main())
    assert cookies == {"csrftoken": "c2", "sessionid": "sess9"}
    assert "csrfmiddlewaretoken=tok123" in posted["body"] and "password=pw%261" in posted["body"]
    assert posted["headers"]["cookie"] == "csrftoken=c1"
    assert posted["headers"]["origin"] == f"https://127.0.0.1:{port}"
    assert posted["headers"]["x-forwarded-proto"] == "https"


def test_result_http_line_is_exact():
    line = result_http_line(min_rps=0.94, ledger_rps=43.25, my_ledger_rps=11.0, home_rps=9.46, search_p95_ms=23456.4,
                            worst="ledger.q", worst_p95_ms=24999.6)
    assert line == ("RESULT_HTTP min_rps=0.9 ledger_rps=43.2 my_ledger_rps=11.0 home_rps=9.5 search_p95_ms=23456 "
                    "worst=ledger.q:25000")
    assert RESULT_HTTP_RE.match(line)
    assert RESULT_HTTP_RE.match(line.replace("ledger.q", "ledger.sort.-due_date"))


def test_summary_takes_the_top_level_and_leaves_out_exports_and_the_ceiling():
    def page(key, **kw):
        return http_pages.Page(key, key, "office", "/" + key, **kw)

    def m(p, connections, rps, p95):
        result = LoadResult(connections=connections, latencies=[p95 / 1000] * 20, elapsed=20 / rps)
        return http_run.Measurement(p, connections, [result])

    pages = {k: page(k) for k in ("ledger", "ledger.q", "my_ledger.liaison", "home.office", "home.liaison", "item")}
    measurements = [m(pages["ledger"], 1, 1.0, 9999)]  # not the top level: ignored
    measurements += [m(pages["ledger"], 20, 45, 400), m(pages["ledger.q"], 20, 2, 1200),
                     m(pages["my_ledger.liaison"], 20, 11, 2000), m(pages["home.office"], 20, 23, 1000),
                     m(pages["home.liaison"], 20, 9.5, 2300), m(pages["item"], 20, 60, 100),
                     m(page("minimal", ceiling=True), 20, 600, 1), m(page("export.summary", export=True), 3, 0.1, 90000)]
    assert http_run.summarise(measurements, top=20) == (
        "RESULT_HTTP min_rps=2.0 ledger_rps=45.0 my_ledger_rps=11.0 home_rps=9.5 search_p95_ms=1200 "
        "worst=home.liaison:2300")
    assert http_run.export_levels((1, 5, 20), 3) == (1, 3)
    table = http_run.table(measurements, {"home.liaison": 9, "item": 6})
    assert "请求/秒" in table and "home.liaison" in table
    liaison_row = next(line for line in table.splitlines() if "home.liaison" in line)
    assert liaison_row.endswith(" 9!")  # past the goal of 8 queries
    assert next(line for line in table.splitlines() if " item " in line).endswith(" 6")


def test_each_figure_is_the_median_of_its_rounds():
    page = http_pages.Page("ledger", "全部台账", "office", "/ledger/")

    def round_(rps, p50, p95, timeouts=0):
        latencies = [p50 / 1000] * 10 + [p95 / 1000] * 10
        return LoadResult(connections=20, latencies=latencies, elapsed=20 / rps, timeouts=timeouts)

    two = http_run.Measurement(page, 20, [round_(40, 100, 300), round_(60, 200, 500, timeouts=1)])
    assert (two.rps, two.p50_ms, two.p95_ms) == (50, 150, 400)  # of two rounds: their mean
    assert (two.requests, two.timeouts) == (40, 1)
    three = http_run.Measurement(page, 20, [round_(10, 100, 900), round_(80, 300, 200), round_(40, 200, 400)])
    assert (three.rps, three.p50_ms, three.p95_ms) == (40, 200, 400)  # each figure its own median

def test_every_page_key_fits_the_result_line():
    keys = ["ledger.sort.-last_reported_on", "my_ledger.liaison.todo", "export.summary", "home.leader"]
    for key in keys:
        assert RESULT_HTTP_RE.match(f"RESULT_HTTP min_rps=1.0 ledger_rps=1.0 my_ledger_rps=1.0 home_rps=1.0 "
                                    f"search_p95_ms=1 worst={key}:1")


TINY_WSGI = '''
def app(environ, start_response):
    body = b"<p>ok</p>"
    start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))])
    return [body]
'''


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_gunicorn_server_starts_and_is_stopped_with_its_workers_even_on_error(tmp_path):
    (tmp_path / "tiny_wsgi.py").write_text(TINY_WSGI)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    server = GunicornServer(env=env, log_path=tmp_path / "g.log", workers=2, wsgi="tiny_wsgi:app", start_timeout=30)
    with pytest.raises(RuntimeError, match="boom"), server:
        assert server.running
        answer = run_sync(fetch("127.0.0.1", server.port, Request("/anything")))
        assert answer.status == 200 and b"ok" in answer.body
        first = server.process.pid
        server.restart()  # after timeouts: a fresh server, the old one and its workers gone
        assert server.running and not _group_alive(first)
        assert run_sync(fetch("127.0.0.1", server.port, Request("/again"))).status == 200
        raise RuntimeError("boom")
    assert not server.running
    assert not _group_alive(server.process.pid)  # the workers are gone too


def test_a_server_that_cannot_start_is_reported_and_cleaned_up(tmp_path):
    server = GunicornServer(env=dict(os.environ), log_path=tmp_path / "g.log", workers=1,
                            wsgi="no_such_module_here:app", start_timeout=30)
    with pytest.raises(ServerError, match="gunicorn"):
        with server:
            pass
    assert not server.running


def test_stop_kills_a_process_group_that_ignores_sigterm(tmp_path):
    server = GunicornServer(env=dict(os.environ), log_path=Path(tmp_path / "g.log"))
    server.process = subprocess.Popen([sys.executable, "-c", "import signal, time; "
                                       "signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); "
                                       "time.sleep(60)"], start_new_session=True, stdout=subprocess.PIPE)
    server.process.stdout.readline()  # the handler is in place
    started = time.monotonic()
    server.stop(grace=0.3)
    assert server.process.returncode == -signal.SIGKILL and time.monotonic() - started < 5
    assert not _group_alive(server.process.pid)


def test_sigterm_during_the_http_phase_unwinds_through_the_server_cleanup():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt), http_run._terminated_as_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # interrupted long before
    assert signal.getsignal(signal.SIGTERM) is before


def test_runs_from_code_that_already_has_an_event_loop():
    """Playwright's sync API leaves a running loop in the test session's thread: the client copes."""
    async def inside():
        return run_sync(asyncio.sleep(0, result="done"))

    assert run_sync(inside()) == "done"
