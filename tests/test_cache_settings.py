"""DJANGO_CACHE_URL: the database cache by default, a shared Redis only when the redis package is there."""
import importlib.util

import pytest
from django.conf import settings

from govopen.settings import cache_from_url


def test_the_default_cache_is_the_database_shared_by_every_server():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache_from_url("db://") == {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                       "LOCATION": "govopen_cache"}
    assert settings.SESSION_ENGINE == "core.sessions"  # Django's database store, remembering the expiry it read
    from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

    from core.sessions import SessionStore
    assert issubclass(SessionStore, DatabaseStore)


def test_redis_needs_the_redis_package(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "redis" else real(name, *a))
    with pytest.raises(ValueError, match="redis package is not installed"):
        cache_from_url("redis://127.0.0.1:6379/0")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object())
    assert cache_from_url("redis://127.0.0.1:6379/0") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}


def test_an_unknown_cache_url_is_refused():
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ValueError, match="unsupported cache"):
        cache_from_url("memcached://127.0.0.1:11211")
