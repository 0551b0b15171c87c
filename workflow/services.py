"""Workflow services: notifications (in-app and e-mail), chasing late units, deadline reminders, review.

Review: a liaison's report that an item is done goes to review (`progress_submit`): the office, or the
item's lead unit for the other units' rows, accepts it (the row becomes 已完成) or returns it with a
reason (已退回: back on the unit's to-do list). Reports are never edited: a correction is a new report.

Reminder rules (`reminders_send`, run once a day by `manage.py send_reminders`):
- nothing is sent on a day that is not a working day;
- "N days before" (settings.GOVOPEN_REMINDER_DAYS_BEFORE, calendar days): on a working day D, a row
  gets a reminder when one of its reminder dates (due date − N) falls between D and the next working
  day (so a reminder date on a weekend or holiday is sent early, on the working day before it); when
  several fall in that span (a long holiday) only the nearest to the deadline is sent;
- overdue: every working day while the row is open and past its due date;
- only open rows with a due date: not done / 不涉及 / ongoing, not waiting for review; only rows that
  still exist (a unit removed from an item has no row any more) of active units, to the unit's active
  liaisons as they are at send time;
- each notification has a unique key (row, kind, date, recipient): a second run, or a run on another
  server at the same time, creates nothing new and so sends no e-mail.
"""
from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.dates import cn_date
from tasks.models import Assignment, ProgressReport
from tasks.services import progress_record
from units.models import User
from workflow.models import CalendarDay, CalendarYear, Chase, Notification
from workflow.workdays import WorkCalendar, fallback_message, package_years, seed_from_package

log = logging.getLogger(__name__)

CHASE_MESSAGE_MAX = 1000


# --- recipients and notifications ------------------------------------------------------------------------

def liaisons_by_unit(unit_ids) -> dict[int, list[User]]:
    """The active liaisons of each unit, as the users table says now."""
    result: dict[int, list[User]] = defaultdict(list)
    for user in (User.objects.filter(unit_id__in=set(unit_ids), role=User.Role.LIAISON, is_active=True)
                 .order_by("id")):
        result[user.unit_id].append(user)
    return result


def _assignment_title(assignment: Assignment) -> str:
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


# --- chasing ---------------------------------------------------------------------------------------------

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
               chase=chase, title=f"催办：{_assignment_title(assignment)}{due}", body=message)
    return chases


# --- reminders -------------------------------------------------------------------------------------------

@dataclass
class ReminderRun:
    day: datetime.date
    working_day: bool = True
    warnings: list[str] = field(default_factory=list)
    due_soon: int = 0
    overdue: int = 0
    already_sent: int = 0
    emails: int = 0

    @property
    def sent(self) -> int:
        return self.due_soon + self.overdue


def _reminder_candidates(day: datetime.date, horizon: datetime.date):
    rows = (chaseable(Assignment.objects.all())
            .filter(is_ongoing=False, due_date__isnull=False, unit__is_active=True)
            .filter(Q(due_date__lt=day) | Q(due_date__gte=day, due_date__lt=horizon))
            .select_related("notice", "unit", "item"))
    return rows.order_by("due_date", "unit_sort_order", "id")


def _due_soon_key(due: datetime.date, day: datetime.date, next_day: datetime.date, days_before) -> datetime.date | None:
    """The reminder date to send today for a row due on `due`, if any (the nearest to the deadline)."""
    keys = [due - datetime.timedelta(days=n) for n in days_before]
    in_span = [k for k in keys if day <= k < next_day]
    return max(in_span) if in_span else None


def reminders_send(*, day: datetime.date, calendar: WorkCalendar | None = None,
                   days_before: list[int] | None = None) -> ReminderRun:
    """One reminder run for `day`. Each notification commits on its own, so parallel runs cannot double-send."""
    calendar = calendar or WorkCalendar()
    days_before = sorted(set(settings.GOVOPEN_REMINDER_DAYS_BEFORE if days_before is None else days_before))
    run = ReminderRun(day=day)
    run.warnings += [fallback_message(y) for y in calendar.missing_years(day)]
    if not calendar.is_working_day(day):
        run.working_day = False
        return run
    next_day = calendar.next_working_day(day)
    run.warnings += [fallback_message(y) for y in calendar.missing_years(next_day) if y != day.year]
    horizon = next_day + datetime.timedelta(days=max(days_before, default=0))
    rows = list(_reminder_candidates(day, horizon))
    liaisons = liaisons_by_unit(a.unit_id for a in rows)
    created_ids = []
    for assignment in rows:
        if assignment.due_date < day:
            kind, key = Notification.Kind.OVERDUE, day
            late = calendar.working_days_between(assignment.due_date, day)
            title = f"逾期提醒：{_assignment_title(assignment)}已逾期{late}个工作日"
        else:
            key = _due_soon_key(assignment.due_date, day, next_day, days_before)
            if key is None:
                continue
            kind = Notification.Kind.DUE_SOON
            left = (assignment.due_date - day).days
            title = f"临近时限：{_assignment_title(assignment)}还有{left}天到期"
        body = (f"{assignment.unit}：{assignment.item.short_text}（完成时限{cn_date(assignment.due_date)}），"
                f"请按时落实并在系统中报送落实情况。")
        for user in liaisons.get(assignment.unit_id, []):
            note, created = Notification.objects.get_or_create(
                assignment=assignment, kind=kind, key_date=key, recipient=user,
                defaults={"title": title, "body": body, "link": assignment.get_absolute_url()})
            if not created:
                run.already_sent += 1
                continue
            created_ids.append(note.pk)
            if kind == Notification.Kind.OVERDUE:
                run.overdue += 1
            else:
                run.due_soon += 1
    run.emails = notification_emails_send(created_ids)
    return run



