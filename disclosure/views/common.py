"""Helpers of the register's views: today, the scoped fetch, write permission, light and clock per row."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.trail import get_scoped_or_404
from disclosure import clock as legal_clock
from disclosure.models import Application
from workflow.calendar import WorkCalendar


def today():
    return timezone.localdate()


def visible_application(request, pk, *, for_update=False) -> Application:
    """The application from the user's scoped queryset, or 404 (audited); 403 on writes it may only read."""
    application = get_scoped_or_404(request, Application.objects.visible_to(request.user).with_related(), pk=pk)
    if for_update and not Application.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied("您只能查看这条申请，不能修改。")
    return application


def can_add(user) -> bool:
    return user.is_authenticated and (user.is_office or (user.role == user.Role.LIAISON and user.unit_id))


def decorate(rows, user, day, calendar: WorkCalendar | None = None):
    """Per row: light, its label, working days left, and the applicant as this user may see it."""
    cal = calendar or WorkCalendar()
    for row in rows:
        row.days_left = legal_clock.working_days_left(row.due_on, day, calendar=cal) if row.is_open else None
        row.light_color = row.light(day, warn_days_left=row.days_left)
        row.light_text = Application.LIGHT_LABELS[row.light_color]
        if row.is_open and row.clock_state != Application.ClockState.RUNNING:
            row.light_text = row.get_clock_state_display()
        shows = row.shows_personal_data(user)
        row.applicant_shown = row.applicant_name if shows else row.masked_name
        row.contact_shown = row.applicant_contact if shows else row.masked_contact
        row.applicant_masked = row.masked_name
    return rows
