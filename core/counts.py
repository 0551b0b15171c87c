"""THE row count of a long listing on PostgreSQL: exact up to EXACT_COUNT_UP_TO rows (a COUNT over a LIMIT, a
few index entries); past it the planner's estimate (at least the rows counted), shown as 约 N 行: for the whole
unfiltered table pg_class's row count, for anything else (filtered, a unit's rows) the estimate of the filtered
query. Counting every one of a few hundred thousand matching rows cost more than everything else on the page put
together. SQLite (small installs) counts exactly. Used by the ledger (tasks.tables.LedgerRows) and the audit trail."""
from django.db import connection

EXACT_COUNT_UP_TO = 1_000


def estimated_rows(queryset) -> int | None:
    """PostgreSQL's planner estimate of how many rows ``queryset`` returns (EXPLAIN, nothing is executed)."""
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def count_or_estimate(queryset, *, whole_table: bool = False) -> tuple[int, bool]:
    """(rows, is_estimate) of ``queryset`` by the rule above; ``whole_table``: the queryset is the whole
    unfiltered table (pg_class's count then serves)."""
    if connection.vendor != "postgresql":
        return queryset.count(), False
    # Only the ids are counted: an annotation (本单位台账's last report text) would be computed per row.
    limited = queryset.order_by().values("pk")[:EXACT_COUNT_UP_TO + 1]
    if whole_table:  # the table's pg_class row count read in the same round trip as the count
        counted, whole = count_with_table_estimate(limited)
    else:
        counted, whole = limited.count(), None
    if counted <= EXACT_COUNT_UP_TO:
        return counted, False
    return max(whole or estimated_rows(queryset) or 0, counted), True


def count_with_table_estimate(limited) -> tuple[int, int | None]:
    """``limited.count()`` (a sliced queryset) and, in the same query, its table's row estimate (pg_class.reltuples)."""
    sql, params = limited.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM ({sql}) counted), "
                       "(SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass)",
                       [*params, connection.ops.quote_name(limited.model._meta.db_table)])
        counted, whole = cursor.fetchone()
    return counted, (whole if whole is not None and whole >= 0 else None)
