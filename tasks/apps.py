from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "任务分解表"

    def ready(self):
        from tasks import auditing, ledger

        auditing.register()
        ledger.connect_signals()  # unit sort order and group membership edits reach the ledger rows
