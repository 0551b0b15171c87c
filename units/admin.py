from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm

from core.locking import OptimisticLockAdminMixin
from units.models import Alias, Unit, UnitGroup, User


class AliasInline(admin.TabularInline):
    model = Alias
    fk_name = "unit"
    extra = 1


@admin.register(Unit)
class UnitAdmin(OptimisticLockAdminMixin, admin.ModelAdmin):
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


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's form, with the warning it writes in English (not translatable upstream) in Chinese."""

    usable_password_help_text = (
        "是否允许该用户使用密码登录。关闭后，该用户只能通过其他方式（如单点登录）登录，或由管理员重新设置密码。"
        '<ul id="id_unusable_warning" class="messagelist"><li class="warning">关闭后，该用户当前的密码将失效。</li></ul>'
    )


@admin.register(User)
class UserAdmin(OptimisticLockAdminMixin, BaseUserAdmin):
    list_display = ["username", "display_name", "unit", "role", "is_active"]
    list_filter = ["role", "unit__kind", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (("单位与角色", {"fields": ("display_name", "phone", "unit", "role")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("单位与角色", {"fields": ("display_name", "unit", "role")}),)
    change_password_form = PasswordChangeForm
    lock_exclude = ("last_login",)
