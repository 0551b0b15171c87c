"""Shared view helpers: the office-only guard, today's date, and redirects that stay on this site."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme


def today():
    return timezone.localdate()


def require_office(user, government_id: int | None = None):
    """Office staff only; with ``government_id`` (the object's government), only that government's office:
    an upper or lower office may read a table of another government but never change it."""
    if not user.is_office:
        raise PermissionDenied("只有公开办管理员可以进行此操作。")
    if government_id is not None and not user.sees_all_governments and user.government_id != government_id:
        raise PermissionDenied("只能修改本级政府的通知和事项。")


class OfficeRequiredMixin(LoginRequiredMixin):
    """Office staff only: others get 403 (they can see the notice but not change it)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_office(request.user)
        return super().dispatch(request, *args, **kwargs)


def safe_next_url(request, target: str | None) -> str | None:
    """`target` when it points into this site (a path, or this host over this scheme), else None.

    `//evil.example`, `/\\evil.example`, `https://evil.example/` and `javascript:` all come back None.
    """
    if not target:
        return None
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                              require_https=request.is_secure())
    return target if allowed else None


def redirect_next(request, fallback, *args, **kwargs):
    """Redirect to the posted (or queried) `next` when it stays on this site, else to `fallback`."""
    target = safe_next_url(request, request.POST.get("next") or request.GET.get("next"))
    return redirect(target) if target else redirect(fallback, *args, **kwargs)
