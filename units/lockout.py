"""The login lockout (django-axes) in the audit trail.

Three kinds of rows, never mixed up:
- a wrong password: 登录失败 (written by the audit trail's failed-login handler);
- the failure that reaches the limit: one 账号锁定 row, who and from where, for how long;
- any attempt while locked out: 账号锁定 "本次登录被拒绝（未校验密码）" — the password was never
  checked, so even the right one is not logged as a wrong one.

`LockoutAwareBackend` (first in AUTHENTICATION_BACKENDS) marks a request refused for a lockout, so the
handlers tell the cases apart whatever order the signal receivers run in.
"""
from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings

LOCKED_REFUSAL = "该账号已因连续登录失败被暂时锁定，本次登录被拒绝（未校验密码）。"


class LockoutAwareBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            if request is not None:
                request.audit_login_refused = LOCKED_REFUSAL  # read by the failed-login handler
            raise


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """The attempt that reached the failure limit (axes also sends this for attempts while locked)."""
    from audit.models import AuditEvent
    from audit.trail import audit_event
    from units.models import User

    if request is None or getattr(request, "audit_login_refused", ""):
        return  # an attempt during the lockout: already recorded as a refusal
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    known = User.objects.filter(username=username).first() if username else None
    audit_event(request, AuditEvent.Action.LOCKOUT, obj=known,
                label=str(username or "")[:150], success=False,
                message=f"连续 {settings.AXES_FAILURE_LIMIT} 次登录失败，账号“{username}”已从 {ip_address or '未知地址'} "
                        f"锁定{f' {minutes} 分钟' if minutes else ''}。")
