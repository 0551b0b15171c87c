"""Telling units about new work: each change set (tasks.changes) becomes one in-app notice per unit, to each of
its liaisons (a unit without liaisons but with a work-group robot: one notice for the robot only), listing the unit's new rows and changed 时限; the next digest carries it to e-mail, SMS and the
unit's work group (never one message per row)."""
from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.dates import cn_date
from tasks.models import ChangeSet, ChangeSetRow
from workflow.models import Notification
from workflow.notifications import recipients_by_unit

ROWS_LISTED = 30  # a notice lists at most this many rows, then "等N项"
TEXT_CHARS = 30  # of each row's task: enough to recognise it in a message


def _row_line(row: ChangeSetRow) -> str:
    assignment = row.assignment
    due = "持续推进" if assignment.is_ongoing else (f"完成时限{cn_date(assignment.due_date)}" if assignment.due_date
                                                      else "未设时限")
    what = "时限调整为" if row.what == ChangeSetRow.What.DEADLINE else ""
    text = assignment.item.short_text
    text = text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS] + "…"
    return f"第{assignment.item_number}项 {text}（{assignment.get_role_display()}，{what}{due}）"


def _title(change_set: ChangeSet, rows: list[ChangeSetRow]) -> str:
    new = sum(r.what == ChangeSetRow.What.NEW for r in rows)
    changed = len(rows) - new
    parts = []
    if new:
        parts.append(f"新分配{new}项")
    if changed:
        parts.append(f"时限调整{changed}项")
    label = "新任务" if new else "任务调整"
    return f"{label}：{change_set.notice.doc_number} {'、'.join(parts)}"


def change_set_notify(change_set: ChangeSet) -> list[Notification]:
    """One notice per unit of the change set, to each of its active liaisons (or for its robot only: see
    workflow.notifications.recipients_by_unit); marks the set notified (once)."""
    with transaction.atomic():
        if not ChangeSet.objects.filter(pk=change_set.pk, notified_at__isnull=True).update(notified_at=timezone.now()):
            return []  # another run told them already
        rows = list(change_set.rows.select_related("assignment__item", "unit")
                    .filter(assignment__is_withdrawn=False).order_by("unit__sort_order", "unit_id",
                                                                     "assignment__item_number"))
        by_unit: dict[int, list[ChangeSetRow]] = defaultdict(list)
        for row in rows:
            by_unit[row.unit_id].append(row)
        liaisons = recipients_by_unit(by_unit)
        notice = change_set.notice
        notes = []
        for unit_id, unit_rows in by_unit.items():
            lines = [_row_line(r) for r in unit_rows[:ROWS_LISTED]]
            if len(unit_rows) > ROWS_LISTED:
                lines.append(f"等共{len(unit_rows)}项")
            body = f"《{notice.title}》涉及{unit_rows[0].unit}的事项：\n" + "\n".join(lines)
            link = f"{reverse('tasks:my-ledger')}?notice={notice.pk}"
            notes += [Notification(recipient=user, kind=Notification.Kind.NEW_WORK, title=_title(change_set, unit_rows)[:200],
                                   body=body, link=link, unit_id=unit_id, change_set=change_set)
                      for user in liaisons.get(unit_id, [])]
        return Notification.objects.bulk_create(notes)


def change_sets_notify(*, ids: list[int] | None = None) -> int:
    """Tell units about every change set not yet told (or the given ones); returns notices created."""
    sets = ChangeSet.objects.unnotified().select_related("notice").order_by("id")
    if ids is not None:
        sets = sets.filter(pk__in=ids)
    return sum(len(change_set_notify(cs)) for cs in sets)


def change_set_notify_later(sender, *, change_set, **kwargs) -> None:
    """tasks.signals.work_changed: tell the units once the change commits (a rolled-back import tells nobody)."""
    transaction.on_commit(lambda: change_sets_notify(ids=[change_set.pk]))
