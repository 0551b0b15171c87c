"""Every QuerySet of the tasks models, side by side: THE visibility and permission rules (visible_to,
editable_by, reviewable_by), "items my unit leads" (led_by) and "overdue" (overdue / overdue_q).

Every list, page and export starts from `visible_to(user)`."""
import datetime

from django.db import models
from django.db.models import Q

# Statuses of a closed row (done or 不涉及): neither overdue nor reminded. Values of Assignment.Status.
CLOSED_STATUSES = ("done", "not_applicable")


def overdue_q(today: datetime.date) -> Q:
    """THE "overdue" condition on ledger rows: open, not withdrawn (撤销), not ongoing, due before today.
    Usable in filter() and in conditional aggregates (Count(..., filter=overdue_q(today)))."""
    return ~Q(status__in=CLOSED_STATUSES) & Q(is_withdrawn=False, is_ongoing=False, due_date__lt=today)


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(assignments__unit_id=user.unit_id).distinct()

    def for_year(self, year):
        return self.filter(work_year=year)


class ItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(assignments__unit_id=user.unit_id).distinct()

    def led_by(self, unit_id):
        """Items `unit_id` leads."""
        from tasks.models import Assignment

        return self.filter(pk__in=Assignment.objects.led_item_ids(unit_id))


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """THE object-permission rule for ledger rows.

        Office staff and leaders see every row; a unit's users see their unit's rows and, on items
        their unit leads, the rows of the other units (to collect and summarise their progress).
        """
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        if not user.unit_id:
            return self.none()
        return self.filter(Q(unit_id=user.unit_id) | Q(item_id__in=self.model.objects.led_item_ids(user.unit_id)))

    def editable_by(self, user):
        """Rows the user may record progress on: office staff all, a liaison the unit's own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self
        if user.role == user.Role.LIAISON and user.unit_id:
            return self.filter(unit_id=user.unit_id)
        return self.none()

    def reviewable_by(self, user):
        """Rows whose done-claims the user may accept or return: office staff all; a lead unit's liaison
        the other units' rows on the items the unit leads (its own rows go to the office)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self
        if user.role == user.Role.LIAISON and user.unit_id:
            return self.led_by(user.unit_id).exclude(unit_id=user.unit_id)
        return self.none()

    def for_unit(self, unit):
        return self.filter(unit=unit)

    def led_item_ids(self, unit_id):
        """THE "items my unit leads", as a subquery of item ids."""
        return self.model.objects.filter(unit_id=unit_id, role=self.model.Role.LEAD).values("item_id")

    def led_by(self, unit_id):
        """Rows (of every unit) on the items `unit_id` leads."""
        return self.filter(item_id__in=self.led_item_ids(unit_id))

    def open(self):
        """Rows still to be done: not closed and not withdrawn (撤销 rows are neither chased nor reminded)."""
        return self.exclude(status__in=CLOSED_STATUSES).filter(is_withdrawn=False)

    def overdue(self, today: datetime.date):
        """THE "overdue" rule for querysets (Assignment.is_overdue is the same rule for one row)."""
        return self.filter(overdue_q(today))

    def due_within(self, today: datetime.date, days: int):
        return self.open().filter(is_ongoing=False, due_date__gte=today,
                                  due_date__lte=today + datetime.timedelta(days=days))

    def with_ledger_related(self):
        return self.select_related("item", "item__section", "item__section__parent", "notice", "unit")


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        from tasks.models import Assignment

        return self.filter(assignment__in=Assignment.objects.visible_to(user))