# --- the working-day calendar ----------------------------------------------------------------------------

@transaction.atomic
def calendar_day_add(*, date: datetime.date, kind: str, name: str = "") -> CalendarDay:
    """Add a holiday or a make-up working day (调休上班) to the calendar table."""
    if CalendarDay.objects.filter(date=date).exists():
        raise ValidationError({"date": f"{cn_date(date)}已在节假日表中，如需修改请先删除原记录。"})
    if kind == CalendarDay.Kind.WORKDAY and date.weekday() < 5:
        raise ValidationError({"kind": f"{cn_date(date)}是周一至周五，本来就是工作日，无需设为调休上班。"})
    if kind not in CalendarDay.Kind.values:
        raise ValidationError({"kind": "请选择“放假”或“调休上班”。"})
    return CalendarDay.objects.create(date=date, kind=kind, name=(name or "").strip()[:50])


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay) -> None:
    day.delete()


@transaction.atomic
def calendar_year_confirm(*, year: int, note: str = "", user=None) -> CalendarYear:
    """Declare a year's arrangement complete: from now on its working days follow the table."""
    if CalendarYear.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year}年的节假日安排已确认录入。"})
    if not CalendarDay.objects.filter(date__year=year).exists():
        raise ValidationError({"year": f"{year}年还没有录入任何放假或调休日期，请先逐日录入后再确认。"})
    return CalendarYear.objects.create(year=year, source=CalendarYear.Source.MANUAL, note=(note or "").strip()[:200],
                                       created_by=user)


@transaction.atomic
def calendar_seed(*, year: int) -> bool:
    """Import a year from the installed chinesecalendar package; False when the package has no such year."""
    if year not in package_years():
        return False
    return bool(seed_from_package(CalendarDay, CalendarYear, years=[year]))


# --- review ----------------------------------------------------------------------------------------------

def reviewers_of(assignment: Assignment) -> list[User]:
    """Who is asked to review a done-claim: the lead unit's liaisons for other units' rows, else the office."""
    if assignment.role != Assignment.Role.LEAD:
        lead_units = Assignment.objects.filter(item_id=assignment.item_id, role=Assignment.Role.LEAD).exclude(
            unit_id=assignment.unit_id).values("unit_id")
        leads = list(User.objects.filter(unit_id__in=lead_units, role=User.Role.LIAISON, is_active=True))
        if leads:
            return leads
    return list(User.objects.filter(role=User.Role.OFFICE_ADMIN, is_active=True))


def can_review(user, assignment: Assignment) -> bool:
    return Assignment.objects.reviewable_by(user).filter(pk=assignment.pk).exists()


@transaction.atomic
def progress_submit(*, assignment: Assignment, author, status: str, **fields) -> ProgressReport:
    """A user's progress report: done-claims by anyone who may not review the row wait for review."""
    needs_review = status == Assignment.Status.DONE and not can_review(author, assignment)
    report = progress_record(assignment=assignment, author=author, status=status, submit_for_review=needs_review,
                             **fields)
    if needs_review:
        notify(recipients=reviewers_of(assignment), kind=Notification.Kind.REVIEW_REQUESTED, assignment=assignment,
               title=f"待审核：{assignment.unit}报送{_assignment_title(assignment)}已完成",
               body=report.text[:300], link=reverse("workflow:review-list"))
    return report


def _locked_pending(report: ProgressReport) -> ProgressReport:
    """The report, row-locked, if it still waits for review (two reviewers cannot both decide)."""
    locked = ProgressReport.objects.select_for_update().select_related("assignment").get(pk=report.pk)
    if locked.review_status != ProgressReport.Review.PENDING:
        raise ValidationError(f"该报送{locked.get_review_status_display()}，无需再审核。")
    return locked


@transaction.atomic
def review_accept(*, report: ProgressReport, reviewer, comment: str = "") -> ProgressReport:
    """Accept a done-claim: the row becomes 已完成 on the date the unit reported."""
    report = _locked_pending(report)
    report.review_status = ProgressReport.Review.ACCEPTED
    report.reviewed_by = reviewer
    report.reviewed_at = timezone.now()
    report.review_comment = (comment or "").strip()[:1000]
    report.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_comment"])
    assignment = report.assignment
    assignment.status = Assignment.Status.DONE
    assignment.completed_on = report.completed_on or report.reported_on
    assignment.return_reason = ""
    assignment.version += 1
    assignment.save()
    notify(recipients=liaisons_by_unit([assignment.unit_id]).get(assignment.unit_id, []),
           kind=Notification.Kind.REVIEW_ACCEPTED, assignment=assignment,
           title=f"审核通过：{_assignment_title(assignment)}已确认完成", body=report.review_comment)
    return report


@transaction.atomic
def review_return(*, report: ProgressReport, reviewer, reason: str) -> ProgressReport:
    """Return a done-claim with a reason: the row is back on the unit's to-do list as 已退回."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回理由。"})
    if len(reason) > 500:
        raise ValidationError({"reason": "退回理由不能超过500字。"})
    report = _locked_pending(report)
    report.review_status = ProgressReport.Review.RETURNED
    report.reviewed_by = reviewer
    report.reviewed_at = timezone.now()
    report.review_comment = reason
    report.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_comment"])
    assignment = report.assignment
    assignment.status = Assignment.Status.RETURNED
    assignment.completed_on = None
    assignment.return_reason = reason
    assignment.version += 1
    assignment.save()
    notify(recipients=liaisons_by_unit([assignment.unit_id]).get(assignment.unit_id, []),
           kind=Notification.Kind.REVIEW_RETURNED, assignment=assignment,
           title=f"退回修改：{_assignment_title(assignment)}", body=f"退回理由：{reason}")
    return report
