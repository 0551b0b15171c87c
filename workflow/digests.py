"""Digests: what the app's messages become outside the app (`digests_send`, part of every reminder run).

- one message per person and channel per run (e-mail, SMS as the person chose on 通知方式), and one per unit
  work-group robot (企业微信, 钉钉), grouped 新任务 / 即将到期 / 已逾期 / 被退回 / 被催办 / 停滞 / 其他, never one per item;
- quiet hours (settings.GOVOPEN_QUIET_HOURS, local time, default 21:00–08:00) and non-working days hold
  everything back except urgent messages (a chase the office marked 加急); held messages go in the next run
  outside them;
- a message goes into a person's digest once (Notification.digested_at) and into its unit's robot digest once
  (robot_digested_at), marked in the transaction that records the sends: a second run sends nothing again;
- every send is a Delivery row (delivered / failed with the reason); a failed one is tried again by later runs
  (settings.GOVOPEN_CHANNEL_MAX_ATTEMPTS in all, waiting GOVOPEN_CHANNEL_RETRY_MINUTES, doubled each time); a
  failing channel never stops the others.
"""
from __future__ import annotations

import datetime
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.settings_values import parse_quiet_hours
from workflow.calendar import WorkCalendar
from workflow.channels import ChannelError, send_dingtalk, send_email, send_sms, send_wecom, sms_configured
from workflow.models import ChannelPreference, Delivery, Notification

Kind = Notification.Kind
# The digest's groups, in this order; every other kind goes under 其他消息.
SECTIONS = [
    ("新任务", (Kind.NEW_WORK, Kind.PUBLISHED)),
    ("即将到期", (Kind.DUE_SOON,)),
    ("已逾期", (Kind.OVERDUE,)),
    ("被退回", (Kind.REVIEW_RETURNED,)),
    ("被催办", (Kind.CHASE,)),
    ("停滞", (Kind.STALLED,)),
]
OTHER = "其他消息"
SIGNATURE = "此消息由政务公开任务台账系统自动汇总发送，请勿直接回复。"


@dataclass
class DigestRun:
    quiet: bool = False
    created: int = 0
    delivered: int = 0
    failed: int = 0
    held: int = 0  # messages held back by the quiet hours


def quiet_hours() -> tuple[datetime.time, datetime.time] | None:
    """(start, end) of settings.GOVOPEN_QUIET_HOURS, None when empty; a bad value is one Chinese line."""
    try:
        return parse_quiet_hours(settings.GOVOPEN_QUIET_HOURS)
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None


def is_quiet(now: datetime.datetime, *, calendar: WorkCalendar | None = None) -> bool:
    """No messages now (local time): a non-working day, or inside the quiet hours (e.g. 21:00-08:00)."""
    local = timezone.localtime(now)
    if not (calendar or WorkCalendar()).is_working_day(local.date()):
        return True
    span = quiet_hours()
    if span is None:
        return False
    start, end = span
    at = local.time()
    if start <= end:
        return start <= at < end
    return at >= start or at < end  # the window crosses midnight


def section_of(kind: str) -> str:
    for title, kinds in SECTIONS:
        if kind in kinds:
            return title
    return OTHER


def group_notes(notes) -> list[tuple[str, list[Notification]]]:
    """[(section title, notes)] in the digest's order, empty sections left out."""
    groups: dict[str, list[Notification]] = defaultdict(list)
    for note in notes:
        groups[section_of(note.kind)].append(note)
    order = [title for title, _ in SECTIONS] + [OTHER]
    return [(title, groups[title]) for title in order if groups.get(title)]


def summary_line(groups) -> str:
    """新任务2条、已逾期3条"""
    return "、".join(f"{title}{len(notes)}条" for title, notes in groups)


def _link(path: str) -> str:
    return f"{settings.GOVOPEN_SITE_URL}{path}" if path else ""


def person_text(user, groups) -> tuple[str, str]:
    """(subject, plain text) of a person's e-mail digest."""
    total = sum(len(notes) for _, notes in groups)
    urgent = any(n.urgent for _, notes in groups for n in notes)
    subject = f"【政务公开任务台账】{'【加急】' if urgent else ''}{summary_line(groups)}"
    if total == 1:
        subject = f"【政务公开任务台账】{'【加急】' if urgent else ''}{groups[0][1][0].title}"
    lines = [f"{user}，您好：", "", f"以下{total}条消息需要您关注：", ""]
    for title, notes in groups:
        lines.append(f"【{title}】（{len(notes)}条）")
        for note in notes:
            lines.append(f"· {note.title}")
            if note.body:
                lines += [f"  {line}" for line in note.body.splitlines() if line.strip()]
            if note.link:
                lines.append(f"  {_link(note.link)}")
        lines.append("")
    lines += [f"全部消息：{_link(reverse('workflow:notification-list'))}", "", SIGNATURE]
    return subject[:200], "\n".join(lines)


