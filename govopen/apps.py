from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GovopenConfig(AppConfig):
    """The project package as an app: keeps the database cache table in step with migrate."""

    name = "govopen"
    verbose_name = "政务公开任务台账"

    def ready(self):
        # post_migrate is only sent for apps with models: hang on to the sessions app, whose table
        # is the other piece of state the app servers share through the database.
        post_migrate.connect(create_cache_table, dispatch_uid="govopen-createcachetable")


def create_cache_table(sender, using="default", verbosity=1, **kwargs):
    """`migrate` also creates the DatabaseCache table (createcachetable skips tables that exist)."""
    if sender.name != "django.contrib.sessions":
        return
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
