"""A local HTTP receiver for the channel tests: records every request, answers as told per path."""
from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    query: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Receiver:
    base: str = ""
    requests: list[Received] = field(default_factory=list)
    # path → list of (status, body) answers used in turn (the last one repeats); default 200 {"errcode": 0}
    answers: dict[str, list[tuple[int, bytes]]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def answer(self, path: str, *replies: tuple[int, dict | bytes]) -> None:
        self.answers[path] = [(status, body if isinstance(body, bytes) else json.dumps(body).encode())
                              for status, body in replies]

    def to(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]


def start_receiver() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            parts = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            receiver.requests.append(Received(self.command, parts.path, urllib.parse.parse_qs(parts.query), body))
            replies = receiver.answers.get(parts.path) or [(200, b'{"errcode": 0, "errmsg": "ok"}')]
            status, reply = replies.pop(0) if len(replies) > 1 else replies[0]
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        do_GET = do_POST = _handle

        def log_message(self, *args):  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server
