"""Fixtures of the cross-cutting tests: a migrated database file for subprocesses (backup, two servers)."""
import shutil

import pytest

from tests.support import env_for, manage


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory):
    """A migrated SQLite file, made once per test session; tests copy it."""
    folder = tmp_path_factory.mktemp("template-db")
    path = folder / "db.sqlite3"
    manage(env_for(f"sqlite:///{path}", folder / "media"), "migrate", "--noinput", "-v", "0")
    return path


@pytest.fixture
def sqlite_db(migrated_sqlite_template, tmp_path):
    """(DATABASE_URL, media folder, env) of a fresh migrated SQLite file for this test."""
    path = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite_template, path)
    media = tmp_path / "media"
    media.mkdir()
    url = f"sqlite:///{path}"
    return url, media, env_for(url, media)
