"""Writing audit rows: the acting request or user, audit_event, refusals and scoped lookups."""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404

from audit.models import SYSTEM_ACTOR, AuditEvent

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
        from audit.registry import spec_for

        spec = spec_for(obj._meta.label_lower)
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
