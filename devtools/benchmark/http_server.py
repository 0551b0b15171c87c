"""The app under gunicorn with production settings, for the HTTP phase of the benchmark.

``GunicornServer`` opens a listening socket on a free loopback port itself and hands it to gunicorn
(``--bind fd://N``), so there is no window in which another process could take the port. The server runs
in its own session (process group) and is always stopped on leaving the ``with`` block — SIGTERM to that
group (gunicorn's graceful shutdown), then SIGKILL if it has not exited within the grace period.

Production settings: DJANGO_DEBUG off, a throwaway secret key, ALLOWED_HOSTS 127.0.0.1, every HTTPS
setting on, and the client marks its requests as HTTPS through ``X-Forwarded-Proto`` (the documented
deployment behind a TLS-terminating reverse proxy, DJANGO_SECURE_PROXY_SSL_HEADER=1). The only change is
``devtools.benchmark.http_settings``: the site's URLs plus one minimal view (the ceiling to compare with).
"""
from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from devtools.benchmark.http_client import LoadError, Request, fetch, run_sync

HOST = "127.0.0.1"
SETTINGS_MODULE = "devtools.benchmark.http_settings"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class ServerError(Exception):
    """A Chinese message: the server did not start."""


def production_env(*, base: dict | None = None, **extra: str) -> dict:
    """The server's environment: this process's (DATABASE_URL and the rest) with production settings."""
    env = dict(os.environ if base is None else base)
    env.update({
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_PROXY_SSL_HEADER": "1",
        "DJANGO_SECURE_SSL_REDIRECT": "1",
        "DJANGO_SECURE_COOKIES": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONWARNINGS": "ignore:No directory at",  # whitenoise without collectstatic: the pages are measured
    })
    env.update(extra)
    return env


class GunicornServer:
    """``with GunicornServer(env=…, log_path=…) as server:`` — gunicorn answering on ``server.port``."""

    def __init__(self, *, env: dict, log_path: Path, workers: int = 3, timeout: float = 120,
                 start_timeout: float = 60, wsgi: str = "govopen.wsgi:application"):
        self.env, self.log_path, self.workers, self.timeout = env, Path(log_path), workers, timeout
        self.start_timeout, self.wsgi = start_timeout, wsgi
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def command(self) -> list[str]:
        return [sys.executable, "-m", "gunicorn", self.wsgi, "--workers", str(self.workers),
                "--worker-class", "sync", "--timeout", str(int(self.timeout)), "--graceful-timeout", "10",
                "--chdir", str(settings.BASE_DIR), "--error-logfile", "-", "--log-level", "warning"]

    def __enter__(self) -> GunicornServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((HOST, 0))
            listener.listen(2048)
            self.port = listener.getsockname()[1]
            fd = listener.fileno()
            os.set_inheritable(fd, True)
            self.log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop())
            self.process = subprocess.Popen([*self.command, "--bind", f"fd://{fd}"], env=self.env, pass_fds=(fd,),
                                            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
                                            cwd=settings.BASE_DIR)
        finally:
            listener.close()  # the server holds its own copy
        self._wait_ready()

    def restart(self) -> None:
        """A fresh server (on a new port): requests the clients gave up on are no longer being worked on."""
        self.stop()
        self.process = None
        self.start()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        probe = Request("/accounts/login/", headers=PROXY_HEADERS)
        last = ""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn 启动后立即退出（退出码 {self.process.returncode}）：{self.log_tail()}")
            try:
                response = run_sync(fetch(HOST, self.port, probe, timeout=5))
            except (OSError, TimeoutError, LoadError, asyncio.IncompleteReadError) as exc:
                last = str(exc)
            else:
                if response.status == 200:
                    return
                last = f"登录页返回了 {response.status}"
            time.sleep(0.3)
        raise ServerError(f"gunicorn 在{self.start_timeout:g}秒内没有就绪（{last}）：{self.log_tail()}")

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, grace: float = 20) -> None:
        """Stop the server's process group (the session it was started in), however it is doing."""
        process = self.process
        if process is not None and process.returncode is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)  # gunicorn stops its workers, then itself
                process.wait(timeout=grace)
            except ProcessLookupError:
                process.wait()
            except subprocess.TimeoutExpired:
                # Not stopped in time: kill the whole group (master and workers) while it still exists.
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=10)
        log = getattr(self, "log", None)
        if log is not None and not log.closed:
            log.close()
