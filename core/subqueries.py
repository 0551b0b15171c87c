"""THE way to test a column against a subquery of ids so that an index serves it, also inside an OR."""
from django.db import connection
from django.db.models import BooleanField, F, Func, Q


class _EqualsAny(Func):
    """``lhs = ANY(rhs)``, a condition (Django would parenthesise an expression on the right of ``=``)."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def any_of(field: str, subquery) -> Q:
    """``field`` is one of the values ``subquery`` (one column) selects.

    On PostgreSQL ``field = ANY(ARRAY(subquery))``: the subquery runs once (an InitPlan) and its array is an
    index condition, so ``Q(a=…) | any_of("b", …)`` is a BitmapOr of two index scans. ``field IN (subquery)``
    inside an OR is a hashed SubPlan the planner can only test row by row, over the whole table. Elsewhere (SQLite)
    the plain IN."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        return Q(_EqualsAny(F(field), ArraySubquery(subquery.order_by())))
    return Q(**{f"{field}__in": subquery})
