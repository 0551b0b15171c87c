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


def estimated_row_count(model) -> int | None:
    """PostgreSQL's planner estimate of the table's rows (pg_class.reltuples); None where there is none."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                       [connection.ops.quote_name(model._meta.db_table)])
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


def count_or_estimate(queryset, *, whole_table: bool = False) -> tuple[int, bool]:
    """(rows, is_estimate) of ``queryset`` by the rule above; ``whole_table``: the queryset is the whole
    unfiltered table (pg_class's count then serves)."""
    if connection.vendor != "postgresql":
        return queryset.count(), False
    counted = queryset.order_by()[:EXACT_COUNT_UP_TO + 1].count()
    if counted <= EXACT_COUNT_UP_TO:
        return counted, False
    whole = estimated_row_count(queryset.model) if whole_table else None
    return max(whole or estimated_rows(queryset) or 0, counted), True
