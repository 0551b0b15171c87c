"""Recording change sets: what one service call changed for units (new rows, changed 时限).

    before = rows_snapshot(notices=[notice])      # before the change ({} for a new notice)
    ... the service changes items and rows ...
    change_set_record(notice=notice, before=before, kind=ChangeSet.Kind.REIMPORT, created_by=user)

One change set per call, whatever the number of rows: workflow turns it into one notice per unit.
"""
from __future__ import annotations

from tasks.models import Assignment, ChangeSet, ChangeSetRow, Notice
from tasks.signals import work_changed


def rows_snapshot(*, notices) -> dict[int, tuple]:
    """{row id: (due date, ongoing)} of the notices' rows now."""
    ids = [n.pk for n in notices if n is not None and n.pk]
    return {pk: (due, ongoing) for pk, due, ongoing in
            Assignment.objects.filter(notice_id__in=ids).values_list("pk", "due_date", "is_ongoing")}


def change_set_record(*, notice: Notice, before: dict[int, tuple], kind: str, created_by=None) -> ChangeSet | None:
    """Compare the notice's open rows with `before`; record a change set of the new rows and the rows whose
    时限 changed (none: nothing recorded) and send tasks.signals.work_changed. Call inside the service's
    transaction: the change set commits or rolls back with the change."""
    rows = Assignment.objects.filter(notice=notice, unit__is_active=True).open().order_by("unit_id", "item_number")
    found = []
    for pk, unit_id, due, ongoing in rows.values_list("pk", "unit_id", "due_date", "is_ongoing"):
        if pk not in before:
            found.append((pk, unit_id, ChangeSetRow.What.NEW))
        elif before[pk] != (due, ongoing):
            found.append((pk, unit_id, ChangeSetRow.What.DEADLINE))
    if not found:
        return None
    user = created_by if getattr(created_by, "is_authenticated", False) else None
    change_set = ChangeSet.objects.create(government_id=notice.government_id, notice=notice, kind=kind,
                                          created_by=user)
    ChangeSetRow.objects.bulk_create([ChangeSetRow(change_set=change_set, assignment_id=pk, unit_id=unit_id, what=what)
                                      for pk, unit_id, what in found])
    work_changed.send(sender=ChangeSet, change_set=change_set)
    return change_set
