"""Optimistic locking for rows with a `version` field (Notice, Item, Assignment, report texts).

A page sends the version it showed; the save first runs

    UPDATE … SET version = version WHERE id = %s AND version = %s

inside the request's transaction. The row stays locked until commit (PostgreSQL row lock; SQLite's
database write lock), so of two simultaneous saves of the same version exactly one matches: the other
waits, then finds the version moved on and is refused. The caller then saves with version + 1.
"""
from django.core.exceptions import ValidationError
from django.db import models
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


# --- rows without a version column: the admin's unit and user forms --------------------------------------

ADMIN_STALE = "该记录在您打开页面后已被其他人修改，您的修改未保存。请重新打开页面查看最新内容后再修改。"
FINGERPRINT_FIELD = "_row_fingerprint"


def row_fingerprint(obj, *, exclude=()) -> str:
    """A digest of the row's stored values: it changes whenever anyone saves a different value."""
    import hashlib
    import json

    values = [(f.attname, f.value_to_string(obj)) for f in obj._meta.concrete_fields if f.name not in exclude]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()


class OptimisticLockAdminMixin:
    """Optimistic locking for a ModelAdmin whose model has no version field.

    The change page carries a fingerprint of the row as it was shown (a hidden input written by the
    template admin/optimistic_change_form.html); saving compares it with the row as it is now, locked
    for the admin's transaction, and refuses with ADMIN_STALE when someone saved in between or when
    the fingerprint is missing. Fields that change without anyone editing the form (last_login) are
    left out through `lock_exclude`.
    """

    lock_exclude: tuple = ()
    change_form_template = "admin/optimistic_change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class
        exclude = self.lock_exclude

        class LockedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                sent = self.data.get(FINGERPRINT_FIELD, "")
                current = type(self.instance)._base_manager.select_for_update().filter(pk=self.instance.pk).first()
                if current is None or not sent or sent != row_fingerprint(current, exclude=exclude):
                    raise ValidationError(ADMIN_STALE)
                return cleaned

        return LockedForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            shown = request.POST.get(FINGERPRINT_FIELD) if request.method == "POST" else None
            context["row_fingerprint"] = shown or row_fingerprint(obj, exclude=self.lock_exclude)
            context["row_fingerprint_field"] = FINGERPRINT_FIELD
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class Versioned(models.Model):
    """THE optimistic-locking pair of an editable row: ``version`` (what a page sends back and a save checks,
    see take_row) and ``updated_at``. Notices, items, ledger rows, 依申请公开 applications and report texts."""

    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        abstract = True
