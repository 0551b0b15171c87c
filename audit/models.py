"""Security audit trail (安全审计, 等保2.0 二级): who did what, when, from where, with what result.

AuditEvent rows are append-only: the model refuses to save an existing row or to delete one, its
QuerySet refuses update() and delete(), the admin is read-only, and no view writes to it except by
adding rows. Rows are written by

- model signals for every model registered with `audit_register` (create / change / delete, with a
  before-and-after diff); units registers its own models below, tasks registers its models itself;
- auth signals (login, failed login, logout);
- `AuditMiddleware`, which also makes the current request available to the signal handlers and records
  403 responses and the refusals views report through `audit_refusal`;
- `audit_event(...)`, for imports, exports and anything else worth a row.

Code outside a request (management commands) can name the actor with `with audit_actor(user): ...`.
"""
from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.subqueries import any_of

SYSTEM_ACTOR = "系统"


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("审计日志只能追加，不能修改。")

    def delete(self):
        raise AuditLogImmutable("审计日志只能追加，不能删除。")

    def visible_to(self, user):
        """Only office admins read the audit trail: their government's (what its users did, and what was done
        to its units' objects); the install's operator reads all of it."""
        if not user.is_authenticated or not user.is_office:
            return self.none()
        if user.sees_all_governments:
            return self
        # Three id columns tested against the government's users and units (each an index condition, see
        # core.subqueries.any_of), not three joins OR-ed together, which PostgreSQL could only test row by row
        # over the whole trail of every government. Same rows: a missing or deleted user or unit matches neither.
        gov = user.government_id
        users = self.model._meta.get_field("actor").related_model.objects.filter(government_id=gov).order_by().values("pk")
        units = self.model._meta.get_field("unit").related_model.objects.filter(government_id=gov).order_by().values("pk")
        return self.filter(any_of("actor_id", users) | any_of("actor_unit_id", units) | any_of("unit_id", units))

    def for_object(self, obj):
        """Events on the object itself and on the objects it contains (an item's rows, reports, chases…)."""
        label, pk = obj._meta.label_lower, str(obj.pk)
        return self.filter(Q(object_type=label, object_id=pk) | Q(parent_type=label, parent_id=pk))

    def with_related(self):
        return self.select_related("actor_unit", "unit")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKOUT = "lockout", "账号锁定"
        LOGOUT = "logout", "退出登录"
        REFUSED = "refused", "拒绝访问"
        IMPORT = "import", "导入"
        EXPORT = "export", "导出"
        SUBMIT = "submit", "报送"
        REVIEW_ACCEPT = "review_accept", "审核通过"
        REVIEW_RETURN = "review_return", "审核退回"
        CHASE = "chase", "催办"
        STATE = "state", "状态变更"
        OTHER = "other", "其他"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    # Plain references without database constraints: deleting a user or unit must not touch audit rows.
    actor = models.ForeignKey("units.User", null=True, blank=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+", verbose_name="操作人")
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    actor_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.DO_NOTHING,
                                   db_constraint=False, related_name="+", verbose_name="操作人单位")
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    request_path = models.CharField("请求", max_length=300, blank=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_label = models.CharField("对象", max_length=300, blank=True)
    parent_type = models.CharField("所属对象类型", max_length=100, blank=True)
    parent_id = models.CharField("所属对象编号", max_length=64, blank=True)
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+", verbose_name="涉及单位")
    success = models.BooleanField("结果", default=True)
    changes = models.JSONField("变更内容", default=dict, blank=True, encoder=DjangoJSONEncoder)
    message = models.CharField("说明", max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["parent_type", "parent_id"], name="audit_parent"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_time"),
            models.Index(fields=["unit", "created_at"], name="audit_unit_time"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_name or SYSTEM_ACTOR} {self.get_action_display()} {self.object_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)
        from audit.chain import schedule_seal

        schedule_seal(self.pk, using=self._state.db or "default")

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("审计日志只能追加，不能删除。")

    @property
    def object_type_display(self) -> str:
        return object_type_name(self.object_type)

    @property
    def result_display(self) -> str:
        return "成功" if self.success else "失败"

    def change_rows(self) -> list[dict]:
        """[{label, before, after}] for the template."""
        return [{"field": name, **value} for name, value in (self.changes or {}).items() if isinstance(value, dict)]


def object_type_name(label: str) -> str:
    from django.apps import apps

    if not label:
        return ""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


class AuditSealQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("审计日志封存只能追加，不能修改。")

    def delete(self):
        raise AuditLogImmutable("审计日志封存只能追加，不能删除。")


class AuditSeal(models.Model):
    """One link of the audit trail's hash chain (audit.chain): the row it seals, in chain order."""

    seq = models.PositiveBigIntegerField("环序号", unique=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.DO_NOTHING, db_constraint=False, related_name="seal",
                                 verbose_name="审计记录")
    previous_hash = models.CharField("前一环哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)
    sealed_at = models.DateTimeField("封存时间", default=timezone.now)

    objects = AuditSealQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = "审计日志封存"
        verbose_name_plural = "审计日志封存"
        default_permissions = ("view",)

    def __str__(self):
        return f"第{self.seq}环 #{self.event_id} {self.hash[:12]}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("审计日志封存只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("审计日志封存只能追加，不能删除。")
