from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Backup, verification and restore (management commands only)."""

    name = "ops"
