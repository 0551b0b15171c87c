from django.contrib import admin

from core.admin_scope import GovernmentScopedAdminMixin, ReadOnlyAdminMixin
from workflow.models import CalendarDay, CalendarYear, Chase, Delivery


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "note", "created_at"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(Chase)
class ChaseAdmin(ReadOnlyAdminMixin, GovernmentScopedAdminMixin, admin.ModelAdmin):
    """Chases are a record: view only (they are made on the 催办 page)."""

    list_display = ["created_at", "unit", "assignment", "created_by"]
    list_filter = ["year"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, GovernmentScopedAdminMixin, admin.ModelAdmin):
    """发送记录: what the channels sent (or failed to). A record: view only; the office reads it at 发送记录 too."""

    list_display = ["created_at", "channel", "address", "recipient", "unit", "subject", "status", "attempts",
                    "delivered_at"]
    list_filter = ["status", "channel", "urgent"]
    search_fields = ["address", "subject", "reason"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "unit"]
    actions = None
