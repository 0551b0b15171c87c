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

import contextvars
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404
from django.utils import timezone

SYSTEM_ACTOR = "系统"


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("审计日志只能追加，不能修改。")

    def delete(self):
        raise AuditLogImmutable("审计日志只能追加，不能删除。")

    def visible_to(self, user):
        """Only office admins read the audit trail as a whole."""
        if not user.is_authenticated or not user.is_office:
            return self.none()
        return self

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
        LOGOUT = "logout", "退出登录"
        REFUSED = "refused", "拒绝访问"
        IMPORT = "import", "导入"
        EXPORT = "export", "导出"
        SUBMIT = "submit", "报送"
        REVIEW_ACCEPT = "review_accept", "审核通过"
        REVIEW_RETURN = "review_return", "审核退回"
        CHASE = "chase", "催办"
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


# --- the current request ---------------------------------------------------------------------------------

_current: contextvars.ContextVar = contextvars.ContextVar("govopen_audit_request", default=None)


@dataclass
class _Actor:
    """What a non-request context (a command, a test) says about who is acting."""

    user: object = None
    META: dict = field(default_factory=dict)
    path: str = ""
    method: str = ""


@contextmanager
def audit_actor(user=None):
    """Attribute the audit rows written inside the block to `user` (None: the system)."""
    token = _current.set(_Actor(user=user))
    try:
        yield
    finally:
        _current.reset(token)


