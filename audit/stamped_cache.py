"""Figures cached until the next audited change: the one cache of computed aggregates (home overview, 统计, 年报文字).

Counting a government's year reads every row of it (100,000 at 1,000,000 rows over ten years), on every visit of
the pages that show such figures. They change only when somebody changes what they count, and every such change
is audited in its own transaction (a row's status, deadline or unit, a progress report and its review, a withdrawn
or edited item, an import, a deleted notice, a renamed or re-sorted unit, a closed year, a calendar day: see
``audit.registry``, whose signals and ``audit.bulk`` record saves, deletes and bulk writes of every registered
model). So ``cached_until_audited`` keys the figures on what they describe *and* on the audit trail's stamp: the
next visit after any audited change computes them afresh, and an unchanged trail serves them from the cache.

The key's ``description`` must name everything the figures depend on besides the data: the user's visibility
scope (a queryset's SQL holds it, with the year, the notice and today's date), or the explicit values. One user's
figures are never served to another whose scope differs, because the scope is in the key.

``seconds`` bounds what the stamp cannot see: a database restored under the cache, a change written outside the
application. Two writes committing in the opposite order of their audit ids are seen (the stamp also counts the
latest ``STAMP_WINDOW`` events, so an event committed late below the newest id changes it).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import F, Func, OuterRef, Subquery

from audit.models import AuditEvent

T = TypeVar("T")

# How long computed figures are kept at most (an audited change replaces them at once).
CACHE_SECONDS = 600
# The stamp counts the events among the latest ids this wide (an index range scan of the primary key): a
# transaction's events committed after a later transaction's are seen while fewer than this many came between.
STAMP_WINDOW = 200


def audit_stamp() -> tuple:
    """(newest audit event id, its time, how many events among the newest ``STAMP_WINDOW`` ids): one query through
    the primary key's index (under a millisecond at 1,000,000 rows); it changes with every audit event committed
    since, and with one committed late below the newest id (within the window)."""
    window = (AuditEvent.objects.filter(pk__gt=OuterRef("pk") - STAMP_WINDOW).order_by()
              .annotate(n=Func(F("pk"), function="COUNT")).values("n"))
    return AuditEvent.objects.order_by("-pk").values_list("pk", "created_at", Subquery(window)).first()


def cached_until_audited(namespace: str, description: object, compute: Callable[[], T], *,
                         seconds: int = CACHE_SECONDS) -> T:
    """``compute()``, cached under ``namespace``, ``description`` (its ``str``, or each part's of a tuple: everything besides the data the
    result depends on, e.g. a queryset's SQL with the user's scope) and the audit trail's stamp (``audit_stamp``),
    for ``seconds`` at most. ``compute`` must return a picklable value other than None."""
    digest = hashlib.sha256(f"{_text(description)}|{audit_stamp()}".encode()).hexdigest()
    key = f"{namespace}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found


def _text(description: object) -> str:
    """``str`` of the description, or of each part of a tuple or list (a tuple's own ``str`` shows its parts'
    ``repr``, which for a query is its address in memory, not its SQL)."""
    if isinstance(description, tuple | list):
        return "|".join(_text(part) for part in description)
    return str(description)
