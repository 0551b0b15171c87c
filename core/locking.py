"""Optimistic locking for rows with a `version` field (Notice, Item, Assignment, report texts).

A page sends the version it showed; the save first runs

    UPDATE … SET version = version WHERE id = %s AND version = %s

inside the request's transaction. The row stays locked until commit (PostgreSQL row lock; SQLite's
database write lock), so of two simultaneous saves of the same version exactly one matches: the other
waits, then finds the version moved on and is refused. The caller then saves with version + 1.
"""
from django.core.exceptions import ValidationError
from django.db.models import F

STALE_MESSAGE = "{what}已被其他人修改，您的修改未保存。请刷新页面查看最新内容后重新编辑。"
MISSING_VERSION = "页面缺少版本信息，您的修改未保存。请刷新页面后重新编辑。"


class VersionRequiredMixin:
    """For a form with a hidden integer `version`: a POST without it is refused, never saved blind."""

    def clean(self):
        cleaned = super().clean()
        if "version" in self.fields and cleaned.get("version") is None:
            self.errors.pop("version", None)
            raise ValidationError(MISSING_VERSION)
        return cleaned


def expected_version(data, obj=None) -> int | None:
    """The version the page was showing, or None (refused as stale) when the form did not send one.

    A POST without its version must never overwrite: it may come from a page opened before someone
    else's save, or from a script that skipped the field. `obj` is accepted for older callers.
    """
    sent = str(data.get("version") or "").strip()
    return int(sent) if sent.isdigit() else None


def take_row(obj, version: int | None) -> bool:
    """Lock obj's row for this transaction if it is still at `version`; False when someone saved first."""
    if version is None:
        return False
    model = type(obj)
    return model._base_manager.filter(pk=obj.pk, version=version).update(version=F("version")) == 1
