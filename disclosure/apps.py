from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "依申请公开"

    def ready(self):
        from disclosure import auditing
        from disclosure.services import reminder_notifications
        from disclosure.templatetags.disclosure_tags import due_fact
        from tasks.home_facts import HOME_FACTS
        from workflow.reminders import REMINDER_SOURCES

        auditing.register()
        HOME_FACTS["disclosure_due"] = due_fact  # the home page's panel (disclosure_tags)
        if reminder_notifications not in REMINDER_SOURCES:  # the daily send_reminders run
            REMINDER_SOURCES.append(reminder_notifications)
