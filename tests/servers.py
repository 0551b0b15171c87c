"""Real app servers (gunicorn) in subprocesses, and a small browser-like HTTP client for them (stdlib only)."""
from __future__ import annotations

import http.cookiejar
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from tests.support import BASE_DIR, env_for, free_port

PASSWORD = "Govopen-2026!"

# Units, a liaison, a notice with one item assigned to the unit: what the journey needs.
SEED = f"""
import datetime
from units.models import Government, Unit, User
from tasks.models import Item, Notice
from tasks.parsing import parse_doc_number
from tasks.services import item_sync_assignments
government = Government.objects.create(name="测试区人民政府", short_name="测试区")
unit = Unit.objects.create(government=government, name="测试区教育局", short_name="区教育局", sort_order=20)
User.objects.create_user(username="jiaoyu", password="{PASSWORD}", unit=unit, government=government, role="liaison",
                         display_name="张超")
doc = parse_doc_number("测政办〔2026〕3号")
notice = Notice.objects.create(government=government, doc_number=doc.text, issuer_code=doc.issuer_code, doc_year=doc.year,
                               doc_serial=doc.serial, title="关于印发2026年政务公开工作主要任务分解表的通知",
                               work_year=2026)
item = Item.objects.create(notice=notice, number=1, requirement="公开教育收费标准。",
                           responsible_units_text=["区教育局"], deadline=datetime.date(2026, 12, 31))
item_sync_assignments(item=item)
print(item.assignments.get().pk)
"""


def production_env(database_url: str, media_root, secret_key: str) -> dict:
    """DJANGO_DEBUG off, as deployed on a plain-HTTP intranet (the documented opt-outs)."""
    return env_for(database_url, media_root, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secret_key,
                   DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", DJANGO_SECURE_SSL_REDIRECT="0",
                   DJANGO_HSTS_SECONDS="0", DJANGO_SECURE_COOKIES="0")


class AppServer:
    """One gunicorn server on a free loopback port; stopped (by its own process id) on exit."""

    def __init__(self, env: dict, log_path):
        self.env, self.log_path = env, log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "govopen.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--timeout", "60"],
            cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited: {self.log_path.read_text(errors='replace')}")
            try:
                urllib.request.urlopen(self.url + "/accounts/login/", timeout=2).read()
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise AssertionError(f"server on {self.url} did not start: {self.log_path.read_text(errors='replace')}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Browser:
    """Cookies shared across servers (cookies do not depend on the port), CSRF tokens taken from forms."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, dict]:
        req = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode("utf-8", errors="replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", errors="replace"), dict(error.headers)

    def get(self, url: str):
        return self.request(url)

    def csrf_from(self, url: str) -> str:
        status, html, _ = self.get(url)
        assert status == 200, (url, status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post(self, url: str, fields: dict, files: dict | None = None, form_url: str | None = None):
        fields = {"csrfmiddlewaretoken": self.csrf_from(form_url or url), **fields}
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request(url, body, {"Content-Type": content_type, "Referer": form_url or url})

    def session_cookie(self) -> str | None:
        return next((c.value for c in self.jar if c.name == "sessionid"), None)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        quoted = urllib.parse.quote(filename)
        parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{quoted}"; '
                      f"filename*=UTF-8''{quoted}\r\nContent-Type: {content_type}\r\n\r\n").encode()
                     + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def new_secret_key() -> str:
    return secrets.token_urlsafe(50)
