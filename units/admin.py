from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from units.audit import AuditEvent
from units.models import Alias, Unit, UnitGroup, User


class AliasInline(admin.TabularInline):
    model = Alias
    fk_name = "unit"
    extra = 1


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "kind", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "aliases__text"]
    inlines = [AliasInline]


class GroupAliasInline(admin.TabularInline):
    model = Alias
    fk_name = "group"
    extra = 1


@admin.register(UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin):
    list_display = ["phrase", "description"]
    search_fields = ["phrase", "aliases__text"]
    filter_horizontal = ["members"]
    inlines = [GroupAliasInline]


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["text", "unit", "group"]
    search_fields = ["text"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "unit", "role", "is_active"]
    list_filter = ["role", "unit__kind", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (("单位与角色", {"fields": ("display_name", "phone", "unit", "role")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("单位与角色", {"fields": ("display_name", "unit", "role")}),)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only; office admins browse it at 审计日志 (units:audit-list)."""

    list_display = ["created_at", "actor_name", "ip_address", "action", "object_type", "object_label", "success"]
    list_filter = ["action", "success", "object_type"]
    search_fields = ["actor_name", "object_label", "ip_address", "message"]
    date_hierarchy = "created_at"
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_office
