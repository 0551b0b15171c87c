"""Workflow fragments for pages owned by other features: the unit's chases and returned rows on the home
page and ledger, an item's chases and audit history, a ledger row's and a report's review state."""
import re

from django import template
from django.db.models import Exists, Q

from audit.models import AuditEvent
from tasks.home_facts import CountOf
from tasks.models import Assignment, ProgressReport
from workflow.chasing import chaseable
from workflow.models import Chase
from workflow.review import can_review

register = template.Library()


def _open_chases(user):
    if not user.is_authenticated or not user.unit_id:
        return Chase.objects.none()
    open_rows = chaseable(Assignment.objects.filter(unit_id=user.unit_id)).values("pk")  # not waiting for review
    return Chase.objects.filter(unit_id=user.unit_id, assignment__in=open_rows)


def _reviewable_reports(user):
    if not user.is_authenticated or not (user.is_office or user.role == user.Role.LIAISON):
        return None
    return ProgressReport.objects.filter(review_status=ProgressReport.Review.PENDING,
                                         assignment__in=Assignment.objects.reviewable_by(user))


def waiting_fact(user, today):
    """The home page's fact "waiting" (tasks.home_facts): how many reports wait for this user's review."""
    reports = _reviewable_reports(user)
    return None if reports is None else CountOf(reports)


def chases_fact(user, today):
    """The home page's fact "chases" (tasks.home_facts): whether the unit has chases on rows still open."""
    return Exists(_open_chases(user)) if user.is_authenticated and user.unit_id else None


@register.inclusion_tag("workflow/_unit_chases.html", takes_context=True)
def unit_chases_panel(context, limit=5):
    """The latest chases of the user's unit on rows still open (home page)."""
    user = context["user"]
    if not context.get("panel_facts", {}).get("chases", True):  # the home page asked already: none
        return {"chases": [], "more": False, "user": user}
    chases = _open_chases(user).select_related("assignment__notice", "item", "created_by")
    chases = list(chases[:limit + 1])
    return {"chases": chases[:limit], "more": len(chases) > limit, "user": user}


@register.simple_tag(takes_context=True)
def chased_open_count(context):
    """How many of the user's unit's open rows have been chased (the ledger's banner)."""
    return _open_chases(context["user"]).values("assignment_id").distinct().count()


# What the item's history leaves out: copies of the item's own place (notice, year, number), the order units
# are listed in, ids of rows the line already names, file sizes. The 审计日志 page keeps every field as stored.
HISTORY_HIDDEN_FIELDS = {"notice", "government", "upper_government", "year", "item", "item_number",
                         "unit_sort_order", "assignment", "report", "size", "sha256", "content_type", "version"}
_ID_SUFFIX = re.compile(r"（#\d+）$")
_BARE_ID = re.compile(r"^#\d+$")


def _readable_value(value):
    if value is True or value == "True":
        return "是"
    if value is False or value == "False":
        return "否"
    if value is None:
        return ""
    text = _ID_SUFFIX.sub("", str(value))
    return "" if _BARE_ID.match(text) else text


def readable_changes(event) -> list[dict]:
    """An event's changes as people read them: no internal fields, no ids, 是/否 for yes/no; on a creation
    only the fields that say something (a "否" or an empty value is left out)."""
    rows = []
    for change in event.change_rows():
        if change.get("field") in HISTORY_HIDDEN_FIELDS:
            continue
        row = {"label": change.get("label", "")}
        for side in ("before", "after"):
            if side in change:
                row[side] = _readable_value(change[side])
        if "before" in row and "after" in row:
            if row["before"] == row["after"]:
                continue
        elif row.get("after", row.get("before", "")) in ("", "否"):
            continue
        rows.append(row)
    return rows


@register.inclusion_tag("workflow/_item_workflow.html", takes_context=True)
def item_workflow(context, item, limit=100):
    """Chases on an item and its audit history (readable: ``readable_changes``), as far as the user may see
    them."""
    user = context["user"]
    visible = Assignment.objects.visible_to(user).filter(item=item)
    chases = (Chase.objects.visible_to(user).filter(item=item)
              .select_related("unit", "created_by", "assignment", "government"))
    events = AuditEvent.objects.for_object(item).with_related()
    if not user.sees_everything:
        events = events.filter(Q(unit__isnull=True) | Q(unit_id__in=visible.values("unit_id")))
    events = list(events[:limit])
    for event in events:
        event.readable = readable_changes(event)
    return {"chases": list(chases), "events": events, "user": user, "limit": limit}


@register.inclusion_tag("workflow/_assignment_workflow.html", takes_context=True)
def assignment_workflow(context, assignment):
    """A ledger row's review state (returned with its reason, waiting for review) and its chases."""
    chases = assignment.chases.select_related("created_by")
    return {"assignment": assignment, "chases": list(chases), "user": context["user"]}


@register.inclusion_tag("workflow/_report_review.html", takes_context=True)
def report_review(context, report, assignment):
    """One report's review result, with accept / return buttons for a reviewer while it is pending."""
    request = context.get("request")
    cache = getattr(request, "_govopen_can_review", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._govopen_can_review = cache
    if assignment.pk not in cache:
        cache[assignment.pk] = can_review(context["user"], assignment)
    return {"r": report, "assignment": assignment, "can_review": cache[assignment.pk], "request": request}


@register.inclusion_tag("workflow/_unit_todo.html", takes_context=True)
def unit_review_panel(context):
    """Home page: the unit's returned rows with their reasons, and how many reports wait for this user (the home
    page's facts "returned" and "waiting" when it counted them: tasks.home_facts)."""
    user = context["user"]
    facts = context.get("panel_facts", {})
    returned = []
    if user.is_authenticated and user.unit_id and facts.get("returned", True):
        returned = list(Assignment.objects.filter(unit_id=user.unit_id, status=Assignment.Status.RETURNED)
                        .select_related("notice", "item").order_by("due_date", "id")[:20])
    waiting = facts.get("waiting")
    if waiting is None:
        reports = _reviewable_reports(user)
        waiting = 0 if reports is None else reports.count()
    return {"returned": returned, "waiting": waiting}
