"""`manage.py check --deploy` with production settings (the variables of docs/operations.md) finds nothing."""
import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "govopen.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "zwgk.example.gov.cn",
    "DATABASE_URL": "sqlite:////tmp/govopen-deploy-check.sqlite3",
}
OPT_OUTS = ("DJANGO_SECURE_SSL_REDIRECT", "DJANGO_HSTS_SECONDS", "DJANGO_SECURE_COOKIES", "DJANGO_HSTS_PRELOAD",
            "DJANGO_HSTS_INCLUDE_SUBDOMAINS", "DJANGO_DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE")  # the last one is set by conftest.py for the browser tests only


def check_deploy(**extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in OPT_OUTS}
    env.update(PRODUCTION, **extra)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def settings_values(**extra) -> dict:
    """The security settings as production computes them, read in one subprocess."""
    env = {k: v for k, v in os.environ.items() if k not in OPT_OUTS}
    env.update(PRODUCTION, **extra)
    code = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({n: "
            "getattr(s, n) for n in ['SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', "
            "'CSRF_COOKIE_SECURE', 'SILENCED_SYSTEM_CHECKS']}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True,
                         text=True, check=True, timeout=60).stdout
    return json.loads(out)


def test_production_settings_pass_the_deploy_check():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert settings_values() == {"SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000,
                                 "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
                                 "SILENCED_SYSTEM_CHECKS": ["security.W021"]}  # HSTS preload is opt-in


def test_an_intranet_without_https_opts_out_explicitly_and_still_passes():
    opt_out = {"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_HSTS_SECONDS": "0", "DJANGO_SECURE_COOKIES": "0"}
    result = check_deploy(**opt_out)
    assert result.returncode == 0, result.stdout + result.stderr
    values = settings_values(**opt_out)
    assert values["SECURE_SSL_REDIRECT"] is False and values["SESSION_COOKIE_SECURE"] is False
    assert set(values["SILENCED_SYSTEM_CHECKS"]) == {"security.W004", "security.W008", "security.W010",
                                                     "security.W016", "security.W021"}


def test_the_check_is_live_a_weak_key_is_reported():
    result = check_deploy(DJANGO_SECRET_KEY="short")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_hsts_preload_can_be_turned_on():
    result = check_deploy(DJANGO_HSTS_PRELOAD="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert settings_values(DJANGO_HSTS_PRELOAD="1")["SILENCED_SYSTEM_CHECKS"] == []
