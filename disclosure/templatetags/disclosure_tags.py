"""The home page's panel of applications whose legal deadline is near or past."""
from django import template

from disclosure.clock import REMIND_DAYS_BEFORE
from disclosure.models import Application
from disclosure.views import common
from disclosure.views.common import decorate
from workflow.calendar import WorkCalendar

register = template.Library()
LIMIT = 10


@register.inclusion_tag("disclosure/_home_panel.html", takes_context=True)
def disclosure_panel(context):
    """Open applications due within 5 working days or overdue, for the user's unit (every unit for the office)."""
    user = context["request"].user
    if not user.is_authenticated or not (user.unit_id or user.sees_everything):
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
