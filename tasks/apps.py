from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "任务分解表"

    def ready(self):
        from tasks import auditing

        auditing.register()
