"""The audit trail's hash chain (issue 16): sealed after commit, verified by `manage.py verify_audit`,
tampering found on SQLite and PostgreSQL, and on PostgreSQL refused outright for the app's role."""
import io
import os

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.chain import GENESIS, link_hash, seal_pending, verify
from audit.models import AuditEvent, AuditSeal
from audit.trail import audit_event

A = AuditEvent.Action


def verify_command():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def trail(office):
    for n in range(5):
        audit_event(office, A.EXPORT, label=f"导出{n}", message=f"第{n}次导出")
    seal_pending()
    return list(AuditEvent.objects.order_by("id"))


def test_rows_are_sealed_in_order_each_hash_covering_the_previous(trail):
    seals = list(AuditSeal.objects.order_by("seq"))
    assert [s.seq for s in seals] == list(range(1, len(trail) + 1))
    assert [s.event_id for s in seals] == [e.pk for e in trail]
    assert seals[0].previous_hash == GENESIS
    for previous, seal, event in zip([None] + seals[:-1], seals, trail, strict=True):
        expected_previous = previous.hash if previous else GENESIS
        assert seal.previous_hash == expected_previous and seal.hash == link_hash(expected_previous, event)


def test_verify_audit_says_the_chain_is_intact(trail):
    code, out, err = verify_command()
    head = AuditSeal.objects.order_by("-seq").first()
    assert code == 0 and err == ""
    assert f"审计日志哈希链完整：共 {len(trail)} 条记录，最后一环第 {head.seq} 环，哈希 {head.hash}。" in out


def test_rows_are_sealed_when_their_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            audit_event(None, A.EXPORT, label="一")
            audit_event(None, A.EXPORT, label="二")
            assert not AuditSeal.objects.exists()  # not before the commit
    assert len(callbacks) == 1  # one seal per transaction, however many rows
    assert AuditSeal.objects.count() == 2 and verify(seal_first=False).intact


def test_rows_of_a_rolled_back_transaction_are_never_sealed(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            audit_event(None, A.EXPORT, label="回滚")
            raise RuntimeError
        audit_event(None, A.EXPORT, label="保留")
    assert [s.event.object_label for s in AuditSeal.objects.all()] == ["保留"] and len(callbacks) == 1


def tamper(sql, params=()):
    """What someone with write access to the database file or tables could do, bypassing the app."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_changed_row_is_the_first_broken_link(trail):
    tamper("UPDATE audit_auditevent SET message = %s WHERE id = %s", ["改过的说明", trail[2].pk])
    code, out, err = verify_command()
    assert code == 1 and out == ""
    assert err.strip() == (f"审计日志哈希链在第 3 环断开（审计记录 #{trail[2].pk}）："
                           f"审计记录 #{trail[2].pk} 的内容与封存时不一致：记录被修改过。")


def test_a_deleted_row_or_seal_breaks_the_chain(trail):
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [trail[1].pk])
    report = verify()
    assert not report.intact and report.broken_at == 2 and f"审计记录 #{trail[1].pk} 已被删除" in report.problem


def test_a_removed_seal_breaks_the_chain(trail):
    tamper("DELETE FROM audit_auditseal WHERE seq = 4")
    report = verify(seal_first=False)
    assert not report.intact and report.broken_at == 4 and "第 4 环缺失" in report.problem


def test_a_forged_row_inserted_in_the_past_is_found(trail, office):
    """A row slipped in with a seal copied from its neighbour does not match its hash."""
    tamper("UPDATE audit_auditseal SET hash = %s WHERE seq = 2", ["0" * 64])
    report = verify(seal_first=False)
    assert not report.intact and report.broken_at in (2, 3)


postgres_only = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
                                   reason="the triggers exist on PostgreSQL only")


@postgres_only
def test_postgresql_refuses_update_delete_and_truncate_for_the_apps_role(trail):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = 'govopen_audit_probe'")
        if cursor.fetchone() is None:
            cursor.execute("CREATE ROLE govopen_audit_probe NOLOGIN")
        # Even with every table privilege, the triggers refuse: only the owner may change the trail.
        cursor.execute("GRANT ALL ON audit_auditevent, audit_auditseal TO govopen_audit_probe")
        cursor.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO govopen_audit_probe")
        cursor.execute("SET ROLE govopen_audit_probe")
    try:
        for sql in ("UPDATE audit_auditevent SET message = 'x'", "DELETE FROM audit_auditevent",
                    "TRUNCATE audit_auditevent", "UPDATE audit_auditseal SET hash = 'x'",
                    "DELETE FROM audit_auditseal", "TRUNCATE audit_auditseal"):
            with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic():
                tamper(sql)
        with transaction.atomic():  # adding rows is what the app does, and it works
            audit_event(None, A.OTHER, label="应用角色写入")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert verify().intact
