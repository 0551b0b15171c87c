from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    """Review, chasing, notifications, reminders and the working-day calendar."""

    name = "workflow"
    verbose_name = "督办与提醒"

    def ready(self):
        from audit.models import AuditEvent
        from audit.registry import audit_register
        from tasks.home_facts import HOME_FACTS
        from tasks.querysets import STALLED_CUTOFF
        from tasks.signals import notice_published, review_requested, work_changed
        from units.backends import REQUEST_USER_ANNOTATIONS
        from workflow.chasing import notify_lower_offices
        from workflow.context_processors import unread_count_of_user
        from workflow.models import CalendarDay, CalendarYear, Chase
        from workflow.newwork import change_set_notify_later
        from workflow.reminders import stalled_cutoff
        from workflow.review import notify_reviewers
        from workflow.templatetags.workflow_tags import chases_fact, waiting_fact

        audit_register(Chase, parent=lambda c: ("tasks.item", c.item_id), unit=lambda c: c.unit_id,
                       create_action=AuditEvent.Action.CHASE)
        audit_register(CalendarDay)
        audit_register(CalendarYear)
        review_requested.connect(notify_reviewers, dispatch_uid="workflow-notify-reviewers")
        notice_published.connect(notify_lower_offices, dispatch_uid="workflow-notify-lower-offices")
        work_changed.connect(change_set_notify_later, dispatch_uid="workflow-tell-units-new-work")
        REQUEST_USER_ANNOTATIONS["unread_notification_count"] = unread_count_of_user
        HOME_FACTS.update(waiting=waiting_fact, chases=chases_fact)  # the home page's panels (workflow_tags)
        if stalled_cutoff not in STALLED_CUTOFF:
            STALLED_CUTOFF.append(stalled_cutoff)
