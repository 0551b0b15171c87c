"""Chasing late units (催办): the office reminds a unit of late ledger rows, with a message."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from core.dates import cn_date
from tasks.models import Assignment
from workflow.models import Chase, Notification
from workflow.notifications import assignment_title, liaisons_by_unit, notify

CHASE_MESSAGE_MAX = 1000


def chaseable(assignments):
    """Rows the office may chase: open (not done, not 不涉及) and not waiting for review."""
    return assignments.open().exclude(status=Assignment.Status.PENDING_REVIEW)


@transaction.atomic
def chase_create(*, assignments: list[Assignment], message: str, author, today: datetime.date) -> list[Chase]:
    """催办: record a chase on each row and notify each row's unit liaisons. All or nothing."""
    message = (message or "").strip()
    errors = {}
    if not message:
        errors["message"] = "请填写催办内容。"
    elif len(message) > CHASE_MESSAGE_MAX:
        errors["message"] = f"催办内容不能超过{CHASE_MESSAGE_MAX}字。"
    if not assignments:
        errors["assignments"] = "请至少选择一行台账。"
    if errors:
        raise ValidationError(errors)
    ids = [a.pk for a in assignments]
    open_ids = set(chaseable(Assignment.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    closed = [a for a in assignments if a.pk not in open_ids]
    if closed:
        names = "、".join(f"{a.unit}第{a.item_number}项" for a in closed[:5])
        raise ValidationError({"assignments": f"{names}已完成、不涉及或正在审核，无需催办。"})
    liaisons = liaisons_by_unit(a.unit_id for a in assignments)
    chases = []
    for assignment in assignments:
        chase = Chase.objects.create(assignment=assignment, unit=assignment.unit, item=assignment.item,
                                     year=assignment.year, due_date=assignment.due_date, message=message,
                                     created_by=author, created_on=today)
        chases.append(chase)
        due = f"（完成时限{cn_date(assignment.due_date)}）" if assignment.due_date else ""
        notify(recipients=liaisons.get(assignment.unit_id, []), kind=Notification.Kind.CHASE, assignment=assignment,
               chase=chase, title=f"催办：{assignment_title(assignment)}{due}", body=message)
    return chases
