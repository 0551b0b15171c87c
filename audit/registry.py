"""Model change tracking: apps register their models (in AppConfig.ready()) with `audit_register`; the
signal handlers write a create / change / delete row with a before-and-after diff. Also the auth signals
(login, failed login, logout)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from audit.models import AuditEvent
from audit.trail import _Actor, _current, _label, _request_fields, audit_event

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
    update_action: Callable | None = None  # (instance, before) -> action code for a change, default "update"
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
    update_action(instance, before) -> the action code to record for a change, chosen from the stored
    values (codes such as "accepted"), never from display labels; create_action: the code for a creation.
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


def spec_for(label: str) -> AuditSpec | None:
    return _registry.get(label)


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
        record_created(instance, spec)
        return
    record_changed(instance, getattr(instance, "_audit_before", None), spec)
    instance._audit_before = None


def record_created(instance, spec: AuditSpec | None = None) -> None:
    spec = spec or _registry[instance._meta.label_lower]
    changes = {name: {"label": str(f.verbose_name), "after": _display(instance, f)}
               for name, (value, f) in _snapshot(instance, spec).items() if value not in (None, "", [], {})}
    _write(instance, spec, spec.create_action, changes)


def record_changed(instance, before, spec: AuditSpec | None = None) -> None:
    """One row for a change of `instance` from `before` (None: unknown), if anything worth noting changed."""
    spec = spec or _registry[instance._meta.label_lower]
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
    action = spec.update_action(instance, before) if spec.update_action and before is not None else None
    _write(instance, spec, action or AuditEvent.Action.UPDATE, changes)


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
    # A login refused before the password was checked (a lockout: units.lockout marks the request) is a
    # lockout row, never a wrong password: the password may well have been right.
    refused = getattr(request, "audit_login_refused", "") if request is not None else ""
    AuditEvent(action=AuditEvent.Action.LOCKOUT if refused else AuditEvent.Action.LOGIN_FAILED, success=False,
               object_type="units.user" if known else "", object_id=str(known.pk) if known else "",
               object_label=username, message=refused or "用户名或密码错误", **row_fields).save()


user_logged_in.connect(_on_login, dispatch_uid="govopen-audit-login")
user_logged_out.connect(_on_logout, dispatch_uid="govopen-audit-logout")
user_login_failed.connect(_on_login_failed, dispatch_uid="govopen-audit-login-failed")
