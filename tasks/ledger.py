"""THE place that keeps the ledger's denormalised columns in step with their sources.

A ledger row (Assignment) carries copies of values that live elsewhere, so the ledger can filter, sort
and remind on one indexed table:

    year            ← the notice's work year (工作年度)
    due_date        ← the item's deadline, else the notice's report-back date; none while ongoing
    is_ongoing      ← the item's 持续推进 flag
    is_withdrawn    ← the item's 撤销 date (set when a re-import drops an item units reported on)
    item_number     ← the item's number
    unit_sort_order ← the unit's sort order
    government      ← the notice's government
    upper_government ← the government of the upper item the item carries out (下发 / 分解), if any
    the row itself  ← group membership (a unit named through a group phrase such as 区直各有关部门)

`ledger_refresh` recomputes the columns, in the caller's transaction, for every row touched by a change
of those sources. Every edit path calls it: the notice and item forms and services directly
(`notice_save`, `item_sync_assignments`), and the units app's edits (admin, shell, any code) through
the signal handlers below, connected in TasksConfig.ready() — units sits below tasks and may not import
it. A change of group membership re-syncs the rows of this year's and later items named through that
group (earlier years are history and keep their rows).
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tasks.models import Assignment, Item
from units.models import Unit, UnitGroup

COPIED_FIELDS = ("year", "item_number", "due_date", "is_ongoing", "unit_sort_order", "is_withdrawn",
                 "government_id", "upper_government_id")


def item_due_date(item: Item) -> datetime.date | None:
    """A row's due date: the item's deadline, else the notice's report-back date; none while ongoing."""
    if item.is_ongoing:
        return None
    return item.deadline or item.notice.report_back_date


def copied_values(item: Item, unit: Unit) -> dict:
    """The values a ledger row copies from its item, notice and unit (item.notice must be loaded)."""
    return {"year": item.notice.work_year, "item_number": item.number, "due_date": item_due_date(item),
            "is_ongoing": item.is_ongoing, "unit_sort_order": unit.sort_order,
            "is_withdrawn": item.withdrawn_on is not None,
            "government_id": item.notice.government_id,
            # The government whose table the item carries out (tasks.querysets: the upper office's rule).
            "upper_government_id": item.upper_item.notice.government_id if item.upper_item_id else None}


def ledger_refresh(*, notices=None, items=None, units=None) -> int:
    """Recompute the copied columns of the rows of these notices / items / units; returns rows changed.

    Each argument is an iterable of objects or ids (or a queryset); rows matching any of them are
    checked and the stale ones rewritten (no version bump: nothing the unit reported changed).
    """
    scope = Q()
    for field, values in (("notice_id", notices), ("item_id", items), ("unit_id", units)):
        if values is None:
            continue
        ids = values.values("pk") if hasattr(values, "values") else [getattr(v, "pk", v) for v in values]
        scope |= Q(**{f"{field}__in": ids})
    if not scope:
        return 0
    changed = []
    rows = (Assignment.objects.filter(scope).select_related("item__notice", "item__upper_item__notice", "unit")
            .order_by("pk"))
    for row in rows.iterator(chunk_size=2000):
        values = copied_values(row.item, row.unit)
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    Assignment.objects.bulk_update(changed, COPIED_FIELDS, batch_size=1000)
    return len(changed)


def group_members_changed(group: UnitGroup, *, today: datetime.date) -> int:
    """Re-sync the rows of this year's and later items named through `group`; returns items re-synced.

    A unit that left the group keeps its row when it already reported on it (its reports stay visible);
    otherwise the row goes. A unit that joined gets its row.
    """
    from tasks.services import item_sync_assignments

    item_ids = (Assignment.objects.filter(via_group=group, year__gte=today.year).values("item_id").distinct())
    count = 0
    for item in Item.objects.filter(pk__in=item_ids).select_related("notice"):
        item_sync_assignments(item=item, keep_reported=True)
        count += 1
    return count


# --- the units app's edits (connected in TasksConfig.ready()) -------------------------------------------------

def _unit_saved(sender, instance: Unit, created=False, raw=False, update_fields=None, **kwargs):
    if raw or created:
        return
    if update_fields is not None and "sort_order" not in update_fields:
        return
    stale = Assignment.objects.filter(unit_id=instance.pk).exclude(unit_sort_order=instance.sort_order)
    if stale.exists():
        ledger_refresh(units=[instance.pk])


def _group_members_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    groups = [instance] if not reverse else list(UnitGroup.objects.filter(pk__in=pk_set or []))
    if reverse and action == "post_clear":
        groups = list(UnitGroup.objects.filter(
            pk__in=Assignment.objects.filter(unit=instance, via_group__isnull=False).values("via_group_id")))
    today = timezone.localdate()
    with transaction.atomic():
        for group in groups:
            group_members_changed(group, today=today)


def connect_signals():
    from django.db.models.signals import m2m_changed, post_save

    post_save.connect(_unit_saved, sender=Unit, dispatch_uid="tasks-ledger-unit-sort-order")
    m2m_changed.connect(_group_members_changed, sender=UnitGroup.members.through,
                        dispatch_uid="tasks-ledger-group-members")
