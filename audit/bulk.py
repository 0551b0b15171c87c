"""Bulk writes of audited models: `QuerySet.update()`, `bulk_create()` and `bulk_update()` send no model
signals, so without this they would change registered models unseen. Installed once by AuditConfig.ready():
for a model registered with audit_register (and only for those) each bulk write records one row per
object — created, or changed with its before-and-after values, exactly like a save() — through every
manager and related manager. Unregistered models (notifications, sessions, the audit tables) pay
nothing. An update that changes no stored value (the optimistic-locking `SET version = version`) writes
no row.
"""
from __future__ import annotations

from django.db.models import QuerySet

_original: dict = {}


def _spec(queryset):
    from audit.registry import spec_for

    if queryset.model.__module__ == "__fake__":
        return None  # a migration's historical model: like save() signals, migrations are not audited
    return spec_for(queryset.model._meta.label_lower)


def _update(self, **kwargs):
    spec = _spec(self)
    if spec is None:
        return _original["update"](self, **kwargs)
    base = self.model._base_manager.using(self.db)
    pks = list(self.values_list("pk", flat=True))
    before = base.in_bulk(pks) if pks else {}
    count = _original["update"](self, **kwargs)
    if pks:
        from audit.registry import record_changed

        for obj in base.filter(pk__in=pks).order_by("pk"):
            record_changed(obj, before.get(obj.pk), spec)
    return count


def _bulk_create(self, objs, *args, **kwargs):
    created = _original["bulk_create"](self, objs, *args, **kwargs)
    spec = _spec(self)
    if spec is not None:
        from audit.registry import record_created

        for obj in created:
            record_created(obj, spec)
    return created


def _bulk_update(self, objs, fields, *args, **kwargs):
    spec = _spec(self)
    objs = list(objs)
    if spec is None:
        return _original["bulk_update"](self, objs, fields, *args, **kwargs)
    base = self.model._base_manager.using(self.db)
    pks = [obj.pk for obj in objs if obj.pk is not None]
    before = base.in_bulk(pks)
    count = _original["bulk_update"](self, objs, fields, *args, **kwargs)
    from audit.registry import record_changed

    for obj in base.filter(pk__in=pks).order_by("pk"):
        record_changed(obj, before.get(obj.pk), spec)
    return count


def install() -> None:
    if _original:
        return
    _original.update(update=QuerySet.update, bulk_create=QuerySet.bulk_create, bulk_update=QuerySet.bulk_update)
    QuerySet.update, QuerySet.bulk_create, QuerySet.bulk_update = _update, _bulk_create, _bulk_update