def client_ip(request) -> str | None:
    meta = getattr(request, "META", {}) or {}
    if getattr(settings, "GOVOPEN_TRUST_X_FORWARDED_FOR", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        # The last entry is the one our own proxy appended; earlier ones come from the client.
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if parts:
            return _valid_ip(parts[-1])
    return _valid_ip(meta.get("REMOTE_ADDR"))


def _valid_ip(value) -> str | None:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_ipv46_address

    if not value:
        return None
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    return value


def _request_fields(request, user=None) -> dict:
    """Actor and address columns from a request (or an _Actor, or nothing)."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and getattr(candidate, "is_authenticated", False):
            user = candidate
    fields = {"actor": None, "actor_name": SYSTEM_ACTOR if request is None or isinstance(request, _Actor) else "",
              "actor_unit_id": None, "ip_address": None, "user_agent": "", "request_path": ""}
    if user is not None and getattr(user, "is_authenticated", False):
        fields.update(actor=user, actor_name=user.get_username(), actor_unit_id=user.unit_id)
    if request is not None and not isinstance(request, _Actor):
        fields.update(
            ip_address=client_ip(request),
            user_agent=(request.META.get("HTTP_USER_AGENT", "") or "")[:300],
            request_path=f"{request.method} {request.get_full_path()}"[:300],
        )
    return fields


def _label(obj) -> str:
    try:
        return str(obj)[:300]
    except Exception:  # a half-deleted object may fail to describe itself
        return f"#{obj.pk}"


def audit_event(request_or_user, action: str, *, obj=None, object_type: str = "", object_id="", label: str = "",
                unit=None, success: bool = True, changes: dict | None = None, message: str = "") -> AuditEvent:
    """Write one audit row now. `request_or_user`: a request, a user, or None (the system or audit_actor)."""
    if request_or_user is None:
        request, user = _current.get(), None
    elif hasattr(request_or_user, "META"):
        request, user = request_or_user, None
    else:
        request, user = _current.get(), request_or_user
    if isinstance(request, _Actor) and user is None:
        user = request.user
    row = AuditEvent(action=action, success=success, changes=changes or {}, message=message[:500],
                     **_request_fields(request, user))
    if obj is not None:
        spec = _registry.get(obj._meta.label_lower)
        row.object_type, row.object_id = obj._meta.label_lower, str(obj.pk)
        row.object_label = label[:300] or _label(obj)
        if spec:
            row.parent_type, row.parent_id = spec.parent_of(obj)
            row.unit_id = spec.unit_of(obj)
    else:
        row.object_type, row.object_id, row.object_label = object_type, str(object_id or ""), label[:300]
    if unit is not None:
        row.unit_id = getattr(unit, "pk", unit)
    row.save()
    return row


def audit_refusal(request, obj_label: str, *, obj=None, message: str = "") -> None:
    """Record that `request` was refused access to a scoped object (a 404 or 403 by design).

    The row is written by AuditMiddleware once the response is out, so the view's transaction rolling
    back on Http404 does not take the row with it.
    """
    pending = getattr(request, "_audit_pending", None)
    kwargs = {"obj": obj, "label": obj_label, "success": False, "message": message or f"拒绝访问：{obj_label}"}
    if pending is None:
        audit_event(request, AuditEvent.Action.REFUSED, **kwargs)
    else:
        pending.append(kwargs)


def get_scoped_or_404(request, visible, **lookup):
    """The object from the scoped queryset `visible`, or 404 — recording a refusal when it exists elsewhere."""
    try:
        return visible.get(**lookup)
    except visible.model.DoesNotExist:
        hidden = visible.model._base_manager.filter(**lookup).first()
        if hidden is not None:
            audit_refusal(request, _label(hidden), obj=hidden)
        raise Http404("您要查看的内容不存在，或不属于您的单位。")


class AuditMiddleware:
    """Makes the request visible to the audit signal handlers; records refusals and 403 responses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._audit_pending = []
        token = _current.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        pending, request._audit_pending = request._audit_pending, None
        for kwargs in pending:
            audit_event(request, AuditEvent.Action.REFUSED, **kwargs)
        if response.status_code == 403 and not pending:
            audit_event(request, AuditEvent.Action.REFUSED, success=False, label=request.path[:300],
                        message=f"拒绝访问（403）：{request.method} {request.path}"[:500])
        return response


# --- model change tracking -------------------------------------------------------------------------------

# Never copied into a diff, only noted as changed.
SECRET_FIELDS = {"password"}
# Bookkeeping that changes on every save, or repeats the event's own time, and says nothing by itself.
NOISE_FIELDS = {"updated_at", "created_at", "last_login", "version"}


@dataclass
class AuditSpec:
    label: str
    parent: Callable | None = None  # obj -> (model label, pk) of the object it belongs to, or None
    unit: Callable | None = None  # obj -> unit id (or Unit) it concerns, or None
    exclude: frozenset = frozenset()
    update_action: Callable | None = None  # (changes) -> action for a change, default "update"
    create_action: str = "create"

    def parent_of(self, obj) -> tuple[str, str]:
        if self.parent is None:
            return "", ""
        value = self.parent(obj)
        if not value or value[1] is None:
            return "", ""
        return value[0], str(value[1])

    def unit_of(self, obj):
        if self.unit is None:
            return None
        value = self.unit(obj)
        return getattr(value, "pk", value)


_registry: dict[str, AuditSpec] = {}


def audit_register(model, *, parent=None, unit=None, exclude=(), update_action=None, create_action="create",
                   m2m=()) -> None:
    """Track create / change / delete of `model` (a class or an "app_label.Model" string).

    parent(obj) -> (label, pk) puts the rows in the parent's history too (`for_object(parent)`);
    unit(obj) -> the unit the object concerns; m2m: names of many-to-many fields to track;
    update_action(changes) -> the action to record for a change; create_action: the action for a creation.
    """
    label = model.lower() if isinstance(model, str) else model._meta.label_lower
    _registry[label] = AuditSpec(label=label, parent=parent, unit=unit, exclude=frozenset(exclude),
                                 update_action=update_action, create_action=create_action)
    uid = f"govopen-audit-{label}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(_post_save, sender=model, dispatch_uid=uid, weak=False)
    pre_delete.connect(_pre_delete, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid, weak=False)
    app_label, model_name = label.split(".")
    for name in m2m:
        through = f"{app_label}.{model_name}_{name}"
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}-{name}", weak=False)


def registered_labels() -> list[str]:
    return sorted(_registry)


def _display(instance, model_field):
    if model_field.name in SECRET_FIELDS:
        return "******" if getattr(instance, model_field.attname) else ""
    value = getattr(instance, model_field.attname)
    if model_field.is_relation:
        if value is None:
            return None
        if model_field.is_cached(instance):
            return f"{_label(getattr(instance, model_field.name))}（#{value}）"
        return f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if hasattr(value, "name") and isinstance(model_field, models.FileField):
        return value.name or ""
    return value


def _tracked_fields(instance, spec: AuditSpec):
    for model_field in instance._meta.concrete_fields:
        if model_field.primary_key or model_field.name in spec.exclude or model_field.name in NOISE_FIELDS:
            continue
        yield model_field


def _snapshot(instance, spec: AuditSpec) -> dict:
    return {f.name: (getattr(instance, f.attname), f) for f in _tracked_fields(instance, spec)}


def _pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        instance._audit_before = None
        return
    instance._audit_before = sender._base_manager.filter(pk=instance.pk).first()


