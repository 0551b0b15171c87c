"""Statistics of the register for a year: per month, per outcome, share answered on time, average working
days to answer; for one unit, or for the whole government with a row per unit."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from disclosure.clock import working_days_taken
from disclosure.models import OUTCOME_CHOICES, Application
from disclosure.querysets import year_bounds
from workflow.calendar import WorkCalendar


def _summary(answered: list[tuple], cal: WorkCalendar) -> dict:
    """answered: (received_on, answered_on, due_on) of the applications answered in the year."""
    with_due = [a for a in answered if a[2] is not None]
    on_time = sum(1 for a in with_due if a[1] <= a[2])
    days = [working_days_taken(a[0], a[1], calendar=cal) for a in answered]
    return {"answered": len(answered), "on_time": on_time, "late": len(with_due) - on_time,
            "on_time_share": round(100 * on_time / len(with_due), 1) if with_due else None,
            "average_days": round(sum(days) / len(days), 1) if days else None}


def register_stats(*, year: int, unit=None, user) -> dict:
    first, last = year_bounds(year)
    apps = Application.objects.visible_to(user).for_unit(unit)
    received = apps.filter(received_on__gte=first, received_on__lte=last)
    answered_qs = apps.filter(answered_on__gte=first, answered_on__lte=last)
    per_month = {m: {"received": 0, "answered": 0} for m in range(1, 13)}
    for row in received.annotate(m=ExtractMonth("received_on")).values("m").annotate(n=Count("id")).order_by():
        per_month[row["m"]]["received"] = row["n"]
    for row in answered_qs.annotate(m=ExtractMonth("answered_on")).values("m").annotate(n=Count("id")).order_by():
        per_month[row["m"]]["answered"] = row["n"]
    by_outcome = dict(answered_qs.values_list("outcome").annotate(n=Count("id")).order_by())
    outcomes = [(label, by_outcome.get(code, 0)) for code, label in OUTCOME_CHOICES]
    cal = WorkCalendar()
    rows = list(answered_qs.values_list("unit_id", "unit__short_name", "received_on", "answered_on", "due_on"))
    total = _summary([r[2:] for r in rows], cal)
    total["received"] = received.count()
    total["open_at_year_end"] = apps.filter(received_on__lte=last).exclude(answered_on__lte=last).count()
    units = []
    if unit is None:
        grouped = defaultdict(list)
        names = {}
        for r in rows:
            grouped[r[0]].append(r[2:])
            names[r[0]] = r[1]
        counts = dict(received.values_list("unit_id").annotate(n=Count("id")).order_by())
        for unit_id, name in (apps.filter(unit_id__in=set(grouped) | set(counts))
                              .values_list("unit_id", "unit__short_name").distinct()
                              .order_by("unit__sort_order", "unit__short_name")):
            summary = _summary(grouped.get(unit_id, []), cal)
            units.append({"unit_id": unit_id, "name": name, "received": counts.get(unit_id, 0), **summary})
    return {"per_month": [(m, v["received"], v["answered"]) for m, v in per_month.items()],
            "outcomes": outcomes, "total": total, "units": units}
