from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The security audit trail. It knows no project app: each app registers its own models in its
    AppConfig.ready() with audit.registry.audit_register."""

    name = "audit"
    verbose_name = "安全审计"

    def ready(self):
        from audit import (
            bulk,
            registry,  # noqa: F401  (connects the login / logout signal handlers)
        )

        bulk.install()  # QuerySet.update / bulk_create / bulk_update of registered models are recorded
