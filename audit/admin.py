from django.contrib import admin

from audit.models import AuditEvent
from core.admin_scope import GovernmentScopedAdminMixin, ReadOnlyAdminMixin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, GovernmentScopedAdminMixin, admin.ModelAdmin):
    """Read-only: the audit trail is append-only; office admins browse it at 审计日志 (audit:audit-list)."""

    list_display = ["created_at", "actor_name", "ip_address", "action", "object_type", "object_label", "success"]
    list_filter = ["action", "success", "object_type"]
    search_fields = ["actor_name", "object_label", "ip_address", "message"]
    date_hierarchy = "created_at"
    actions = None

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_office
