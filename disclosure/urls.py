from django.urls import path

from disclosure.views import applications, imports, register

app_name = "disclosure"

urlpatterns = [
    path("", register.application_list, name="application-list"),
    path("open/", register.open_overview, name="open-overview"),
    path("register-export.xlsx", register.application_export, name="application-export"),
    path("tables/", register.annual_tables_page, name="annual-tables"),
    path("tables/start/", register.register_start, name="register-start"),
    path("cases/", register.case_list, name="case-list"),
    path("stats/", register.stats_page, name="stats"),
    path("new/", applications.application_create, name="application-create"),
    path("import/", imports.import_start, name="import-start"),
    path("import/preview/", imports.import_preview, name="import-preview"),
    path("import/columns/", imports.import_remap, name="import-remap"),
    path("import/confirm/", imports.import_confirm, name="import-confirm"),
    path("<int:pk>/", applications.application_detail, name="application-detail"),
    path("<int:pk>/edit/", applications.application_edit, name="application-edit"),
    path("<int:pk>/events/", applications.event_add, name="event-add"),
    path("events/<int:pk>/delete/", applications.event_delete, name="event-delete"),
    path("<int:pk>/answer/", applications.application_answer, name="application-answer"),
    path("<int:pk>/reopen/", applications.application_reopen, name="application-reopen"),
    path("<int:pk>/documents/", applications.document_upload, name="document-upload"),
    path("documents/<int:pk>/", applications.document_download, name="document-download"),
    path("<int:pk>/cases/", applications.case_add, name="case-add"),
    path("cases/<int:pk>/", applications.case_edit, name="case-edit"),
]
