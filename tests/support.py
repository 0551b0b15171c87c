"""Running manage.py and app servers in subprocesses against a database of the test's own."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables of the test process that must not leak into a "production" subprocess.
DROP = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_MEDIA_ROOT"}


def env_for(database_url: str, media_root: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in DROP}
    env.update({"DJANGO_SETTINGS_MODULE": "govopen.settings", "DATABASE_URL": database_url,
                "DJANGO_MEDIA_ROOT": str(media_root), "DJANGO_DEBUG": "1"}, **extra)
    return env


def manage(env: dict, *args: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, input=input,
                            capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def shell(env: dict, code: str) -> str:
    return manage(env, "shell", "-v", "0", "-c", code).stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


class ScratchPostgres:
    """A database of its own on the PostgreSQL server DATABASE_URL points at; dropped at the end."""

    def __init__(self):
        import dj_database_url

        self.server = dj_database_url.parse(os.environ["DATABASE_URL"])
        self.name = f"govopen_t_{uuid.uuid4().hex[:10]}"

    def _admin(self):
        import psycopg2

        s = self.server
        conn = psycopg2.connect(dbname="postgres", user=s.get("USER") or None, password=s.get("PASSWORD") or None,
                                host=s.get("HOST") or None, port=s.get("PORT") or None)
        conn.autocommit = True
        return conn

    @property
    def url(self) -> str:
        s = self.server
        auth = s.get("USER") or ""
        if s.get("PASSWORD"):
            auth += f":{s['PASSWORD']}"
        return f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{self.name}"

    def __enter__(self):
        conn = self._admin()
        try:
            with conn.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            conn.close()
        return self

    def __exit__(self, *exc):
        conn = self._admin()
        try:
            with conn.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            conn.close()
