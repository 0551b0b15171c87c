"""A small HTTP/1.1 client on asyncio streams, and a bounded load generator on top of it (stdlib only).

``Connection`` keeps its socket open between requests while the server allows it (gunicorn's sync workers
close after every response; the client then reconnects, the way wrk does). ``load`` drives one request
shape over ``connections`` concurrent connections until a time limit or a request budget is reached,
whichever comes first; requests in flight at the limit are waited for (each has its own timeout), so a
run never takes longer than ``duration + timeout``. A request that times out counts at the timeout (the
figures are then lower bounds, ``LoadResult.timeouts`` says how many) and ends its connection's turn.
Every response goes through ``check``: the first answer it rejects (a non-200, a login page, the wrong
content) or a broken connection stops the run and is raised as ``LoadError``.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from devtools.benchmark.timing import percentile

MAX_HEADER_BYTES = 64 * 1024


class LoadError(Exception):
    """A Chinese message: a response was not what the page should answer, or the server did not answer."""


@dataclass
class Request:
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        headers = {"Accept-Encoding": "identity", "User-Agent": "govopen-benchmark", **self.headers}
        if self.body or self.method == "POST":
            headers["Content-Length"] = str(len(self.body))
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", " (except set-cookie)
    body: bytes
    cookies: dict[str, str] = field(default_factory=dict)  # name → value of every Set-Cookie

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def _parse_head(head: bytes) -> tuple[int, str, dict[str, str], dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise LoadError(f"服务器的回答不是HTTP：{lines[0][:80]!r}")
    headers: dict[str, str] = {}
    cookies: dict[str, str] = {}
    for line in lines[1:]:
        if not line or ":" not in line:
            continue
        name, value = line.split(":", 1)
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            pair = value.split(";", 1)[0]
            if "=" in pair:
                key, cookie = pair.split("=", 1)
                cookies[key.strip()] = cookie.strip().strip('"')
            continue
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return int(parts[1]), parts[0], headers, cookies


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                pass
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)


class Connection:
    """One client connection to ``host:port``, reopened whenever the server closed it."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0  # how many times a socket was opened (tests: keep-alive is used when offered)

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=MAX_HEADER_BYTES)
        self.opened += 1

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, request: Request) -> Response:
        reused = self.writer is not None
        try:
            return await self._exchange(request)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            self.close()
            # A kept-alive socket the server closed in the meantime: retry once on a fresh one.
            if reused and (isinstance(exc, ConnectionError) or not exc.partial):
                return await self._exchange(request)
            raise

    async def _exchange(self, request: Request) -> Response:
        if self.writer is None:
            await self._open()
        self.writer.write(request.encode(f"{self.host}:{self.port}"))
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status, version, headers, cookies = _parse_head(head[:-4])
        if request.method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            body = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            body = await _read_chunked(self.reader)
        elif "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        connection = headers.get("connection", "").lower()
        if "close" in connection or (version == "HTTP/1.0" and "keep-alive" not in connection):
            self.close()
        return Response(status, headers, body, cookies)


@dataclass
class LoadResult:
    """What one run measured: each completed request's latency, over the run's wall time."""

    connections: int
    latencies: list[float] = field(default_factory=list)  # seconds
    elapsed: float = 0.0
    timeouts: int = 0  # requests unanswered within the timeout: counted at the timeout (a lower bound)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies, 50) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies, 95) * 1000


Check = Callable[[Response], "str | None"]


def expect(marker: str | bytes = b"", *, refuse: Sequence[str | bytes] = ()) -> Check:
    """A check: status 200, ``marker`` in the body, none of ``refuse`` (e.g. the login form) in it."""
    want = marker.encode() if isinstance(marker, str) else marker
    unwanted = [r.encode() if isinstance(r, str) else r for r in refuse]

    def check(response: Response) -> str | None:
        if response.status != 200:
            where = response.header("location")
            return f"返回了 {response.status}，不是 200" + (f"（跳转到 {where}）" if where else "")
        for text in unwanted:
            if text in response.body:
                return f"返回的是不该出现的页面（含“{text.decode(errors='replace')}”，例如登录页）"
        if want and want not in response.body:
            return f"返回内容中没有“{want.decode(errors='replace')}”"
        return None

    return check


async def load(host: str, port: int, requests: Sequence[Request], *, connections: int, duration: float,
               max_requests: int, check: Check, timeout: float = 60.0, label: str = "") -> LoadResult:
    """Run ``connections`` connections for ``duration`` seconds or ``max_requests`` requests in all.

    Connection ``i`` sends ``requests[i % len(requests)]`` (one logged-in session per connection).
    Latency is measured from writing the request to reading the last byte of the answer.
    """
    if connections < 1 or max_requests < 1 or not requests:
        raise ValueError("connections, max_requests and requests must be positive")
    result = LoadResult(connections=connections)
    started = time.perf_counter()
    deadline = started + duration
    issued = 0
    failures: list[str] = []
    last_done = started

    async def worker(index: int) -> None:
        nonlocal issued, last_done
        request = requests[index % len(requests)]
        client = Connection(host, port)
        try:
            while not failures and issued < max_requests and time.perf_counter() < deadline:
                issued += 1
                begun = time.perf_counter()
                try:
                    response = await asyncio.wait_for(client.request(request), timeout)
                except TimeoutError:
                    # Slow is a result, not an error: record the timeout as the latency (a lower bound) and
                    # stop this connection, so the run still ends within duration + timeout.
                    result.timeouts += 1
                    result.latencies.append(timeout)
                    last_done = max(last_done, time.perf_counter())
                    return
                except (OSError, asyncio.IncompleteReadError, LoadError) as exc:
                    failures.append(f"{label} {request.path}：连接出错（{exc}）")
                    return
                done = time.perf_counter()
                problem = check(response)
                if problem:
                    failures.append(f"{label} {request.path}：{problem}")
                    return
                result.latencies.append(done - begun)
                last_done = max(last_done, done)
        finally:
            client.close()

    await asyncio.gather(*(worker(i) for i in range(connections)))
    if failures:
        raise LoadError(failures[0].strip())
    result.elapsed = last_done - started
    return result


def run_sync(coroutine):
    """Run ``coroutine`` to completion from synchronous code: on a fresh event loop, in a thread of its own
    when this thread already runs one (Playwright's sync API in the same test session does)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run_load(*args, **kwargs) -> LoadResult:
    """``load`` from synchronous code (a fresh event loop per run)."""
    return run_sync(load(*args, **kwargs))


async def fetch(host: str, port: int, request: Request, *, timeout: float = 60.0) -> Response:
    """One request on its own connection."""
    client = Connection(host, port)
    try:
        return await asyncio.wait_for(client.request(request), timeout)
    finally:
        client.close()
