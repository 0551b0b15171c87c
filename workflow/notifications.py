"""Notifications: in-app messages to users, e-mailed after commit (reminders, chases, review results)."""
from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from tasks.models import Assignment
from units.models import User
from workflow.models import Chase, Notification

log = logging.getLogger(__name__)


def liaisons_by_unit(unit_ids) -> dict[int, list[User]]:
    """The active liaisons of each unit, as the users table says now."""
    result: dict[int, list[User]] = defaultdict(list)
    for user in (User.objects.filter(unit_id__in=set(unit_ids), role=User.Role.LIAISON, is_active=True)
                 .order_by("id")):
        result[user.unit_id].append(user)
    return result


def assignment_title(assignment: Assignment) -> str:
    return f"{assignment.notice.doc_number} 第{assignment.item_number}项"


def notification_emails_send(notification_ids: list[int]) -> int:
    """E-mail the given notifications, one message per recipient; returns the number of e-mails sent."""
    by_recipient: dict[int, list[Notification]] = defaultdict(list)
    pending = (Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
               .select_related("recipient").order_by("id"))
    for note in pending:
        if note.recipient.email:
            by_recipient[note.recipient_id].append(note)
    sent = 0
    for notes in by_recipient.values():
        recipient = notes[0].recipient
        subject = (f"【政务公开任务台账】{notes[0].title}" if len(notes) == 1
                   else f"【政务公开任务台账】您有{len(notes)}条新消息")
        lines = [f"{recipient}，您好：", ""]
        for note in notes:
            lines.append(f"· {note.title}")
            if note.body:
                lines.append(f"  {note.body}")
            if note.link:
                lines.append(f"  {settings.GOVOPEN_SITE_URL}{note.link}")
        lines += ["", "此邮件由政务公开任务台账系统自动发送，请勿直接回复。"]
        ids = [n.pk for n in notes]
        try:
            send_mail(subject, "\n".join(lines), None, [recipient.email])
        except Exception as exc:  # a mail server problem must not stop the in-app notifications
            log.exception("notification e-mail to %s failed", recipient.email)
            Notification.objects.filter(pk__in=ids).update(email_error=str(exc)[:300])
            continue
        Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now(), email_error="")
        sent += 1
    return sent


def _email_after_commit(notification_ids: list[int]) -> None:
    if notification_ids:
        transaction.on_commit(lambda: notification_emails_send(notification_ids))


def notify(*, recipients, kind: str, title: str, body: str = "", assignment: Assignment | None = None,
           chase: Chase | None = None, link: str = "") -> list[Notification]:
    """In-app notifications to each recipient, e-mailed once the transaction commits."""
    link = link or (assignment.get_absolute_url() if assignment else "")
    notes = Notification.objects.bulk_create([
        Notification(recipient=user, kind=kind, title=title[:200], body=body, assignment=assignment, chase=chase,
                     link=link)
        for user in recipients
    ])
    _email_after_commit([n.pk for n in notes])  # PostgreSQL and SQLite ≥ 3.35 return the new ids
    return notes


@transaction.atomic
def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications (all unread ones when ids is None) read; returns how many."""
    rows = Notification.objects.for_user(user).unread()
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())
