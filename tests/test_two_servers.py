"""Two stateless app servers on one database: what one server does, the other shows; one session for both.

Also: a server recovers by itself when PostgreSQL drops its connections (a restart), and the database
cache table is there after migrate.
"""
import pytest

from tests.servers import PASSWORD, SEED, AppServer, Browser, new_secret_key, production_env
from tests.support import ScratchPostgres, env_for, manage, on_postgresql, shell


def migrated_postgres_env(scratch, media):
    env = env_for(scratch.url, media)
    manage(env, "migrate", "--noinput", "-v", "0")
    return env


def journey(database_url, media, tmp_path, seed_env):
    """Sign in on server 1, record progress with a file there, read both back through server 2."""
    assignment = shell(seed_env, SEED).splitlines()[-1]
    secret = new_secret_key()  # every server of a deployment shares the key (sessions, CSRF)
    env = production_env(database_url, media, secret)
    with AppServer(env, tmp_path / "server1.log") as one, AppServer(env, tmp_path / "server2.log") as two:
        browser = Browser()
        status, _, headers = browser.post(one.url + "/accounts/login/", {"username": "jiaoyu", "password": PASSWORD})
        assert status == 302, "login on server 1 failed"
        assert browser.session_cookie()

        page = f"/tasks/assignments/{assignment}/"
        status, _, headers = browser.post(
            one.url + page + "progress/",
            {"status": "done", "text": "已在区政府网站公开教育收费标准。", "reported_on": "2026-11-20", "version": "1"},
            files={"files": ("收费标准公示截图.pdf", b"%PDF-1.7 shared media", "application/pdf")},
            form_url=one.url + page)
        assert status == 302, "recording progress on server 1 failed"

        # Server 2: the same session cookie, the change, and the file from the shared media folder.
        status, html, _ = browser.get(two.url + page)
        assert status == 200, "the session made on server 1 does not work on server 2"
        assert "已在区政府网站公开教育收费标准。" in html and "收费标准公示截图.pdf" in html and "已完成" in html
        download = html.split('/tasks/evidence/', 1)[1].split('"', 1)[0]
        status, body, headers = browser.get(two.url + "/tasks/evidence/" + download)
        assert status == 200 and body == "%PDF-1.7 shared media"
        assert "attachment" in headers["Content-Disposition"]

        # Logging out on server 2 ends the session everywhere: the old cookie no longer works on server 1.
        old_cookie = next(c for c in browser.jar if c.name == "sessionid")
        assert browser.post(two.url + "/accounts/logout/", {}, form_url=two.url + page)[0] == 302
        replay = Browser()
        replay.jar.set_cookie(old_cookie)
        status, _, headers = replay.get(one.url + page)
        assert status == 302 and "/accounts/login/" in headers["Location"]


def test_two_servers_on_one_sqlite_database(sqlite_db, tmp_path):
    url, media, env = sqlite_db
    journey(url, media, tmp_path, env)


@pytest.mark.skipif(not on_postgresql(), reason="DATABASE_URL is not PostgreSQL")
def test_two_servers_on_one_postgresql_database(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    with ScratchPostgres() as scratch:
        env = migrated_postgres_env(scratch, media)
        journey(scratch.url, media, tmp_path, env)


@pytest.mark.skipif(not on_postgresql(), reason="DATABASE_URL is not PostgreSQL")
def test_the_app_recovers_when_postgresql_drops_its_connections(tmp_path):
    """pg_terminate_backend is what a PostgreSQL restart does to a server's kept-open connections."""
    import psycopg2

    media = tmp_path / "media"
    media.mkdir()
    with ScratchPostgres() as scratch:
        env = migrated_postgres_env(scratch, media)
        assignment = shell(env, SEED).splitlines()[-1]
        server_env = production_env(scratch.url, media, new_secret_key())
        with AppServer(server_env, tmp_path / "server.log") as server:
            browser = Browser()
            assert browser.post(server.url + "/accounts/login/", {"username": "jiaoyu", "password": PASSWORD})[0] == 302
            page = f"{server.url}/tasks/assignments/{assignment}/"
            assert browser.get(page)[0] == 200
            s = scratch.server
            admin = psycopg2.connect(dbname="postgres", user=s.get("USER") or None, password=s.get("PASSWORD") or None,
                                     host=s.get("HOST") or None, port=s.get("PORT") or None)
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = %s AND pid <> pg_backend_pid()", [scratch.name])
                assert cursor.rowcount >= 1  # the server's kept-open connection was there, and is gone
            admin.close()
            status, html, _ = browser.get(page)
            assert status == 200 and "公开教育收费标准。" in html


def test_migrate_creates_the_database_cache_table(sqlite_db):
    _url, _media, env = sqlite_db
    out = shell(env, "from django.core.cache import cache; cache.set('k', '共享缓存', 60); print(cache.get('k'))")
    assert out == "共享缓存"
