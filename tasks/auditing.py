"""How the tasks models appear in the audit trail: each row's parent (the item or notice whose history
shows it) and the unit it concerns. Registered from TasksConfig.ready()."""
from audit.models import AuditEvent
from audit.registry import audit_register
from tasks.models import Assignment, ClosedYear, ColumnChoice, Evidence, Item, Notice, ProgressReport, Section


def _item_of_assignment(assignment_id):
    return ("tasks.item", Assignment.objects.filter(pk=assignment_id).values_list("item_id", flat=True).first())


def _report_item(report):
    if report.assignment_id and ProgressReport.assignment.is_cached(report):
        return ("tasks.item", report.assignment.item_id)
    return _item_of_assignment(report.assignment_id)


def _report_unit(report):
    if ProgressReport.assignment.is_cached(report):
        return report.assignment.unit_id
    return Assignment.objects.filter(pk=report.assignment_id).values_list("unit_id", flat=True).first()


def _evidence_report(evidence):
    if Evidence.report.is_cached(evidence) and ProgressReport.assignment.is_cached(evidence.report):
        return evidence.report
    return ProgressReport.objects.filter(pk=evidence.report_id).select_related("assignment").first()


def _evidence_item(evidence):
    report = _evidence_report(evidence)
    return ("tasks.item", report.assignment.item_id) if report else None


def _evidence_unit(evidence):
    report = _evidence_report(evidence)
    return report.assignment.unit_id if report else None


def _report_action(report, before):
    """A review decision by its stored code (never by the label shown, which may be reworded)."""
    if report.review_status == before.review_status:
        return AuditEvent.Action.UPDATE
    return {ProgressReport.Review.ACCEPTED: AuditEvent.Action.REVIEW_ACCEPT,
            ProgressReport.Review.RETURNED: AuditEvent.Action.REVIEW_RETURN}.get(report.review_status,
                                                                                AuditEvent.Action.UPDATE)


def register():
    # Publishing or withdrawing the public progress page is written as its own 状态变更 row with a message
    # (reports.services.notice_page_publish / notice_page_unpublish), not as a field diff.
    audit_register(Notice, exclude=("public_token", "public_since", "public_by"))
    audit_register(Section, parent=lambda s: ("tasks.notice", s.notice_id))
    audit_register(Item, parent=lambda i: ("tasks.notice", i.notice_id))
    audit_register(Assignment, parent=lambda a: ("tasks.item", a.item_id), unit=lambda a: a.unit_id,
                   exclude=("last_reported_on",))
    audit_register(ProgressReport, parent=_report_item, unit=_report_unit, update_action=_report_action,
                   create_action=AuditEvent.Action.SUBMIT)
    audit_register(Evidence, parent=_evidence_item, unit=_evidence_unit)
    audit_register(ColumnChoice)
    # 年度归档: closing is recorded as a state change, reopening as the deletion of the closing.
    audit_register(ClosedYear, create_action=AuditEvent.Action.STATE)
