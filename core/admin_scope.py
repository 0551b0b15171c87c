"""The Django admin is for superusers; a staff account that is not one (given model permissions by hand) sees
only its own government's rows there: lists, change pages and the choices of its foreign keys.

A model whose queryset has ``visible_to`` is scoped by it (the house rule: visibility goes through visible_to);
another names where its rows name their government (``government_path``: "government", "unit__government", "pk"
for governments themselves). Superusers see everything."""
from __future__ import annotations


class ReadOnlyAdminMixin:
    """A record kept by the app (chases, deliveries, the audit trail): the admin shows it, never adds, edits or
    deletes it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GovernmentScopedAdminMixin:
    government_path = "government"

    def scope_queryset(self, request, qs):
        """The rows a staff account that is not a superuser may reach: its government's (none without one)."""
        if hasattr(qs, "visible_to"):
            return qs.visible_to(request.user)
        government_id = request.user.government_id
        if government_id is None:
            return qs.none()
        return qs.filter(**{self.government_path: government_id})

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else self.scope_queryset(request, qs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A foreign key to a government, or to a row naming one, offers only the user's government's."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is None or request.user.is_superuser:
            return field
        related = db_field.related_model
        government_id = request.user.government_id
        if related._meta.label == "units.Government":
            field.queryset = field.queryset.filter(pk=government_id)
        elif any(f.name == "government" for f in related._meta.concrete_fields):
            field.queryset = field.queryset.filter(government_id=government_id)
        return field
