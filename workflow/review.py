"""Review: a liaison's report that an item is done goes to review (tasks.services.progress_submit): the office, or the
item's lead unit for the other units' rows, accepts it (the row becomes 已完成) or returns it with a
reason (已退回: back on the unit's to-do list). Reports are never edited: a correction is a new report.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tasks.archive import ensure_year_open
from tasks.models import Assignment, ProgressReport
from units.models import User
from workflow.models import Notification
from workflow.notifications import assignment_title, liaisons_by_unit, notify, recipients_by_unit


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
    return Assignment.objects.reviewable_by(user).filter(pk=assignment.pk).exists()  # the tasks rule


def notify_reviewers(sender, *, report: ProgressReport, assignment: Assignment, **kwargs) -> None:
    """A done-claim waits for review (tasks.signals.review_requested): tell whoever reviews it."""
    notify(recipients=reviewers_of(assignment), kind=Notification.Kind.REVIEW_REQUESTED, assignment=assignment,
           title=f"待审核：{assignment.unit}报送{assignment_title(assignment)}已完成",
           body=report.text[:300], link=reverse("workflow:review-list"))


def _locked_pending(report: ProgressReport) -> ProgressReport:
    """The report, row-locked, if it still waits for review (two reviewers cannot both decide)."""
    locked = ProgressReport.objects.select_for_update().select_related("assignment").get(pk=report.pk)
    ensure_year_open(locked.assignment)
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
           title=f"审核通过：{assignment_title(assignment)}已确认完成", body=report.review_comment,
           unit_id=assignment.unit_id)
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
    # a unit without liaisons but with a work-group robot hears of it in its group (recipients_by_unit)
    notify(recipients=recipients_by_unit([assignment.unit_id]).get(assignment.unit_id, []),
           kind=Notification.Kind.REVIEW_RETURNED, assignment=assignment,
           title=f"退回修改：{assignment_title(assignment)}", body=f"退回理由：{reason}", unit_id=assignment.unit_id)
    return report
