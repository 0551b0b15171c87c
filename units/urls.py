from django.urls import path

from units import views

app_name = "units"

urlpatterns = [
    path("audit/", views.AuditEventListView.as_view(), name="audit-list"),
    path("audit/export/", views.AuditEventExportView.as_view(), name="audit-export"),
]
