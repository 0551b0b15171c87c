from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The benchmark and the demo loader: development tools, no business logic, imported by no app."""

    name = "devtools"
