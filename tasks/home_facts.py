"""What the home page's panels of other features need to know before they read anything, asked in the home
page's one counting query (tasks/views/home.py) instead of one query per panel.

A feature registers, in its AppConfig.ready, a maker per fact: ``maker(user, today)`` returns an expression
without outer references (an Exists, or CountOf a queryset) that the counting query selects once, or None when
the fact is false (0) for that user without asking. The home page hands the values to its template as
``panel_facts`` (name → value); a panel's template tag reads its fact there and skips its own queries when
there is nothing to show (workflow: reports to review, chases; disclosure: applications near their deadline).
Pages without ``panel_facts`` (tests rendering a tag alone) let the tags read everything themselves.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Expression, IntegerField, Subquery

HOME_FACTS: dict[str, Callable[[object, datetime.date], Expression | None]] = {}


class CountOf(Subquery):
    """A scalar subquery: how many rows ``queryset`` has (0 when none), for a select list or an annotation."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def fact_expressions(user, today: datetime.date) -> tuple[dict[str, Expression], dict[str, int]]:
    """(the facts to select, the facts known without asking (0))."""
    asked, known = {}, {}
    for name, make in HOME_FACTS.items():
        expression = make(user, today)
        if expression is None:
            known[name] = 0
        else:
            asked[name] = expression
    return asked, known
