"""Shared view helpers: the office-only guard and today's date."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone


def today():
    return timezone.localdate()


def require_office(user):
    if not user.is_office:
        raise PermissionDenied("只有公开办管理员可以进行此操作。")


class OfficeRequiredMixin(LoginRequiredMixin):
    """Office staff only: others get 403 (they can see the notice but not change it)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_office(request.user)
        return super().dispatch(request, *args, **kwargs)
