from django.contrib import admin

from core.admin_scope import GovernmentScopedAdminMixin
from disclosure.models import Application, ApplicationEvent, Register, ReviewCase


@admin.register(Register)
class RegisterAdmin(GovernmentScopedAdminMixin, admin.ModelAdmin):
    government_path = "unit__government"
    list_display = ("unit", "started_year", "created_at")


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    fields = ("kind", "date", "note")
    readonly_fields = fields
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(GovernmentScopedAdminMixin, admin.ModelAdmin):
    """Read-only here: the register's pages keep the legal clock in step with every change."""

    list_display = ("unit", "reference", "received_on", "applicant_type", "outcome", "answered_on", "due_on")
    list_filter = ("unit", "applicant_type", "clock_state")
    date_hierarchy = "received_on"
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReviewCase)
class ReviewCaseAdmin(GovernmentScopedAdminMixin, admin.ModelAdmin):
    list_display = ("application", "kind", "body", "filed_on", "decided_on", "result")
    list_filter = ("kind", "result")
