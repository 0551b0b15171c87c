"""The home page: what this user must do next, and for the office an overview of the year."""
import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator

from audit.models import AuditEvent
from audit.stamped_cache import cached_until_audited
from core.http import today as get_today
from tasks.models import Assignment, Item, Notice
from tasks.querysets import overdue_q
from tasks.tables import url_maker
from tasks.years import default_work_year, year_choices, year_data

# How many rows each to-do list shows; its header shows the exact total and 查看全部 opens the ledger.
TODO_ROWS = 10
# The overview's per-unit counts of a year are kept this long at most; any audited change (a row, a report, a
# unit, a closed year …) starts a new cache entry at once (see unit_counts).
OVERVIEW_CACHE_SECONDS = 600


def previous_visit(user) -> datetime.datetime | None:
    """When the user logged in before the current session (the audit trail records every login)."""
    logins = (AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, success=True,
                                        object_type=user._meta.label_lower, object_id=str(user.pk))
              .order_by("-created_at", "-id").values_list("created_at", flat=True)[:2])
    logins = list(logins)
    return logins[1] if len(logins) == 2 else None


def todo_list(rows, work_year: int, link: str, today: datetime.date, *, few: bool = False,
              other_years: bool = True) -> dict:
    """``few``, ``other_years``: see AssignmentQuerySet.most_urgent."""
    shown = with_urls(rows.most_urgent(work_year, TODO_ROWS, few=few, other_years=other_years),
                      "tasks:assignment-detail")
    for row in shown:
        row.light_color = row.light(today)
        row.short_text = truncated(row.item.title or row.item.requirement, 40)
    return {"rows": shown, "total": rows.count() if len(shown) == TODO_ROWS else len(shown), "link": link}


def _todo(user, today: datetime.date, work_year: int, data_years) -> dict:
    # Rows waiting for review are the reviewer's move, not the unit's, and rows of a closed (archived)
    # year are nobody's: both off the unit's to-do list.
    own = (Assignment.objects.of_own_unit(user).exclude(status=Assignment.Status.PENDING_REVIEW)
           .in_open_years().for_ledger_page())
    ledger = reverse("tasks:my-ledger")
    lists = {"work_year": work_year,
        # A row's year is its notice's work year: without notices of another year there are no other rows.
        "overdue": todo_list(own.overdue(today), work_year, f"{ledger}?overdue=on&todo=on", today,
                             other_years=any(year != work_year for year in data_years)),
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
    per_unit = rows.order_by().values("unit_id", "unit__short_name", "unit_sort_order").annotate(**counts)
    # A government's year (up to 100,000 rows) is cached; a unit's own year is a few thousand index entries.
    per_unit = unit_counts(per_unit) if user.sees_everything else list(per_unit)
    totals = {name: sum(unit[name] for unit in per_unit) for name in counts}
    late_units = []
    if user.sees_everything:  # only the office's and leaders' overview lists them
        # Units in their fixed order, never ranked by their counts (issue 17: no rankings); the 11th says "more".
        late = sorted((unit for unit in per_unit if unit["overdue"]), key=lambda u: (u["unit_sort_order"], u["unit__short_name"]))
        late_units = [{"unit_id": u["unit_id"], "unit__short_name": u["unit__short_name"], "n": u["overdue"]}
                      for u in late[:11]]
    item_count = Item.objects.filter(notice_id=OuterRef("pk")).order_by().values("notice_id").annotate(n=Count("id"))
    return {"year": year, "totals": totals, "late_units": late_units[:10], "more_late_units": len(late_units) > 10,
            "notices": [setattr(n, "short_title", truncated(n.title, 50)) or n for n in with_urls(
                notices.only("id", "doc_number", "title").annotate(n=Coalesce(Subquery(item_count.values("n")), 0)),
                "tasks:notice-detail")]}


def truncated(text: str, length: int) -> str:
    """The template filter truncatechars's result, its machinery (translation lookups, normalisation) only for a
    text that is too long: the home page shortens a hundred texts, nearly all short enough."""
    return text if len(text) <= length else Truncator(text).chars(length)


def with_urls(rows, url_name: str) -> list:
    """The rows, each with its page's address as ``url`` (the URL resolved once, not once per row)."""
    url = url_maker(url_name)
    rows = list(rows)
    for row in rows:
        row.url = url(row.pk)
    return rows


def unit_counts(query) -> list[dict]:
    """``list(query)`` (the overview's counts per unit), cached: counting a government's year reads every one of
    its rows (100,000 at 1,000,000 rows over ten years, about 100 ms), on every visit of the office's and the
    leaders' home page.

    Keyed on the query itself (its SQL with the user's scope, the year and today's date) and the audit trail:
    see audit.stamped_cache."""
    return cached_until_audited("home-overview", query.query, lambda: list(query), seconds=OVERVIEW_CACHE_SECONDS)


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
        todo = _todo(user, today, work_year, data_years)
        # The office's own unit rarely has rows: its empty cards would only push the district's overview down.
        if not user.sees_everything or any(todo[k]["total"] for k in ("overdue", "due_soon", "new") if k in todo):
            ctx["todo"] = todo
    if user.sees_everything or user.unit_id:
        ctx["overview"] = _overview(user, year, today)
    return render(request, "home.html", ctx)
