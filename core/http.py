"""Shared view helpers: the office-only guard and today's date."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone


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
