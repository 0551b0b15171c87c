"""The home page: what this user must do next, and for the office an overview of the year."""
import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse

from audit.models import AuditEvent
from core.http import today as get_today
from tasks.models import Assignment, Item, Notice
from tasks.querysets import overdue_q
from tasks.years import default_work_year, year_choices, year_data

# How many rows each to-do list shows; its header shows the exact total and 查看全部 opens the ledger.
TODO_ROWS = 10
# Within a year the nearest (or most overdue) deadline first and rows without a date (持续推进) last, on every
# database (SQLite sorts NULL first; PostgreSQL's index order already puts them last).
DUE_FIRST = F("due_date").asc(nulls_last=True)


def most_urgent(rows, work_year: int, limit: int) -> list:
    """The ``limit`` most urgent rows: the current work year's first, then the other years, newest first;
    within a year the nearest (or most overdue) deadline first.

    Two index reads instead of one sort: the work year's rows by deadline, then, only if they are fewer than
    ``limit``, the other years' (both straight off the index (unit, -year, due_date, id) of the unit's open
    rows, so a unit's ten years of history are never sorted)."""
    shown = list(rows.filter(year=work_year).order_by(DUE_FIRST, "id")[:limit])
    if len(shown) < limit:
        shown += list(rows.exclude(year=work_year).order_by("-year", DUE_FIRST, "id")[:limit - len(shown)])
    return shown


def previous_visit(user) -> datetime.datetime | None:
    """When the user logged in before the current session (the audit trail records every login)."""
    logins = (AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, success=True,
                                        object_type=user._meta.label_lower, object_id=str(user.pk))
              .order_by("-created_at", "-id").values_list("created_at", flat=True)[:2])
    logins = list(logins)
    return logins[1] if len(logins) == 2 else None


def by_urgency(rows, work_year: int):
    """most_urgent's order as one ORDER BY (a sort of every row: for lists bounded by a short window)."""
    current_first = Case(When(year=work_year, then=Value(0)), default=Value(1), output_field=IntegerField())
    return rows.order_by(current_first, "-year", DUE_FIRST, "id")


def todo_list(rows, work_year: int, link: str, today: datetime.date, *, few: bool = False) -> dict:
    """``few``: the rows are bounded by a short window (due within 7 days, new since the last visit), so one
    sorted query costs less than most_urgent's two index reads."""
    shown = list(by_urgency(rows, work_year)[:TODO_ROWS]) if few else most_urgent(rows, work_year, TODO_ROWS)
    for row in shown:
        row.light_color = row.light(today)
    return {"rows": shown, "total": rows.count() if len(shown) == TODO_ROWS else len(shown), "link": link}


def _todo(user, today: datetime.date, work_year: int) -> dict:
    # Rows waiting for review are the reviewer's move, not the unit's, and rows of a closed (archived)
    # year are nobody's: both off the unit's to-do list.
    own = (Assignment.objects.of_own_unit(user).exclude(status=Assignment.Status.PENDING_REVIEW)
           .in_open_years().with_ledger_related())
    ledger = reverse("tasks:my-ledger")
    lists = {"work_year": work_year,
        "overdue": todo_list(own.overdue(today), work_year, f"{ledger}?overdue=on&todo=on", today),
        "due_soon": todo_list(own.due_within(today, 7), work_year, f"{ledger}?due_within=7&todo=on", today, few=True),
    }
    since = previous_visit(user)
    if since is not None:
        query = urlencode({"todo": "on", "assigned_after": since.isoformat()})
        lists["new"] = todo_list(own.open().filter(created_at__gt=since), work_year, f"{ledger}?{query}", today,
                                 few=True)
        lists["new"]["since"] = since
    return lists


def _overview(user, year: int, today: datetime.date) -> dict:
    """The year at a glance: the government's rows for office staff and leaders, the unit's own rows (本单位概况)
    for a unit's users."""
    if user.sees_everything:
        rows = Assignment.objects.visible_to(user).filter(year=year)
        notices = Notice.objects.visible_to(user).filter(work_year=year)
    else:
        rows = Assignment.objects.of_own_unit(user).filter(year=year)
        notices = Notice.objects.filter(Notice.objects.has_rows_of_unit(user.unit_id), work_year=year)
    # One pass over the year's rows, counted per unit: the totals are their sums and the units most overdue
    # their top ten (two scans of a government's year before).
    counts = {"total": Count("id"), "done": Count("id", filter=Q(status=Assignment.Status.DONE)),
              "na": Count("id", filter=Q(status=Assignment.Status.NOT_APPLICABLE)),
              "overdue": Count("id", filter=overdue_q(today)),
              "unreported": Count("id", filter=Q(last_reported_on__isnull=True))}
    per_unit = list(rows.order_by().values("unit_id", "unit__short_name", "unit_sort_order").annotate(**counts))
    totals = {name: sum(unit[name] for unit in per_unit) for name in counts}
    late_units = []
    if user.sees_everything:  # only the office's and leaders' overview lists them
        # Units in their fixed order, never ranked by their counts (issue 17: no rankings); the 11th says "more".
        late = sorted((unit for unit in per_unit if unit["overdue"]), key=lambda u: (u["unit_sort_order"], u["unit__short_name"]))
        late_units = [{"unit_id": u["unit_id"], "unit__short_name": u["unit__short_name"], "n": u["overdue"]}
                      for u in late[:11]]
    item_count = Item.objects.filter(notice_id=OuterRef("pk")).order_by().values("notice_id").annotate(n=Count("id"))
    return {"year": year, "totals": totals, "late_units": late_units[:10], "more_late_units": len(late_units) > 10,
            "notices": notices.annotate(n=Coalesce(Subquery(item_count.values("n")), 0))}


@login_required
def home(request):
    today = get_today()
    user = request.user
    data_years, closed = year_data(user)
    work_year = default_work_year(data_years, today)
    year_param = request.GET.get("year", "")
    year = int(year_param) if year_param.isdigit() else work_year
    ctx = {"today": today, "years": year_choices(data_years, today, also=[year], closed=closed), "year": year,
           "year_closed": year in closed}
    if user.unit_id:
        todo = _todo(user, today, work_year)
        # The office's own unit rarely has rows: its empty cards would only push the district's overview down.
        if not user.sees_everything or any(todo[k]["total"] for k in ("overdue", "due_soon", "new") if k in todo):
            ctx["todo"] = todo
    if user.sees_everything or user.unit_id:
        ctx["overview"] = _overview(user, year, today)
    return render(request, "home.html", ctx)
