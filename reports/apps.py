from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "汇总与报告"

    def ready(self):
        from reports import auditing

        auditing.register()

        from reports.annual.reminders import annual_report_reminders
        from workflow.reminders import REMINDER_SOURCES

        if annual_report_reminders not in REMINDER_SOURCES:
            REMINDER_SOURCES.append(annual_report_reminders)
