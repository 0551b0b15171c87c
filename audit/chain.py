"""Tamper evidence for the audit trail: a hash chain over its rows.

Every audit row gets a seal (AuditSeal): its place in the chain (`seq`, 1, 2, 3 … with no gaps), the
previous seal's hash, and its own hash = SHA-256 of the previous hash and the row's content (every
column, in a fixed canonical JSON form). Changing a stored row, deleting one, or taking a seal out
breaks the chain at that point, and `manage.py verify_audit` names the first broken link.

Rows are sealed right after the transaction that wrote them commits (a row of a transaction that rolls
back never existed and is never sealed), in a short transaction of its own that holds the chain lock
(a PostgreSQL advisory lock; SQLite has one writer at a time anyway). Sealing after commit, instead of
inside the business transaction, keeps the chain lock out of the row locks of notices, items and
ledger rows, so two requests can never deadlock on it. Rows the process could not seal (it died
between commit and seal) are sealed by the next `verify_audit` or `seal_pending()`.

Both tables are append-only: the model refuses updates and deletes, and on PostgreSQL triggers refuse
UPDATE, DELETE and TRUNCATE for every role but the tables' owner (docs/operations.md: the app connects
as a role that does not own them). What the triggers cannot stop (the owner, or a copy of the database
edited offline) the chain shows.
"""
from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction

GENESIS = "0" * 64
LOCK_KEY = 0x676F76_61756474  # pg_advisory_xact_lock key of the chain ("gov" "audt")
# The columns a row's hash covers, in this order. Never change the list for existing rows: a new column
# goes into a new canonical version.
CONTENT_FIELDS = ("id", "created_at", "actor_id", "actor_name", "actor_unit_id", "ip_address", "user_agent",
                  "request_path", "action", "object_type", "object_id", "object_label", "parent_type",
                  "parent_id", "unit_id", "success", "changes", "message")


def canonical(event) -> bytes:
    """The row's content as bytes that read the same on SQLite and PostgreSQL."""
    data = {}
    for name in CONTENT_FIELDS:
        value = getattr(event, name)
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        data[name] = value
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


def link_hash(previous: str, event) -> str:
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical(event)).hexdigest()


def _lock_chain(using: str) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        elif connection.vendor == "sqlite":
            # A write statement (matching no row) takes SQLite's write lock before the chain head is read,
            # so two processes sealing at once take turns instead of both reading the same head.
            cursor.execute("UPDATE audit_auditseal SET seq = seq WHERE 1 = 0")


def seal(ids=None, *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Seal the unsealed rows among `ids` (None: every unsealed row) in id order; returns how many."""
    from audit.models import AuditEvent, AuditSeal

    with transaction.atomic(using=using):
        _lock_chain(using)
        last = AuditSeal.objects.using(using).order_by("-seq").first()
        previous, seq = (last.hash, last.seq) if last else (GENESIS, 0)
        pending = AuditEvent.objects.using(using).filter(seal__isnull=True)
        if ids is not None:
            pending = pending.filter(pk__in=list(ids))
        seals = []
        for event in pending.order_by("id").iterator(chunk_size=2000):
            seq += 1
            digest = link_hash(previous, event)
            seals.append(AuditSeal(seq=seq, event_id=event.pk, previous_hash=previous, hash=digest))
            previous = digest
        AuditSeal.objects.using(using).bulk_create(seals, batch_size=1000)
    return len(seals)


def seal_pending(*, using: str = DEFAULT_DB_ALIAS) -> int:
    return seal(None, using=using)


class _Batch:
    """The rows written in the current transaction, sealed together once it commits."""

    def __init__(self, using: str):
        self.using, self.ids = using, []

    def __call__(self):
        connection = connections[self.using]
        if getattr(connection, "_govopen_audit_batch", None) is self:
            connection._govopen_audit_batch = None
        seal(self.ids, using=self.using)


def schedule_seal(event_id: int, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Seal this row when its transaction commits (at once outside a transaction)."""
    connection = connections[using]
    batch = getattr(connection, "_govopen_audit_batch", None)
    # A batch whose callback was dropped (its transaction or savepoint rolled back) is not reused.
    if batch is None or not any(entry[1] is batch for entry in connection.run_on_commit):
        batch = _Batch(using)
        if connection.in_atomic_block:
            connection._govopen_audit_batch = batch
        batch.ids.append(event_id)
        # robust: a seal that fails (a busy database) must not fail the request whose data is committed;
        # its rows stay unsealed until the next `verify_audit` / `seal_pending()` seals them.
        transaction.on_commit(batch, using=using, robust=True)
        return
    batch.ids.append(event_id)


@dataclass
class ChainReport:
    rows: int = 0
    sealed_now: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    broken_at: int | None = None  # the seq of the first broken link
    event_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(*, using: str = DEFAULT_DB_ALIAS, seal_first: bool = True, chunk: int = 2000) -> ChainReport:
    """Walk the chain from the first seal; stop at the first broken link."""
    from audit.models import AuditEvent, AuditSeal

    report = ChainReport()
    if seal_first:
        report.sealed_now = seal_pending(using=using)
    previous, expected = GENESIS, 1
    last_seq = 0
    while True:
        seals = list(AuditSeal.objects.using(using).filter(seq__gt=last_seq).order_by("seq")[:chunk])
        if not seals:
            break
        events = AuditEvent.objects.using(using).in_bulk([s.event_id for s in seals])
        for s in seals:
            problem = None
            if s.seq != expected:
                problem = f"第 {expected} 环缺失（下一环是第 {s.seq} 环）：有审计记录或其封存被删除。"
            elif s.previous_hash != previous:
                problem = "这一环记录的前一环哈希与前一环不符：封存记录被改动或删除。"
            elif s.event_id not in events:
                problem = f"审计记录 #{s.event_id} 已被删除。"
            elif link_hash(previous, events[s.event_id]) != s.hash:
                problem = f"审计记录 #{s.event_id} 的内容与封存时不一致：记录被修改过。"
            if problem:
                report.broken_at, report.event_id, report.problem = expected, s.event_id, problem
                return report
            previous, expected = s.hash, expected + 1
            report.rows += 1
            report.head_seq, report.head_hash = s.seq, s.hash
        last_seq = seals[-1].seq
    unsealed = AuditEvent.objects.using(using).filter(seal__isnull=True).order_by("id").first()
    if unsealed is not None:
        report.broken_at, report.event_id = expected, unsealed.pk
        report.problem = f"审计记录 #{unsealed.pk} 没有封存，不在哈希链中。"
    return report
