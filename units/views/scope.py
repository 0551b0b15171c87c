"""Who may keep master data, and the objects they reach: an office admin, within their own government.

Another government's unit, group or account is a 404 (recorded as a refused access); a liaison or viewer
gets 403. Superusers without a government (the install's operator) keep the Django admin for this.
"""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from units.models import Government, Unit, UnitGroup, User


def office_government(user) -> Government:
    if not user.is_office:
        raise PermissionDenied("只有公开办管理员可以维护单位与账号。")
    if user.government_id is None:
        raise PermissionDenied("您的账号不属于任何政府，请在管理后台维护单位与账号。")
    return user.government


def scoped_units(user):
    return Unit.objects.filter(government_id=user.government_id)


def scoped_groups(user):
    return UnitGroup.objects.filter(government_id=user.government_id)


def scoped_accounts(user):
    """The government's accounts an office admin manages: never a superuser's (that would hand over the admin)."""
    return User.objects.filter(government_id=user.government_id, is_superuser=False)


def office_view(view):
    """Login required, then office admins of a government only; the view gets `government` after `request`."""
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, office_government(request.user), *args, **kwargs)
    return wrapper
