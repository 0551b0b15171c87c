"""Deep ledger pages without reading the rows before them (PostgreSQL).

A page far into the ledger (?page=N, N × per page past tasks.tables.DEFERRED_JOIN_OFFSET) costs, by OFFSET, a walk
over every index entry before it: half of a million-row ledger is 500,000 entries, about 100 ms per request. A
keyset reads only the page: the rows after the last row of the previous page in the listing's order (its sort
values, ending in the row id, so each row has its own place). This module remembers, per listing (the SQL of its
ids: visibility, filters and sort) and row position, the sort values of the row just before that position (the
*anchor*), for the pages shown recently in this process:

* a page shown by OFFSET leaves the anchor of its own first row and of the next page;
* a page with an anchor is read after the anchor: one index probe per sort column (a UNION ALL of "the same up
  to column i, after it on column i"), whatever the sort and wherever NULLs are;
* an anchor is forgotten after ANCHOR_SECONDS. Within that time a page found through an anchor starts after the
  same row as before, even when rows were added, removed or re-sorted before it meanwhile (its page number is then
  off by those rows until the anchor expires); every row still comes from the listing's current query, so
  visibility and filters are exact, and paging on never skips nor repeats a row.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

ANCHOR_SECONDS = 120
ANCHORS_MAX = 4096

_anchors: OrderedDict[tuple[str, int], tuple[float, tuple]] = OrderedDict()
_lock = threading.Lock()


def forget_all() -> None:
    with _lock:
        _anchors.clear()


def order_columns(queryset) -> list[tuple[str, bool, bool]] | None:
    """The listing's order as (column attname, descending, nullable), or None when a keyset cannot follow it (an
    expression, a relation's ordering, no id at the end)."""
    query = queryset.query
    ordering = query.order_by or (query.default_ordering and queryset.model._meta.ordering) or ()
    meta = queryset.model._meta
    columns = []
    for name in ordering:
        if not isinstance(name, str) or name.startswith("?"):
            return None
        descending = name.startswith("-")
        name = name.lstrip("-")
        if name == "pk":
            name = meta.pk.attname
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if field.is_relation and name != field.attname:  # ordering by a relation follows the related model's order
            return None
        columns.append((field.attname, descending, field.null))
    if not columns or columns[-1][0] != meta.pk.attname:
        return None
    return columns


def _signature(queryset) -> str:
    sql, params = queryset.values("pk").query.sql_with_params()
    return hashlib.sha1(f"{sql}\x00{params!r}".encode()).hexdigest()


def _anchor(signature: str, position: int) -> tuple | None:
    with _lock:
        found = _anchors.get((signature, position))
        if found is None:
            return None
        expires, values = found
        if expires < time.monotonic():
            del _anchors[(signature, position)]
            return None
        return values


def _remember(signature: str, position: int, values: tuple) -> None:
    with _lock:
        key = (signature, position)
        if key in _anchors:  # an anchor lives ANCHOR_SECONDS from when it was read by OFFSET, never longer
            return
        _anchors[key] = (time.monotonic() + ANCHOR_SECONDS, values)
        while len(_anchors) > ANCHORS_MAX:
            _anchors.popitem(last=False)


def _after(column: str, descending: bool, nullable: bool, value) -> list[Q]:
    """The rows after ``value`` on one column, in PostgreSQL's order (NULL after every value ascending, before every
    value descending), as separate conditions (each one an index range)."""
    if descending:
        return [Q(**{f"{column}__isnull": False})] if value is None else [Q(**{f"{column}__lt": value})]
    if value is None:
        return []
    after = [Q(**{f"{column}__gt": value})]
    return after + [Q(**{f"{column}__isnull": True})] if nullable else after


def _same(column: str, value) -> Q:
    return Q(**{f"{column}__isnull": True}) if value is None else Q(**{column: value})


def _ids_after(queryset, columns, anchor: tuple, limit: int) -> RawSQL | None:
    """The ids of the ``limit`` rows after ``anchor``, as a subquery: a UNION ALL whose every part is one index
    range (the same values up to column i, after the anchor on column i), then the first ``limit`` of them."""
    names = [column for column, _, _ in columns]
    parts = []
    same = Q()
    for (column, descending, nullable), value in zip(columns, anchor, strict=True):
        for after in _after(column, descending, nullable, value):
            parts.append(queryset.filter(same & after).values_list("pk", *names)[:limit])
        same &= _same(column, value)
    if not parts:
        return None
    listing = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    sql, params = listing.query.sql_with_params()
    quote = connection.ops.quote_name
    order = ", ".join(f"k.{quote(column)} {'DESC' if descending else 'ASC'}" for column, descending, _ in columns)
    return RawSQL(f"SELECT k.{quote('pk')} FROM ({sql}) k ORDER BY {order} LIMIT {int(limit)}", params)


def _sort_values(row, columns) -> tuple:
    return tuple(getattr(row, column) for column, _, _ in columns)


def page_rows(queryset, start: int, stop: int) -> list | None:
    """Rows start..stop of ``queryset`` in its order, in one query: after the anchor when one is known, else the
    ids by OFFSET (from the row before the page, whose sort values become the page's anchor); either way only the
    page's rows are joined. None where a keyset cannot follow the order (the caller reads by OFFSET)."""
    if connection.vendor != "postgresql" or start < 1:
        return None
    columns = order_columns(queryset)
    if columns is None:
        return None
    signature = _signature(queryset)
    anchor = _anchor(signature, start)
    if anchor is not None:
        ids = _ids_after(queryset, columns, anchor, stop - start)
        rows = [] if ids is None else list(queryset.filter(pk__in=ids))
    else:
        rows = list(queryset.filter(pk__in=queryset.values("pk")[start - 1:stop]))
        if not rows:
            return []
        _remember(signature, start, _sort_values(rows[0], columns))
        rows = rows[1:]
    if len(rows) == stop - start:
        _remember(signature, stop, _sort_values(rows[-1], columns))
    return rows
