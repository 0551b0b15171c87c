from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = "单位与用户"

    def ready(self):
        from audit.registry import audit_register

        audit_register("units.Unit", unit=lambda u: u.pk)
        audit_register("units.UnitGroup", m2m=("members",))
        audit_register("units.Alias", unit=lambda a: a.unit_id)
        audit_register("units.User", unit=lambda u: u.unit_id, m2m=("groups", "user_permissions"))

        from axes.signals import user_locked_out

        from units.lockout import on_locked_out

        user_locked_out.connect(on_locked_out, dispatch_uid="govopen-audit-lockout")
