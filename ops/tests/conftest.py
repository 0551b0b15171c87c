"""The backup tests use the cross-cutting fixtures of tests/ (a migrated SQLite file for subprocesses)."""
from tests.conftest import migrated_sqlite_template, sqlite_db  # noqa: F401