def sms_text(user, groups) -> str:
    urgent = any(n.urgent for _, notes in groups for n in notes)
    return (f"【政务公开任务台账】{'【加急】' if urgent else ''}{user}：{summary_line(groups)}，"
            f"请登录系统查看：{_link(reverse('workflow:notification-list'))}")


def unit_text(unit, groups) -> tuple[str, str]:
    """(title, markdown) of a unit work group's digest: the unit's messages, each once."""
    subject = f"{unit.short_name}：{summary_line(groups)}"
    lines = []
    for title, notes in groups:
        lines.append(f"**{title}（{len(notes)}条）**")
        for note in notes:
            mark = "【加急】" if note.urgent else ""
            lines.append(f"- {mark}{note.title}")
            for line in note.body.splitlines()[:12]:
                if line.strip():
                    lines.append(f"  {line.strip()}")
        lines.append("")
    ledger = f"{reverse('tasks:ledger')}?unit={unit.pk}&todo=on"
    lines.append(f"[查看本单位台账]({_link(ledger)})")
    return f"【政务公开任务台账】{subject}"[:200], "\n".join(lines)


def _mask(url: str) -> str:
    """A robot address without its key or token (the record page must not hand out the webhook)."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:300]


def _preferences(user_ids) -> dict[int, ChannelPreference]:
    return {p.user_id: p for p in ChannelPreference.objects.filter(user_id__in=user_ids)}


def _person_deliveries(notes) -> tuple[list[Delivery], list[int]]:
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for note in notes:
        by_user[note.recipient_id].append(note)
    prefs = _preferences(by_user)
    sms_on = sms_configured()
    planned, marked = [], []
    for user_id, user_notes in by_user.items():
        marked += [n.pk for n in user_notes]
        user = user_notes[0].recipient
        if not user.is_active:
            continue
        pref = prefs.get(user_id) or ChannelPreference(user=user)
        groups = group_notes(user_notes)
        urgent = any(n.urgent for n in user_notes)
        common = {"government_id": user.government_id, "recipient": user, "item_count": len(user_notes),
                  "urgent": urgent}
        if pref.by_email and user.email:
            subject, text = person_text(user, groups)
            planned.append(Delivery(channel=Delivery.Channel.EMAIL, address=user.email, subject=subject, body=text,
                                    **common))
        if pref.by_sms and user.phone and sms_on:
            planned.append(Delivery(channel=Delivery.Channel.SMS, address=user.phone, subject=summary_line(groups)[:200],
                                    body=sms_text(user, groups), **common))
    return planned, marked


def _unit_deliveries(notes) -> tuple[list[Delivery], list[int]]:
    by_unit: dict[int, list[Notification]] = defaultdict(list)
    seen: set[tuple] = set()
    marked = []
    for note in notes:
        marked.append(note.pk)
        key = (note.unit_id, note.kind, note.assignment_id, note.change_set_id, note.chase_id, note.title)
        if key in seen:  # the same message to each of the unit's liaisons: once in the group
            continue
        seen.add(key)
        by_unit[note.unit_id].append(note)
    planned = []
    for unit_notes in by_unit.values():
        unit = unit_notes[0].unit
        if not unit.is_active or not (unit.wecom_robot_url or unit.dingtalk_robot_url):
            continue
        subject, text = unit_text(unit, group_notes(unit_notes))
        common = {"government_id": unit.government_id, "unit": unit, "subject": subject, "body": text,
                  "item_count": len(unit_notes), "urgent": any(n.urgent for n in unit_notes)}
        if unit.wecom_robot_url:
            planned.append(Delivery(channel=Delivery.Channel.WECOM, address=_mask(unit.wecom_robot_url), **common))
        if unit.dingtalk_robot_url:
            planned.append(Delivery(channel=Delivery.Channel.DINGTALK, address=_mask(unit.dingtalk_robot_url),
                                    **common))
    return planned, marked


def digests_plan(*, now: datetime.datetime, quiet: bool, note_ids: list[int] | None = None) -> tuple[list[Delivery], int]:
    """Record this run's digests (pending Delivery rows) and mark their messages, in one transaction; returns
    the deliveries and how many messages the quiet hours held back."""
    held = Q(urgent=False) if quiet else Q(pk__in=[])
    # a message without a recipient is for a unit robot only (a unit without liaison accounts)
    person = Notification.objects.filter(digested_at__isnull=True, recipient__isnull=False).select_related("recipient")
    robot = Notification.objects.filter(robot_digested_at__isnull=True, unit__isnull=False).select_related("unit")
    if note_ids is not None:
        person, robot = person.filter(pk__in=note_ids), robot.filter(pk__in=note_ids)
    with transaction.atomic():
        held_count = person.filter(held).count() + robot.filter(held).exclude(
            pk__in=person.filter(held).values("pk")).count()
        # Lock what this run takes, so an overlapping run (which the run lock should already prevent) skips it.
        person_notes = list(person.exclude(held).select_for_update(of=("self",), skip_locked=True)
                            .order_by("recipient_id", "created_at", "id"))
        robot_notes = list(robot.exclude(held).select_for_update(of=("self",), skip_locked=True)
                           .order_by("unit_id", "created_at", "id"))
        planned, person_ids = _person_deliveries(person_notes)
        unit_planned, robot_ids = _unit_deliveries(robot_notes)
        planned += unit_planned
        deliveries = Delivery.objects.bulk_create(planned)
        Notification.objects.filter(pk__in=person_ids, digested_at__isnull=True).update(digested_at=now)
        Notification.objects.filter(pk__in=robot_ids, robot_digested_at__isnull=True).update(robot_digested_at=now)
    return deliveries, held_count


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        send_email(address=delivery.address, subject=delivery.subject, text=delivery.body)
    elif delivery.channel == Delivery.Channel.SMS:
        send_sms(phone=delivery.address, text=delivery.body)
    elif delivery.channel == Delivery.Channel.WECOM:
        if not delivery.unit.wecom_robot_url:
            raise ChannelError("单位已删除企业微信机器人地址")
        send_wecom(url=delivery.unit.wecom_robot_url, subject=delivery.subject, text=delivery.body)
    elif delivery.channel == Delivery.Channel.DINGTALK:
        if not delivery.unit.dingtalk_robot_url:
            raise ChannelError("单位已删除钉钉机器人地址")
        send_dingtalk(url=delivery.unit.dingtalk_robot_url, secret=delivery.unit.dingtalk_secret,
                      subject=delivery.subject, text=delivery.body)
    else:
        raise ChannelError(f"未知渠道：{delivery.channel}")


def delivery_attempt(delivery: Delivery, *, now: datetime.datetime) -> bool:
    """Try one send; record the outcome on the row (and when to retry). Never raises."""
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        _send(delivery)
    except Exception as exc:  # one channel's failure is recorded and must not stop the others
        delivery.status = Delivery.Status.FAILED
        delivery.reason = (str(exc) if isinstance(exc, ChannelError) else f"{type(exc).__name__}：{exc}")[:300]
        if delivery.attempts < settings.GOVOPEN_CHANNEL_MAX_ATTEMPTS:
            wait = settings.GOVOPEN_CHANNEL_RETRY_MINUTES * 2 ** (delivery.attempts - 1)
            delivery.next_attempt_at = now + datetime.timedelta(minutes=wait)
        else:
            delivery.next_attempt_at = None
        ok = False
    else:
        delivery.status = Delivery.Status.DELIVERED
        delivery.reason = ""
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        ok = True
    delivery.save(update_fields=["attempts", "last_attempt_at", "status", "reason", "next_attempt_at",
                                 "delivered_at"])
    return ok


def deliveries_attempt(deliveries, *, now: datetime.datetime, run: DigestRun) -> None:
    for delivery in deliveries:
        if delivery_attempt(delivery, now=now):
            run.delivered += 1
        else:
            run.failed += 1


def digests_send(*, now: datetime.datetime | None = None, calendar: WorkCalendar | None = None,
                 note_ids: list[int] | None = None) -> DigestRun:
    """One digest run: record and send this run's digests, then retry earlier failed sends that are due.
    Call it outside a transaction (each send is recorded on its own); the reminder run lock keeps runs apart."""
    from workflow.newwork import change_sets_notify

    now = now or timezone.now()
    run = DigestRun(quiet=is_quiet(now, calendar=calendar))
    if note_ids is None:
        change_sets_notify()  # change sets whose on-commit notice did not happen (a crash): told now
    deliveries, run.held = digests_plan(now=now, quiet=run.quiet, note_ids=note_ids)
    run.created = len(deliveries)
    retry = Delivery.objects.due_for_retry(now) | Delivery.objects.filter(status=Delivery.Status.PENDING).exclude(
        pk__in=[d.pk for d in deliveries])
    if run.quiet:
        retry = retry.filter(urgent=True)
    ordered = list(deliveries) + list(retry.select_related("unit").order_by("id"))
    deliveries_attempt(ordered, now=now, run=run)
    return run
