"""Notifications: in-app messages to users (reminders, chases, review results, new work); workflow.digests
sends them on as digests."""
from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tasks.models import Assignment
from units.models import Unit, User
from workflow.models import ChannelPreference, Chase, Notification


def liaisons_by_unit(unit_ids) -> dict[int, list[User]]:
    """The active liaisons of each unit, as the users table says now."""
    result: dict[int, list[User]] = defaultdict(list)
    for user in (User.objects.filter(unit_id__in=set(unit_ids), role=User.Role.LIAISON, is_active=True)
                 .order_by("id")):
        result[user.unit_id].append(user)
    return result


def recipients_by_unit(unit_ids) -> dict[int, list[User | None]]:
    """Who gets a unit's messages: its active liaisons; an active unit with a work-group robot but no liaison gets
    one message without a recipient (None), so its work group still hears of new work, deadlines and chases."""
    unit_ids = set(unit_ids)
    result = liaisons_by_unit(unit_ids)
    robot_only = (Unit.objects.filter(pk__in=unit_ids - set(result), is_active=True)
                  .filter(~Q(wecom_robot_url="") | ~Q(dingtalk_robot_url="")).values_list("pk", flat=True))
    for unit_id in robot_only:
        result[unit_id] = [None]
    return result


def assignment_title(assignment: Assignment) -> str:
    return f"{assignment.notice.doc_number} 第{assignment.item_number}项"


def notification_emails_send(notification_ids: list[int], *, now=None) -> int:
    """Send the given notifications now, as digests (one per person and channel, and per unit work group),
    outside the quiet hours (urgent ones always); returns the number of sends delivered. The daily run does
    the same for everything pending (workflow.digests.digests_send)."""
    from workflow.digests import digests_send

    if not notification_ids:
        return 0
    return digests_send(note_ids=list(notification_ids), now=now).delivered


def notify(*, recipients, kind: str, title: str, body: str = "", assignment: Assignment | None = None,
           chase: Chase | None = None, link: str = "", unit_id: int | None = None,
           urgent: bool = False) -> list[Notification]:
    """In-app notifications to each recipient. They leave the app in the next digest run (workflow.digests):
    one message per person and channel, never one per notification. `unit_id`: the unit the message concerns
    (its work-group robot gets it too); `urgent`: may be sent in the quiet hours."""
    link = link or (assignment.get_absolute_url() if assignment else "")
    return Notification.objects.bulk_create([
        Notification(recipient=user, kind=kind, title=title[:200], body=body, assignment=assignment, chase=chase,
                     link=link, unit_id=unit_id, urgent=urgent)
        for user in recipients
    ])


@transaction.atomic
def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications (all unread ones when ids is None) read; returns how many."""
    rows = Notification.objects.for_user(user).unread()
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


@transaction.atomic
def channel_preference_save(*, user, by_email: bool, by_sms: bool) -> ChannelPreference:
    """The channels a person wants besides the app (in-app messages always)."""
    pref, _ = ChannelPreference.objects.select_for_update().get_or_create(user=user)
    pref.by_email, pref.by_sms = by_email, by_sms
    pref.save()
    return pref
