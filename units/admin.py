from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

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
