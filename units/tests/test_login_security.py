"""Login hardening: lockout by username + address with a cool-off, password rules, idle timeout, logout."""
import datetime
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent

OFFICE_NAT = "127.0.0.2"  # the address a whole office shares
HOME = "127.0.0.3"
GOOD = "Pass-word-2026"  # conftest's password


def attempt(client, username, password, address=OFFICE_NAT):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address=OFFICE_NAT):
    for _ in range(times):
        response = attempt(client, username, "wrong-password", address)
    return response


def test_five_failures_lock_that_username_from_that_address(client, alice):
    response = fail(client, "alice", 5)
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂时锁定" in page and "连续 5 次" in page and "30 分钟" in page
    # Even the right password is refused now, and nobody is signed in.
    response = attempt(client, "alice", GOOD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, alice):
    fail(client, "alice", 4)
    assert attempt(client, "alice", GOOD).status_code == 302


def test_colleagues_behind_the_same_address_can_still_sign_in(client, alice, bob):
    fail(client, "alice", 5)
    assert attempt(Client(), "bob", GOOD).status_code == 302


def test_the_same_username_from_another_address_can_still_sign_in(client, alice):
    fail(client, "alice", 5)
    assert attempt(Client(), "alice", GOOD, address=HOME).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, alice):
    from axes.models import AccessAttempt

    fail(client, "alice", 5)
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=30)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert attempt(client, "alice", GOOD).status_code == 302


def test_a_success_resets_the_failure_count(client, alice):
    fail(client, "alice", 4)
    assert attempt(client, "alice", GOOD).status_code == 302
    client.logout()
    fail(client, "alice", 4)
    assert attempt(client, "alice", GOOD).status_code == 302


def test_failed_logins_reach_the_audit_trail(client, alice):
    fail(client, "alice", 2)
    rows = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, actor_name="alice")
    assert rows.count() == 2 and rows.first().ip_address == OFFICE_NAT


@pytest.mark.parametrize("password", ["Govopen-2026!", "Zhengwu2026", "gongkai-2026!", "GONGKAI#2026"])
def test_passwords_with_three_character_classes_pass(password, db):
    validate_password(password)


@pytest.mark.parametrize("password", ["gongkaiban2026", "GONGKAIBAN-!", "zhengwu-gongkai"])
def test_passwords_with_fewer_classes_are_refused_in_chinese(password, db):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert any("大写字母、小写字母、数字、符号中的 3 类" in m for m in exc.value.messages)


def test_short_and_common_passwords_are_refused(db):
    with pytest.raises(ValidationError):
        validate_password("Ab1!")
    with pytest.raises(ValidationError):
        validate_password("1234567890")


def _at(monkeypatch, moment):
    monkeypatch.setattr("django.contrib.sessions.backends.db.timezone.now", lambda: moment)
    monkeypatch.setattr("django.contrib.sessions.backends.base.timezone.now", lambda: moment)


def test_an_idle_session_expires_after_thirty_minutes(client, alice, monkeypatch):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(alice)
    start = timezone.now()
    home = reverse("home")
    _at(monkeypatch, start + datetime.timedelta(minutes=25))
    assert client.get(home).status_code == 200  # activity slides the expiry forward
    _at(monkeypatch, start + datetime.timedelta(minutes=50))
    assert client.get(home).status_code == 200
    _at(monkeypatch, start + datetime.timedelta(minutes=81))
    response = client.get(home)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def _session_writes(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum(1 for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])


def test_pages_read_the_session_and_write_it_at_most_once_a_minute(client, alice, monkeypatch):
    """Issue 18: the idle timeout slides without a session write on every page (core.sessions)."""
    client.force_login(alice)
    start = timezone.now()
    home = reverse("home")
    assert _session_writes(client, home) == 0  # just logged in: the stored expiry is fresh
    _at(monkeypatch, start + datetime.timedelta(seconds=30))
    assert _session_writes(client, home) == 0
    _at(monkeypatch, start + datetime.timedelta(seconds=61))
    assert _session_writes(client, home) == 1  # a minute since the last write: the expiry slides forward
    stored = Session.objects.get(session_key=client.session.session_key).expire_date
    assert stored == start + datetime.timedelta(seconds=61 + settings.SESSION_COOKIE_AGE)
    _at(monkeypatch, start + datetime.timedelta(seconds=100))
    assert _session_writes(client, home) == 0


def test_a_user_clicking_every_half_minute_stays_signed_in_and_an_idle_one_is_signed_out(client, alice, monkeypatch):
    client.force_login(alice)
    start = timezone.now()
    home = reverse("home")
    for seconds in range(0, 45 * 60, 30):  # 45 minutes of work, longer than the idle timeout
        _at(monkeypatch, start + datetime.timedelta(seconds=seconds))
        assert client.get(home).status_code == 200, seconds
    last = start + datetime.timedelta(seconds=45 * 60 - 30)
    _at(monkeypatch, last + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    response = client.get(home)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_idle_timeout_is_configurable():
    env = {**os.environ, "DJANGO_SESSION_IDLE_SECONDS": "600", "DJANGO_SECRET_KEY": "x" * 50}
    code = "import govopen.settings as s; print(s.SESSION_COOKIE_AGE, s.SESSION_REFRESH_SECONDS)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=settings.BASE_DIR, check=True).stdout
    assert out.split() == ["600", "60"]


def test_logout_invalidates_the_session_cookie(client, alice):
    client.force_login(alice)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = stolen.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_lockout_and_every_attempt_during_it_are_lockout_rows_not_wrong_passwords(client, alice):
    """Issue 16: during a lockout even the right password was logged as a wrong one."""
    from axes.models import AccessAttempt

    A = AuditEvent.Action
    fail(client, "alice", 5)
    assert AuditEvent.objects.filter(action=A.LOGIN_FAILED, actor_name="alice").count() == 5
    [locked] = AuditEvent.objects.filter(action=A.LOCKOUT)
    assert locked.object_id == str(alice.pk) and locked.ip_address == OFFICE_NAT and not locked.success
    assert locked.message == f"连续 5 次登录失败，账号“alice”已从 {OFFICE_NAT} 锁定 30 分钟。"
    failures = AccessAttempt.objects.get(username="alice").failures_since_start

    assert attempt(client, "alice", GOOD).status_code == 429  # the right password, while locked
    assert attempt(client, "alice", "wrong-again").status_code == 429
    assert AuditEvent.objects.filter(action=A.LOGIN_FAILED, actor_name="alice").count() == 5  # no new "wrong"
    refused = AuditEvent.objects.filter(action=A.LOCKOUT).exclude(pk=locked.pk)
    assert refused.count() == 2
    assert {r.message for r in refused} == {"该账号已因连续登录失败被暂时锁定，本次登录被拒绝（未校验密码）。"}
    assert {r.get_action_display() for r in refused} == {"账号锁定"}
    # Attempts during the lockout neither count as failures nor restart the cool-off.
    assert AccessAttempt.objects.get(username="alice").failures_since_start == failures
