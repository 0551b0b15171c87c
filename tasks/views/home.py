"""The home page: what this user must do next, and for the office an overview of the year."""
import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from core.http import today as get_today
from tasks.models import Assignment, Notice
from tasks.querysets import overdue_q


def _todo(user, today: datetime.date) -> dict:
    # Rows waiting for review are the reviewer's move, not the unit's: off the unit's to-do list.
    own = (Assignment.objects.filter(unit_id=user.unit_id).exclude(status=Assignment.Status.PENDING_REVIEW)
           .with_ledger_related().order_by("due_date", "id"))
    return {
        "overdue": list(own.overdue(today)[:20]),
        "due_soon": list(own.due_within(today, 7)[:20]),
    }


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
    years = sorted(set(Notice.objects.visible_to(user).values_list("work_year", flat=True)), reverse=True)
    year_param = request.GET.get("year", "")
    year = int(year_param) if year_param.isdigit() else (today.year if today.year in years else
                                                          (years[0] if years else today.year))
    ctx = {"today": today, "years": years, "year": year}
    if user.unit_id:
        ctx["todo"] = _todo(user, today)
    if user.sees_everything or user.unit_id:
        ctx["overview"] = _overview(user, year, today)
    return render(request, "home.html", ctx)