def _post_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    spec = _registry[sender._meta.label_lower]
    if created:
        changes = {name: {"label": str(f.verbose_name), "after": _display(instance, f)}
                   for name, (value, f) in _snapshot(instance, spec).items() if value not in (None, "", [], {})}
        _write(instance, spec, spec.create_action, changes)
        return
    before = getattr(instance, "_audit_before", None)
    changes = {}
    for name, (value, model_field) in _snapshot(instance, spec).items():
        old = getattr(before, model_field.attname) if before is not None else None
        if before is not None and old == value:
            continue
        if before is None and value in (None, ""):
            continue
        changes[name] = {"label": str(model_field.verbose_name),
                         "before": _display(before, model_field) if before is not None else None,
                         "after": _display(instance, model_field)}
    if not changes:
        return  # a save that changed nothing worth recording (e.g. only last_login)
    action = spec.update_action(changes) if spec.update_action else AuditEvent.Action.UPDATE
    _write(instance, spec, action or AuditEvent.Action.UPDATE, changes)
    instance._audit_before = None


def _pre_delete(sender, instance, **kwargs):
    spec = _registry[sender._meta.label_lower]
    # Resolve parent and unit while the related rows still exist (cascades delete them next).
    try:
        instance._audit_parent = spec.parent_of(instance)
        instance._audit_unit = spec.unit_of(instance)
    except Exception:
        instance._audit_parent, instance._audit_unit = ("", ""), None


def _post_delete(sender, instance, **kwargs):
    spec = _registry[sender._meta.label_lower]
    changes = {name: {"label": str(f.verbose_name), "before": _display(instance, f)}
               for name, (value, f) in _snapshot(instance, spec).items() if value not in (None, "", [], {})}
    _write(instance, spec, AuditEvent.Action.DELETE, changes,
           parent=getattr(instance, "_audit_parent", None), unit=getattr(instance, "_audit_unit", None))


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    spec = _registry.get(instance._meta.label_lower)
    if spec is None:
        return
    if reverse:
        field_name, verbose = model._meta.model_name, str(model._meta.verbose_name)
    else:
        field_name = next((f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), "")
        verbose = next((str(f.verbose_name) for f in instance._meta.many_to_many if f.name == field_name),
                       field_name)
    names = [_label(o) for o in model._base_manager.filter(pk__in=pk_set or [])]
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    changes = {field_name: {"label": verbose,
                            "before": "、".join(names) if verb == "removed" else ("（全部）" if verb == "cleared" else ""),
                            "after": "、".join(names) if verb == "added" else ""}}
    _write(instance, spec, AuditEvent.Action.UPDATE, changes)


def _write(instance, spec: AuditSpec, action: str, changes: dict, *, parent=None, unit=None) -> None:
    request = _current.get()
    user = request.user if isinstance(request, _Actor) else None
    if parent is None:
        parent = spec.parent_of(instance)
    if unit is None and action != AuditEvent.Action.DELETE:
        unit = spec.unit_of(instance)
    AuditEvent(action=action, object_type=spec.label, object_id=str(instance.pk), object_label=_label(instance),
               parent_type=parent[0], parent_id=parent[1], unit_id=getattr(unit, "pk", unit), changes=changes,
               **_request_fields(request, user)).save()


# --- authentication --------------------------------------------------------------------------------------

def _on_login(sender, request, user, **kwargs):
    audit_event(request, AuditEvent.Action.LOGIN, obj=user, message="登录成功")


def _on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    audit_event(request, AuditEvent.Action.LOGOUT, obj=user, message="退出登录")


def _on_login_failed(sender, credentials, request=None, **kwargs):
    from django.contrib.auth import get_user_model

    username = str(credentials.get("username") or "")[:150]
    row_fields = _request_fields(request)
    known = get_user_model()._default_manager.filter(username=username).first() if username else None
    row_fields.update(actor=known, actor_name=username, actor_unit_id=getattr(known, "unit_id", None))
    AuditEvent(action=AuditEvent.Action.LOGIN_FAILED, success=False, object_type="units.user" if known else "",
               object_id=str(known.pk) if known else "", object_label=username, message="用户名或密码错误",
               **row_fields).save()


user_logged_in.connect(_on_login, dispatch_uid="govopen-audit-login")
user_logged_out.connect(_on_logout, dispatch_uid="govopen-audit-logout")
user_login_failed.connect(_on_login_failed, dispatch_uid="govopen-audit-login-failed")


# --- the units app's own models --------------------------------------------------------------------------

audit_register("units.Unit", unit=lambda u: u.pk)
audit_register("units.UnitGroup", m2m=("members",))
audit_register("units.Alias", unit=lambda a: a.unit_id)
audit_register("units.User", unit=lambda u: u.unit_id, m2m=("groups", "user_permissions"))
