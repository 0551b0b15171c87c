from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db import models

from core.admin_scope import GovernmentScopedAdminMixin
from core.locking import OptimisticLockAdminMixin
from units.models import Alias, Government, Unit, UnitGroup, User


@admin.register(Government)
class GovernmentAdmin(GovernmentScopedAdminMixin, admin.ModelAdmin):
    government_path = "pk"
    list_display = ["name", "short_name", "level", "upper", "shares_details", "sort_order"]
    list_filter = ["level", "shares_details"]
    search_fields = ["name", "short_name"]


class AliasInline(admin.TabularInline):
    """An alias belongs to the government of the unit or group it names (set on save)."""

    model = Alias
    fk_name = "unit"
    extra = 1
    exclude = ["government"]


class GovernmentOfParentMixin:
    def save_formset(self, request, form, formset, change):
        for alias in formset.save(commit=False):
            alias.government_id = form.instance.government_id
            alias.save()
        for alias in formset.deleted_objects:
            alias.delete()
        formset.save_m2m()


@admin.register(Unit)
class UnitAdmin(GovernmentScopedAdminMixin, OptimisticLockAdminMixin, GovernmentOfParentMixin, admin.ModelAdmin):
    list_display = ["short_name", "name", "government", "kind", "sort_order", "is_active"]
    list_filter = ["government", "kind", "is_active"]
    search_fields = ["name", "short_name", "aliases__text"]
    inlines = [AliasInline]
    # The work-group robot addresses: an address typed without a scheme is https (as Django 6 will assume).
    formfield_overrides = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}


class GroupAliasInline(AliasInline):
    fk_name = "group"


@admin.register(UnitGroup)
class UnitGroupAdmin(GovernmentScopedAdminMixin, GovernmentOfParentMixin, admin.ModelAdmin):
    list_display = ["phrase", "government", "description"]
    list_filter = ["government"]
    search_fields = ["phrase", "aliases__text"]
    filter_horizontal = ["members"]
    inlines = [GroupAliasInline]


@admin.register(Alias)
class AliasAdmin(GovernmentScopedAdminMixin, admin.ModelAdmin):
    list_display = ["text", "government", "unit", "group"]
    list_filter = ["government"]
    search_fields = ["text"]


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's form, with the warning it writes in English (not translatable upstream) in Chinese."""

    usable_password_help_text = (
        "是否允许该用户使用密码登录。关闭后，该用户只能通过其他方式（如单点登录）登录，或由管理员重新设置密码。"
        '<ul id="id_unusable_warning" class="messagelist"><li class="warning">关闭后，该用户当前的密码将失效。</li></ul>'
    )


@admin.register(User)
class UserAdmin(GovernmentScopedAdminMixin, OptimisticLockAdminMixin, BaseUserAdmin):
    list_display = ["username", "display_name", "government", "unit", "role", "is_active"]
    list_filter = ["government", "role", "unit__kind", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("单位与角色", {"fields": ("display_name", "phone", "government", "unit", "role", "must_change_password")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("单位与角色", {"fields": ("display_name", "government", "unit", "role")}),)
    change_password_form = PasswordChangeForm
    lock_exclude = ("last_login",)
