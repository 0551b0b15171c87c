"""The home page: what this user must do next, and for the office an overview of the year."""
import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import render
from django.urls import reverse

from audit.models import AuditEvent
from core.http import today as get_today
from tasks.models import Assignment, Notice
from tasks.querysets import overdue_q
from tasks.years import default_work_year, year_choices, year_data

# How many rows each to-do list shows; its header shows the exact total and 查看全部 opens the ledger.
TODO_ROWS = 10


def by_urgency(rows, work_year: int):
    """The current work year's rows first, then newer years; within a year the nearest (or most overdue)
    deadline first."""
    current_first = Case(When(year=work_year, then=Value(0)), default=Value(1), output_field=IntegerField())
    return rows.order_by(current_first, "-year", "due_date", "id")


def previous_visit(user) -> datetime.datetime | None:
    """When the user logged in before the current session (the audit trail records every login)."""
    logins = (AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, success=True,
                                        object_type=user._meta.label_lower, object_id=str(user.pk))
              .order_by("-created_at", "-id").values_list("created_at", flat=True)[:2])
    logins = list(logins)
    return logins[1] if len(logins) == 2 else None


def todo_list(rows, work_year: int, link: str, today: datetime.date) -> dict:
    shown = list(by_urgency(rows, work_year)[:TODO_ROWS])
    for row in shown:
        row.light_color = row.light(today)
    return {"rows": shown, "total": rows.count() if len(shown) == TODO_ROWS else len(shown), "link": link}


def _todo(user, today: datetime.date, work_year: int) -> dict:
    # Rows waiting for review are the reviewer's move, not the unit's, and rows of a closed (archived)
    # year are nobody's: both off the unit's to-do list.
    own = (Assignment.objects.filter(unit_id=user.unit_id).exclude(status=Assignment.Status.PENDING_REVIEW)
           .in_open_years().with_ledger_related())
    ledger = reverse("tasks:my-ledger")
    lists = {"work_year": work_year,
        "overdue": todo_list(own.overdue(today), work_year, f"{ledger}?overdue=on&todo=on", today),
        "due_soon": todo_list(own.due_within(today, 7), work_year, f"{ledger}?due_within=7&todo=on", today),
    }
    since = previous_visit(user)
    if since is not None:
        query = urlencode({"todo": "on", "assigned_after": since.isoformat()})
        lists["new"] = todo_list(own.open().filter(created_at__gt=since), work_year, f"{ledger}?{query}", today)
        lists["new"]["since"] = since
    return lists


def _overview(user, year: int, today: datetime.date) -> dict:
    rows = Assignment.objects.visible_to(user).filter(year=year)
    totals = rows.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=Assignment.Status.DONE)),
        na=Count("id", filter=Q(status=Assignment.Status.NOT_APPLICABLE)),
        overdue=Count("id", filter=overdue_q(today)),
        unreported=Count("id", filter=Q(last_reported_on__isnull=True)),
    )
    late_units = (rows.overdue(today).values("unit__short_name", "unit_id").annotate(n=Count("id"))
                  .order_by("-n", "unit__short_name")[:10])
    return {"year": year, "totals": totals, "late_units": list(late_units),
            "notices": Notice.objects.visible_to(user).filter(work_year=year).annotate(n=Count("items", distinct=True))}


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
        ctx["todo"] = _todo(user, today, work_year)
    if user.sees_everything or user.unit_id:
        ctx["overview"] = _overview(user, year, today)
    return render(request, "home.html", ctx)
