"""Chasing late units (催办): the office reminds a unit of late ledger rows, with a message."""
from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction

from core.dates import cn_date
from tasks.models import Assignment, ClosedYear
from units.models import User
from workflow.models import Chase, Notification
from workflow.notifications import assignment_title, notify, recipients_by_unit

CHASE_MESSAGE_MAX = 1000


def chaseable(assignments, *, government_id: int | None = None):
    """Rows the office may chase: open (not done, not 不涉及), not waiting for review, of a year not closed
    (年度归档). The daily reminders take the same rows.

    ``government_id``: the caller knows every row is of that government (an office's own rows), so its closed
    years are read as a plain list (NOT IN a subquery of ClosedYear) instead of a test per row's government: the
    same rows, but PostgreSQL then estimates how many remain (on an install of one government the per-row test
    looked like it removed every row, and the planner joined and sorted a whole year instead of reading a page
    off the index)."""
    rows = assignments.open().exclude(status=Assignment.Status.PENDING_REVIEW)
    if government_id is None:
        return rows.in_open_years()
    closed = ClosedYear.objects.filter(government_id=government_id).values("year")
    return rows.filter(government_id=government_id).exclude(year__in=closed)


@transaction.atomic
def chase_create(*, assignments: list[Assignment], message: str, author, today: datetime.date,
                 urgent: bool = False) -> list[Chase]:
    """催办: record a chase on each row and notify each row's unit liaisons (their next digest, or at once in the
    quiet hours too when `urgent`). All or nothing."""
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
        raise ValidationError({"assignments": f"{names}已完成、不涉及、正在审核或所属年度已归档，无需催办。"})
    liaisons = recipients_by_unit(a.unit_id for a in assignments)
    chases = []
    for assignment in assignments:
        chase = Chase.objects.create(assignment=assignment, unit=assignment.unit, item=assignment.item,
                                     year=assignment.year, due_date=assignment.due_date, message=message,
                                     created_by=author, created_on=today, urgent=urgent)
        chases.append(chase)
        due = f"（完成时限{cn_date(assignment.due_date)}）" if assignment.due_date else ""
        notify(recipients=liaisons.get(assignment.unit_id, []), kind=Notification.Kind.CHASE, assignment=assignment,
               chase=chase, title=f"催办：{assignment_title(assignment)}{due}", body=message, unit_id=assignment.unit_id,
               urgent=urgent)
    return chases


def _office_unit(government):
    """The unit a chase of ``government`` is recorded under: its 政府办 as set on the government, else the
    unit of one of its office admins."""
    if government.office_unit_id:
        return government.office_unit
    admin = (User.objects.filter(government=government, role=User.Role.OFFICE_ADMIN, unit__isnull=False,
                                 is_active=True).select_related("unit").order_by("id").first())
    return admin.unit if admin else None


@transaction.atomic
def chase_government_create(*, cells: list[tuple], message: str, author, today: datetime.date) -> list[Chase]:
    """催办下级政府: for each (upper item, lower government) the upper office picked on its roll-up, record a
    chase (in the same chase records as the units') and notify that government's office admins. All or
    nothing; an item already done by that government, or a government that is not directly below the
    item's, is refused."""
    message = (message or "").strip()
    errors = {}
    if not message:
        errors["message"] = "请填写催办内容。"
    elif len(message) > CHASE_MESSAGE_MAX:
        errors["message"] = f"催办内容不能超过{CHASE_MESSAGE_MAX}字。"
    if not cells:
        errors["cells"] = "请至少选择一个下级政府的一项任务。"
    if errors:
        raise ValidationError(errors)
    problems, planned = [], []
    for item, government in cells:
        if government.upper_id != item.notice.government_id:
            problems.append(f"{government}不是{item.notice.government}的下级政府")
            continue
        rows = Assignment.objects.filter(item__upper_item=item, government=government)
        if rows.exists() and not rows.open().exists():
            problems.append(f"{government}已完成第{item.number}项，无需催办")
            continue
        unit = _office_unit(government)
        if unit is None:
            problems.append(f"{government}还没有设置政府办，也没有政府办管理员，无法催办")
            continue
        planned.append((item, government, unit))
    if problems:
        raise ValidationError({"cells": "；".join(problems[:5]) + "。"})
    offices: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(government_id__in={g.pk for _, g, _ in planned}, role=User.Role.OFFICE_ADMIN,
                                    is_active=True).order_by("id"):
        offices[user.government_id].append(user)
    chases = []
    for item, government, unit in planned:
        chase = Chase.objects.create(government=government, unit=unit, item=item, year=item.notice.work_year,
                                     due_date=item.deadline, message=message, created_by=author, created_on=today)
        chases.append(chase)
        lower = item.lower_items.filter(notice__government=government).order_by("-id").first()
        notify(recipients=offices.get(government.pk, []), kind=Notification.Kind.CHASE, chase=chase,
               title=f"上级催办：{item.notice.doc_number} 第{item.number}项（{item.notice.government}）",
               body=message, link=(lower or item.notice).get_absolute_url())
    return chases


def notify_lower_offices(sender, *, notice, recipients, **kwargs) -> None:
    """An upper table was published (tasks.signals.notice_published): tell the lower offices."""
    notify(recipients=recipients, kind=Notification.Kind.PUBLISHED, title=f"上级下发任务分解表：{notice.doc_number}",
           body=f"{notice.government}下发了《{notice.title}》，请据此分解本级任务表。", link=notice.get_absolute_url())
