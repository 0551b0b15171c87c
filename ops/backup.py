"""Backup, restore and verification of the database and the uploaded files (manage.py backup / restore /
verify_backup).

A backup is one tar file (gzip-compressed when its name ends in .gz or .tgz) holding

    manifest.json       what was backed up: database kind, row count of every table, every media file's
                        size and SHA-256, the applied migrations
    database.sqlite3    SQLite: a consistent copy made with sqlite3's online backup API, or
    database.pgdump     PostgreSQL: pg_dump -Fc, taken from the same snapshot the row counts were read in
    media/…             the uploaded files (when they live in the local folder; an object store backs up itself)

verify_backup restores the database part into a scratch file or scratch database, counts the rows of
every table and compares them, and the media files' checksums, with the manifest.
"""
from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup, restore or verification that cannot go on; the message is Chinese."""


@dataclass
class VerifyResult:
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _db(alias: str = "default") -> dict:
    return settings.DATABASES[alias]


def vendor(alias: str = "default") -> str:
    return connections[alias].vendor


# --- PostgreSQL helpers ------------------------------------------------------------------------------------

def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(args: list[str], env: dict) -> None:
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"找不到命令 {args[0]}：请安装 PostgreSQL 客户端（如 apt-get install postgresql-client）。") from exc
    if result.returncode != 0:
        raise BackupError(f"{args[0]} 执行失败：{result.stderr.strip()[:2000]}")


def _pg_connect(db: dict, name: str | None = None):
    import psycopg2

    return psycopg2.connect(dbname=name or db["NAME"], user=db.get("USER") or None,
                            password=db.get("PASSWORD") or None, host=db.get("HOST") or None,
                            port=db.get("PORT") or None)


def _pg_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_dump(db: dict, target: Path) -> dict[str, int]:
    """pg_dump -Fc of the database, and the row counts read in the very snapshot the dump is taken from."""
    conn = _pg_connect(db)
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _pg_counts(cursor)
            _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  "-f", str(target), db["NAME"]], _pg_env(db))
        conn.rollback()
    finally:
        conn.close()
    return counts


def _pg_restore(db: dict, dump: Path, name: str) -> None:
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "-d", name, str(dump)], _pg_env(db))


# --- SQLite helpers ----------------------------------------------------------------------------------------

def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _sqlite_path(db: dict) -> str:
    name = str(db["NAME"])
    if name in ("", ":memory:") or "mode=memory" in name:
        raise BackupError("当前数据库是内存数据库，无法备份或恢复。")
    return name


def _sqlite_copy(source: str, target: str) -> None:
    """A consistent copy of a live database: sqlite3's online backup API, never a plain file copy."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


# --- media -------------------------------------------------------------------------------------------------

def _local_media_root() -> Path | None:
    """MEDIA_ROOT when uploads are stored in the local (or shared, mounted) folder; None for an object store."""
    from django.core.files.storage import FileSystemStorage, storages

    storage = storages["default"]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(block)
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return _sha256(handle)


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


# --- backup ------------------------------------------------------------------------------------------------

def _tar_mode(path: Path, write: bool) -> str:
    gz = path.name.endswith((".gz", ".tgz"))
    return ("w:gz" if gz else "w") if write else ("r:gz" if gz else "r")


def _migrations(alias: str) -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def backup(output: Path, *, alias: str = "default", now: datetime.datetime | None = None) -> dict:
    """Write a backup of the database and the local media folder to `output`; returns the manifest."""
    output = Path(output)
    if output.exists():
        raise BackupError(f"文件 {output} 已存在：请换一个文件名，以免覆盖已有备份。")
    output.parent.mkdir(parents=True, exist_ok=True)
    db, kind = _db(alias), vendor(alias)
    manifest = {"format": FORMAT, "created_at": (now or datetime.datetime.now(datetime.UTC)).isoformat(),
                "database": {"vendor": kind, "name": str(db["NAME"])}, "migrations": _migrations(alias)}
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "sqlite":
            dump = Path(tmp) / SQLITE_NAME
            _sqlite_copy(_sqlite_path(db), str(dump))
            with sqlite3.connect(dump) as conn:
                manifest["database"]["tables"] = _sqlite_counts(conn)
        elif kind == "postgresql":
            dump = Path(tmp) / PG_NAME
            manifest["database"]["tables"] = _pg_dump(db, dump)
        else:
            raise BackupError(f"不支持备份 {kind} 数据库（仅支持 PostgreSQL 和 SQLite）。")
        root = _local_media_root()
        files = _media_files(root) if root else []
        manifest["media"] = {
            "stored": "local" if root else "object-storage",
            "files": {str(p.relative_to(root)): {"size": p.stat().st_size, "sha256": _file_sha256(p)}
                      for p in files},
        }
        partial = output.with_name(output.name + ".partial")
        try:
            # Readable by the owner only (0600): the backup holds password hashes and sessions.
            handle = os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
            with handle, tarfile.open(fileobj=handle, mode=_tar_mode(output, write=True)) as archive:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(datetime.datetime.now().timestamp())
                archive.addfile(info, fileobj=io.BytesIO(data))
                archive.add(dump, arcname=dump.name)
                for path in files:
                    archive.add(path, arcname=f"{MEDIA_DIR}/{path.relative_to(root)}")
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.rename(output)  # a half-written backup never carries the final name
    return manifest


# --- reading a backup --------------------------------------------------------------------------------------

