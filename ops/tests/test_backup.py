"""manage.py backup / restore / verify_backup, run as an operator would, on a database of the test's own."""
import io
import json
import tarfile

import pytest

from tests.support import ScratchPostgres, env_for, manage, on_postgresql, shell

MAKE_DATA = """
from units.models import Government, Unit
government = Government.objects.create(name="测试区人民政府", short_name="测试区")
for n in range(1, 31):
    Unit.objects.create(government=government, name=f"测试单位{n}", short_name=f"单位{n}", sort_order=n)
"""
COUNT_UNITS = "from units.models import Unit; print(Unit.objects.count())"


def add_media(media):
    folder = media / "evidence" / "2026" / "7"
    folder.mkdir(parents=True)
    (folder / "佐证材料.pdf").write_bytes(b"%PDF-1.7 evidence")
    return folder / "佐证材料.pdf"


def round_trip(env, media, tmp_path):
    """Back up, verify, lose data, restore, and find it back."""
    shell(env, MAKE_DATA)
    evidence = add_media(media)
    output = tmp_path / "备份" / "govopen-2026-11-23.tar.gz"
    result = manage(env, "backup", "--output", str(output))
    assert "备份完成" in result.stdout and "附件 1 个" in result.stdout
    verified = manage(env, "verify_backup", str(output))
    assert "备份校验通过" in verified.stdout and "附件 1 个校验无误" in verified.stdout

    shell(env, "from units.models import Unit; Unit.objects.filter(short_name__startswith='单位').delete()")
    evidence.unlink()
    assert shell(env, COUNT_UNITS) == "0"

    restored = manage(env, "restore", str(output), "--noinput")
    assert "恢复完成" in restored.stdout
    assert shell(env, COUNT_UNITS) == "30"
    assert evidence.read_bytes() == b"%PDF-1.7 evidence"
    return output


def test_sqlite_backup_verify_and_restore(sqlite_db, tmp_path):
    _url, media, env = sqlite_db
    round_trip(env, media, tmp_path)


@pytest.mark.skipif(not on_postgresql(), reason="DATABASE_URL is not PostgreSQL")
def test_postgresql_backup_verify_and_restore(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    with ScratchPostgres() as scratch:
        env = env_for(scratch.url, media)
        manage(env, "migrate", "--noinput", "-v", "0")
        output = round_trip(env, media, tmp_path)
        assert "database.pgdump" in tarfile.open(output).getnames()


def rewrite(source, target, change):
    """Copy a backup, passing every member through change(name, bytes) -> bytes."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = change(member.name, old.extractfile(member).read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


@pytest.fixture
def good_backup(sqlite_db, tmp_path):
    _url, media, env = sqlite_db
    shell(env, MAKE_DATA)
    add_media(media)
    output = tmp_path / "good.tar.gz"
    manage(env, "backup", "--output", str(output))
    return env, output


def test_verify_finds_row_counts_that_do_not_match_the_manifest(good_backup, tmp_path):
    env, output = good_backup

    def fewer_units(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["tables"]["units_unit"] += 1
        return json.dumps(manifest).encode()

    rewrite(output, tmp_path / "bad.tar.gz", fewer_units)
    result = manage(env, "verify_backup", str(tmp_path / "bad.tar.gz"), check=False)
    assert result.returncode != 0
    assert "数据表 units_unit：清单记录 31 行，恢复后 30 行。" in result.stderr
    assert "备份校验未通过" in result.stderr


def test_verify_finds_a_damaged_media_file(good_backup, tmp_path):
    env, output = good_backup
    rewrite(output, tmp_path / "bad.tar.gz", lambda name, data: b"damaged" if name.endswith(".pdf") else data)
    result = manage(env, "verify_backup", str(tmp_path / "bad.tar.gz"), check=False)
    assert result.returncode != 0 and "校验值与清单不符" in result.stderr


def test_an_existing_backup_is_never_overwritten(good_backup):
    env, output = good_backup
    result = manage(env, "backup", "--output", str(output), check=False)
    assert result.returncode != 0 and "已存在" in result.stderr


def test_restore_asks_first_and_no_means_nothing_changes(good_backup):
    env, output = good_backup
    shell(env, "from units.models import Unit; Unit.objects.filter(short_name='单位1').delete()")
    result = manage(env, "restore", str(output), input="no\n", check=False)
    assert result.returncode != 0 and "已取消" in result.stderr
    assert shell(env, COUNT_UNITS) == "29"


def test_a_file_that_is_not_a_backup_is_refused(sqlite_db, tmp_path):
    _url, _media, env = sqlite_db
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all")
    result = manage(env, "verify_backup", str(junk), check=False)
    assert result.returncode != 0 and "不是有效的备份文件" in result.stderr


def test_the_backup_is_readable_by_its_owner_only(good_backup):
    """It holds password hashes and sessions: 0600 whatever the umask (issue 16)."""
    import stat

    _env, output = good_backup
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
