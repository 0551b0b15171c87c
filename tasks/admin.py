"""Master data of the tasks app in the admin: the remembered column choices of the import (表头对应),
which the office may correct or remove like unit aliases."""
from django.contrib import admin

from tasks.models import ColumnChoice


@admin.register(ColumnChoice)
class ColumnChoiceAdmin(admin.ModelAdmin):
    list_display = ("header", "role", "created_by", "updated_at")
    list_filter = ("role",)
    search_fields = ("header",)
    readonly_fields = ("created_by", "updated_at")
