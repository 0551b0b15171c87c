"""The home page's panel of applications whose legal deadline is near or past."""
import datetime

from django import template
from django.db.models import Exists

from disclosure.clock import REMIND_DAYS_BEFORE
from disclosure.models import Application
from disclosure.views import common
from disclosure.views.common import decorate
from workflow.calendar import WorkCalendar

register = template.Library()
LIMIT = 10


# No arrangement of holidays makes REMIND_DAYS_BEFORE working days longer than this (the home page's first look).
HORIZON_BOUND = datetime.timedelta(days=REMIND_DAYS_BEFORE * 7 + 30)


def _open_applications(user):
    if not user.is_authenticated or not (user.unit_id or user.sees_everything):
        return None
    qs = Application.objects.visible_to(user).open()
    return qs if user.sees_everything else qs.filter(unit_id=user.unit_id)


def due_fact(user, today):
    """The home page's fact "disclosure_due" (tasks.home_facts): whether any open application of the panel's may be
    due within its horizon (a bound in days: the working-day calendar is read only when there is one). The panel's
    own today, as the panel below."""
    qs = _open_applications(user)
    return None if qs is None else Exists(qs.filter(due_on__lte=common.today() + HORIZON_BOUND))


@register.inclusion_tag("disclosure/_home_panel.html", takes_context=True)
def disclosure_panel(context):
    """Open applications due within 5 working days or overdue, for the user's unit (every unit for the office)."""
    user = context["request"].user
    if _open_applications(user) is None or not context.get("panel_facts", {}).get("disclosure_due", True):
        return {"rows": []}
    day = common.today()
    cal = WorkCalendar()
    horizon = cal.add_working_days(day, REMIND_DAYS_BEFORE)
    qs = Application.objects.visible_to(user).open().filter(due_on__lte=horizon).with_related()
    if not user.sees_everything:
        qs = qs.filter(unit_id=user.unit_id)
    total = qs.count()
    rows = decorate(list(qs.order_by("due_on", "id")[:LIMIT]), user, day, cal) if total else []
    return {"rows": rows, "total": total, "more": total - len(rows), "office": user.sees_everything}
