from axes import apps as apps_axes
from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GovopenConfig(AppConfig):
    """The project package as an app: keeps the database cache table in step with migrate."""

    name = "govopen"
    default = True  # the app config of "govopen" in INSTALLED_APPS (AxesConfig below is named explicitly)
    verbose_name = "政务公开任务台账"

    def ready(self):
        # post_migrate is only sent for apps with models: hang on to the sessions app, whose table
        # is the other piece of state the app servers share through the database.
        post_migrate.connect(create_cache_table, dispatch_uid="govopen-createcachetable")
        # The admin's yes/no icons carry alt="True" / "False" (not translatable upstream): say 是 / 否 instead.
        from django.contrib.admin.templatetags import admin_list

        admin_list._boolean_icon = _boolean_icon


def _boolean_icon(field_val):
    from django.templatetags.static import static
    from django.utils.html import format_html

    name, alt = {True: ("yes", "是"), False: ("no", "否"), None: ("unknown", "未知")}[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), alt)


def create_cache_table(sender, using="default", verbosity=1, **kwargs):
    """`migrate` also creates the DatabaseCache table (createcachetable skips tables that exist)."""
    if sender.name != "django.contrib.sessions":
        return
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class AxesConfig(apps_axes.AppConfig):
    """django-axes (login lockout) with a Chinese name in the admin, and its records described in Chinese.

    The records' __str__ is English in axes ("Access Log for … @ …") and shows in the admin's titles and
    breadcrumbs; it is replaced here, where the project wires its third-party apps.
    """

    verbose_name = "登录保护"

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessAttempt.__str__ = lambda self: f"{self.username or '（未填用户名）'} 的登录失败记录（{_when(self.attempt_time)}）"
        AccessFailureLog.__str__ = lambda self: (f"{self.username or '（未填用户名）'} 登录失败"
                                                 f"{'（已锁定）' if self.locked_out else ''}（{_when(self.attempt_time)}）")
        AccessLog.__str__ = lambda self: f"{self.username or '（未填用户名）'} 的登录记录（{_when(self.attempt_time)}）"


def _when(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y年%m月%d日 %H:%M") if value else ""
