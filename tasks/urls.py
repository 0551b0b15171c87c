from django.urls import path

from tasks.views import assignments, chain, exports, imports, items, ledger, notices

app_name = "tasks"

urlpatterns = [
    path("notices/", notices.NoticeListView.as_view(), name="notice-list"),
    path("notices/new/", notices.notice_create, name="notice-create"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/edit/", notices.notice_edit, name="notice-edit"),
    path("notices/<int:pk>/publish/", chain.notice_publish_view, name="notice-publish"),
    path("notices/<int:pk>/derive/", chain.notice_derive, name="notice-derive"),
    path("notices/<int:pk>/link-upper/", chain.notice_link_upper, name="notice-link-upper"),
    path("notices/<int:pk>/export.xlsx", exports.notice_export_xlsx, name="notice-export-xlsx"),
    path("notices/import/", imports.import_start, name="import-start"),
    path("notices/import/preview/", imports.import_preview, name="import-preview"),
    path("notices/import/columns/", imports.import_columns, name="import-columns"),
    path("notices/import/confirm/", imports.import_confirm, name="import-confirm"),
    path("notices/<int:notice_pk>/sections/new/", notices.section_edit, name="section-create"),
    path("notices/<int:notice_pk>/sections/<int:pk>/edit/", notices.section_edit, name="section-edit"),
    path("notices/<int:notice_pk>/items/new/", items.item_create, name="item-create"),
    path("items/<int:pk>/", items.item_detail, name="item-detail"),
    path("items/<int:pk>/history/", items.item_history, name="item-history"),
    path("items/<int:pk>/edit/", items.item_edit, name="item-edit"),
    path("items/<int:pk>/delete/", items.item_delete, name="item-delete"),
    path("ledger/", ledger.LedgerView.as_view(), name="ledger"),
    path("my-ledger/", ledger.MyLedgerView.as_view(), name="my-ledger"),
    path("assignments/<int:pk>/", assignments.assignment_detail, name="assignment-detail"),
    path("assignments/<int:pk>/progress/", assignments.progress_create, name="progress-create"),
    path("evidence/<int:pk>/download/", assignments.evidence_download, name="evidence-download"),
]
