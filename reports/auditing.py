"""How the reports models appear in the audit trail (registered from ReportsConfig.ready()): lead-unit
summaries and the 年报文字 under the item or year they belong to, and annual reports with each state
change as its own action (chosen from the status codes, not the labels shown)."""
from audit.models import AuditEvent
from audit.registry import audit_register
from reports.models import AnnualReport, AnnualSummaryText, LeadSummary

S = AnnualReport.Status
# The action of each state change, by the status codes it goes to (and from, where that matters).
STATE_ACTIONS = {
    S.SUBMITTED: AuditEvent.Action.SUBMIT,
    S.RETURNED: AuditEvent.Action.REVIEW_RETURN,
    S.FINAL: AuditEvent.Action.REVIEW_ACCEPT,
}


def _annual_action(report, before):
    if report.status == before.status:
        return AuditEvent.Action.UPDATE
    if report.status == S.DRAFT and before.status == S.SUBMITTED:
        return AuditEvent.Action.REVIEW_RETURN
    return STATE_ACTIONS.get(report.status, AuditEvent.Action.STATE)  # e.g. published: 状态变更


def register():
    audit_register(LeadSummary, parent=lambda s: ("tasks.item", s.item_id), unit=lambda s: s.unit_id)
    audit_register(AnnualSummaryText, parent=lambda t: ("tasks.notice", t.notice_id) if t.notice_id else None)
    audit_register(AnnualReport, unit=lambda r: r.unit_id, update_action=_annual_action)
