"""Reads of the register: who sees which application, and the rows behind each figure of 表三 / 表四.

`visible_to(user)` is the one object-permission rule of the register: office staff and leaders read
every unit's applications, a unit's users read their unit's; everyone else nothing. Personal data
(applicant name and contact) is a second, narrower rule: `Application.shows_personal_data(user)`.
"""
from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def open_on(day: datetime.date) -> Q:
    """Received by `day` and not answered by its end: still to be answered on that day."""
    return Q(received_on__lte=day) & (Q(answered_on__isnull=True) | Q(answered_on__gt=day))


def t3_row_q(code: str, year: int) -> Q:
    """Which applications a row of 表三 counts for `year` (row codes of the national format)."""
    first, last = year_bounds(year)
    if code == "new":
        return Q(received_on__gte=first, received_on__lte=last)
    if code == "carried":
        return Q(received_on__lt=first) & (Q(answered_on__isnull=True) | Q(answered_on__gte=first))
    if code == "carry_next":
        return open_on(last)
    answered = Q(answered_on__gte=first, answered_on__lte=last) & ~Q(outcome="")
    if code == "total":
        return answered
    return answered & Q(outcome=code)


def t4_case_q(year: int) -> Q:
    first, last = year_bounds(year)
    return Q(filed_on__gte=first, filed_on__lte=last)


class RegisterQuerySet(models.QuerySet):
    def keeping(self, year: int):
        """Units whose register is kept in the app for `year`."""
        return self.filter(started_year__lte=year)


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_governments:
            return self
        if user.sees_everything:  # a government's office and leaders: their government's units' registers
            return self.filter(unit__government_id=user.government_id)
        if not user.unit_id:
            return self.none()
        return self.filter(unit_id=user.unit_id)

    def editable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_governments:
            return self
        if user.is_office:
            return self.filter(unit__government_id=user.government_id)
        if user.role == user.Role.LIAISON and user.unit_id:
            return self.filter(unit_id=user.unit_id)
        return self.none()

    def for_unit(self, unit):
        return self if unit is None else self.filter(unit=unit)

    def open(self):
        return self.filter(answered_on__isnull=True)

    def overdue(self, today: datetime.date):
        return self.open().filter(due_on__lt=today)

    def for_year(self, year: int):
        """Applications handled in `year`: received in it, or carried over into it."""
        return self.filter(t3_row_q("new", year) | t3_row_q("carried", year))

    def behind_figure(self, year: int, row: str, column: str = "total"):
        """The applications counted in one cell of 表三."""
        qs = self.filter(t3_row_q(row, year))
        if column and column != "total":
            qs = qs.filter(applicant_type=column)
        return qs

    def with_related(self):
        return self.select_related("unit", "handler")


class ReviewCaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        from disclosure.models import Application

        return self.filter(application__in=Application.objects.visible_to(user))

    def for_year(self, year: int):
        return self.filter(t4_case_q(year))
