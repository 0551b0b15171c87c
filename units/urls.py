from django.urls import path

from units.views import account_import, accounts, government, units

app_name = "units"

urlpatterns = [
    path("government/", government.government_settings, name="government"),
    path("", units.unit_list, name="unit-list"),
    path("new/", units.unit_edit, name="unit-create"),
    path("<int:pk>/edit/", units.unit_edit, name="unit-edit"),
    path("<int:pk>/active/", units.unit_active, name="unit-active"),
    path("<int:pk>/delete/", units.unit_remove, name="unit-delete"),
    path("groups/", units.group_list, name="group-list"),
    path("groups/new/", units.group_edit, name="group-create"),
    path("groups/<int:pk>/edit/", units.group_edit, name="group-edit"),
    path("accounts/", accounts.account_list, name="account-list"),
    path("accounts/new/", accounts.account_new, name="account-create"),
    path("accounts/<int:pk>/edit/", accounts.account_edit, name="account-edit"),
    path("accounts/<int:pk>/active/", accounts.account_active, name="account-active"),
    path("accounts/<int:pk>/password/", accounts.account_password, name="account-password"),
    path("accounts/import/", account_import.list_upload, name="account-import"),
    path("accounts/import/confirm/", account_import.list_confirm, name="account-import-confirm"),
    path("accounts/import/template.xlsx", account_import.list_template, name="account-import-template"),
    path("accounts/import/result.xlsx", account_import.list_result_download, name="account-import-result"),
]