def _open(path: Path) -> tarfile.TarFile:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}。")
    try:
        return tarfile.open(path, _tar_mode(path, write=False))
    except tarfile.TarError as exc:
        raise BackupError(f"{path} 不是有效的备份文件（{exc}）。") from exc


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, json.JSONDecodeError, TypeError) as exc:
        raise BackupError("备份文件中没有有效的清单（manifest.json），可能不完整或已损坏。") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式版本 {manifest.get('format')} 不受支持。")
    return manifest


def _extract_database(archive: tarfile.TarFile, manifest: dict, into: Path) -> Path:
    name = SQLITE_NAME if manifest["database"]["vendor"] == "sqlite" else PG_NAME
    try:
        member = archive.getmember(name)
    except KeyError as exc:
        raise BackupError(f"备份文件中缺少数据库部分（{name}）。") from exc
    archive.extract(member, into, filter="data")
    return into / name


def _media_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    return [m for m in archive.getmembers() if m.isfile() and m.name.startswith(MEDIA_DIR + "/")]


# --- restore -----------------------------------------------------------------------------------------------

def restore(path: Path, *, alias: str = "default") -> dict:
    """Replace the database (and the local media files) with the backup's; returns the manifest."""
    db, kind = _db(alias), vendor(alias)
    with _open(path) as archive, tempfile.TemporaryDirectory() as tmp:
        manifest = read_manifest(archive)
        if manifest["database"]["vendor"] != kind:
            raise BackupError(f"备份来自 {manifest['database']['vendor']} 数据库，不能恢复到当前的 {kind} 数据库。")
        dump = _extract_database(archive, manifest, Path(tmp))
        connections[alias].close()
        if kind == "sqlite":
            _sqlite_copy(str(dump), _sqlite_path(db))
        else:
            _pg_restore(db, dump, db["NAME"])
        root = _local_media_root()
        if root is not None:
            for member in _media_members(archive):
                member.name = member.name[len(MEDIA_DIR) + 1:]
                archive.extract(member, root, filter="data")
    return manifest


# --- verification ------------------------------------------------------------------------------------------

def verify(path: Path, *, alias: str = "default") -> VerifyResult:
    """Restore the backup's database into a scratch copy and compare row counts and media with the manifest."""
    result = VerifyResult()
    with _open(path) as archive, tempfile.TemporaryDirectory() as tmp:
        manifest = read_manifest(archive)
        expected: dict[str, int] = manifest["database"]["tables"]
        dump = _extract_database(archive, manifest, Path(tmp))
        if manifest["database"]["vendor"] == "sqlite":
            actual = _verify_sqlite(dump, result)
        else:
            actual = _verify_postgresql(dump, alias)
        for table in sorted(set(expected) | set(actual)):
            if table not in actual:
                result.problems.append(f"数据表 {table} 在恢复后的副本中不存在。")
            elif table not in expected:
                result.problems.append(f"数据表 {table} 不在清单中。")
            elif expected[table] != actual[table]:
                result.problems.append(f"数据表 {table}：清单记录 {expected[table]} 行，恢复后 {actual[table]} 行。")
        result.tables, result.rows = len(actual), sum(actual.values())
        _verify_media(archive, manifest, result)
    return result


def _verify_sqlite(dump: Path, result: VerifyResult) -> dict[str, int]:
    scratch = dump.with_name("scratch.sqlite3")
    _sqlite_copy(str(dump), str(scratch))  # restore exactly as `restore` does, into a scratch file
    with sqlite3.connect(scratch) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            result.problems.append(f"SQLite 完整性检查未通过：{check}")
        return _sqlite_counts(conn)


def _verify_postgresql(dump: Path, alias: str) -> dict[str, int]:
    db = _db(alias)
    if vendor(alias) != "postgresql":
        raise BackupError("校验 PostgreSQL 备份需要连接一个 PostgreSQL 服务器（DATABASE_URL）。")
    scratch = f"govopen_verify_{uuid.uuid4().hex[:12]}"
    admin = _pg_connect(db)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{scratch}"')
        try:
            _pg_restore(db, dump, scratch)
            conn = _pg_connect(db, scratch)
            try:
                with conn.cursor() as cursor:
                    return _pg_counts(cursor)
            finally:
                conn.close()
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    finally:
        admin.close()


def _verify_media(archive: tarfile.TarFile, manifest: dict, result: VerifyResult) -> None:
    expected = manifest.get("media", {}).get("files", {})
    seen = set()
    for member in _media_members(archive):
        name = member.name[len(MEDIA_DIR) + 1:]
        seen.add(name)
        digest = _sha256(archive.extractfile(member))
        if name not in expected:
            result.problems.append(f"附件 {name} 不在清单中。")
        elif digest != expected[name]["sha256"]:
            result.problems.append(f"附件 {name} 的校验值与清单不符，文件可能已损坏。")
    for name in sorted(set(expected) - seen):
        result.problems.append(f"附件 {name} 在备份中缺失。")
    result.media_files = len(seen)


def describe(manifest: dict) -> str:
    from django.utils import timezone

    from core.dates import cn_date

    taken = timezone.localtime(datetime.datetime.fromisoformat(manifest["created_at"]))
    tables = manifest["database"]["tables"]
    media = manifest.get("media", {})
    files = (f"附件 {len(media.get('files', {}))} 个" if media.get("stored") == "local"
             else "附件保存在对象存储中，未包含在本备份内（请使用对象存储自身的备份或版本功能）")
    return (f"备份时间 {cn_date(taken)} {taken:%H:%M}；数据库（{manifest['database']['vendor']}）{len(tables)} 张表、"
            f"{sum(tables.values())} 行；{files}")
