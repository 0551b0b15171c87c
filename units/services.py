"""Master-data writes of an office admin (基础数据): units with their aliases and groups, group phrases,
and accounts (单位联络员 and others) with their passwords.

Every save goes through the ORM, so the audit trail (audit.registry) records it, and the ledger's copied
columns follow a unit's sort order and a group's membership through tasks.ledger's signal handlers (units
sits below tasks and may not call it; the admin relies on the same handlers).
"""
from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from audit.models import AuditEvent
from audit.trail import audit_event
from units.models import Alias, Government, Unit, UnitGroup, User

# Easy to read aloud and type from a slip of paper: no 0/O, 1/l/I.
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz"
_DIGITS = "23456789"
_SYMBOLS = "-@#%+"


def generated_password(length: int = 12) -> str:
    """A password the validators accept: letters of both cases, digits and a symbol, no look-alikes."""
    while True:
        chars = [secrets.choice(_LETTERS) for _ in range(length - 3)]
        chars += [secrets.choice(_DIGITS), secrets.choice(_DIGITS), secrets.choice(_SYMBOLS)]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        if (any(c in string.ascii_uppercase for c in password) and any(c in string.ascii_lowercase for c in password)
                and password[0] not in _SYMBOLS):
            return password


def _set_aliases(*, government: Government, aliases: list[str], unit: Unit | None = None,
                 group: UnitGroup | None = None) -> None:
    owner = {"unit": unit} if unit is not None else {"group": group}
    current = {a.text: a for a in Alias.objects.filter(government=government, **owner)}
    for text, alias in current.items():
        if text not in aliases:
            alias.delete()
    for text in aliases:
        if text not in current:
            Alias.objects.create(government=government, text=text, **owner)


@transaction.atomic
def unit_save(*, unit: Unit, aliases: list[str], groups: list[UnitGroup]) -> Unit:
    """Create or change a unit with its aliases and its group memberships.

    A changed sort order reaches the ledger rows (tasks.ledger `_unit_saved` → ledger_refresh); a changed
    membership re-syncs this year's rows of items named through the group (`_group_members_changed`).
    """
    unit.full_clean()
    unit.save()
    _set_aliases(government=unit.government, aliases=aliases, unit=unit)
    current = set(unit.groups.values_list("pk", flat=True))
    wanted = {g.pk for g in groups}
    if removed := current - wanted:
        unit.groups.remove(*removed)
    if added := wanted - current:
        unit.groups.add(*added)
    return unit


@transaction.atomic
def unit_set_active(*, unit: Unit, active: bool) -> Unit:
    unit.is_active = active
    unit.save(update_fields=["is_active"])
    return unit


@transaction.atomic
def unit_delete(*, unit: Unit) -> None:
    """Delete a unit nothing refers to; a unit with ledger rows, accounts or reports is refused (停用 instead)."""
    rows = unit.assignments.count()
    if rows:
        raise ValidationError(f"“{unit.short_name}”已有 {rows} 条台账记录，不能删除（删除会丢失台账和落实情况）。"
                              "如该单位已撤并，请改为“停用”：停用后不再出现在单位选择中，原有台账保留。")
    users = unit.users.count()
    if users:
        raise ValidationError(f"“{unit.short_name}”还有 {users} 个账号，不能删除。请先将账号调整到其他单位，"
                              "或改为“停用”该单位。")
    try:
        with transaction.atomic():
            unit.delete()
    except ProtectedError:
        raise ValidationError(f"“{unit.short_name}”已有年度报告或依申请公开记录，不能删除，请改为“停用”。") from None


@transaction.atomic
def group_save(*, group: UnitGroup, members: list[Unit], aliases: list[str]) -> UnitGroup:
    """Create or change a group phrase with its members and aliases (members re-sync the ledger, see above)."""
    group.full_clean()
    group.save()
    _set_aliases(government=group.government, aliases=aliases, group=group)
    current = set(group.members.values_list("pk", flat=True))
    wanted = {u.pk for u in members}
    if removed := current - wanted:
        group.members.remove(*removed)
    if added := wanted - current:
        group.members.add(*added)
    return group


# --- accounts ------------------------------------------------------------------------------------------------

@dataclass
class NewAccount:
    unit: Unit | None
    username: str
    display_name: str
    phone: str = ""
    email: str = ""
    role: str = User.Role.LIAISON


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


@transaction.atomic
def account_create(*, government: Government, account: NewAccount, password: str | None = None) -> tuple[User, str]:
    """A new account of `government`; returns it with its initial password (generated unless given).

    The user must choose their own password at the first login (the office knows the initial one).
    """
    if User.objects.filter(username__iexact=account.username).exists():
        raise ValidationError({"username": f"登录账号“{account.username}”已被使用，请换一个。"})
    user = User(username=account.username, display_name=account.display_name, phone=account.phone,
                email=account.email, role=account.role, unit=account.unit, government=government,
                must_change_password=True)
    password = password or generated_password()
    _check_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user, password


@transaction.atomic
def accounts_bulk_create(*, government: Government, accounts: list[NewAccount], request=None) -> list[tuple[User, str]]:
    """Every account of an uploaded list, or none (the caller checked the list; a clash still rolls back)."""
    created = [account_create(government=government, account=account) for account in accounts]
    audit_event(request, AuditEvent.Action.IMPORT, object_type="units.user", label="批量创建账号",
                message=f"批量创建账号 {len(created)} 个：" + "、".join(u.username for u, _ in created))
    return created


@transaction.atomic
def account_set_active(*, user: User, active: bool) -> User:
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def account_reset_password(*, user: User, password: str | None = None, request=None) -> str:
    """Give `user` a new password (generated unless given), to be changed at the next login."""
    password = password or generated_password()
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_event(request, AuditEvent.Action.OTHER, obj=user, message=f"重置密码：{user.username}（下次登录须修改）")
    return password
