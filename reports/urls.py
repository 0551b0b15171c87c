from django.urls import path  # noqa: F401

from reports.views import annual as annual_report
from reports.views import annual_collect, annual_text, archive, chain, lead, lookback, public, stats, summary

app_name = "reports"

urlpatterns: list = [
    path("summary/", summary.summary_page, name="summary"),
    path("summary/export/", summary.summary_export, name="summary-export"),
    path("stats/", stats.stats_page, name="stats"),
    path("lead/", lead.lead_items, name="lead-items"),
    path("items/<int:pk>/lead-summary/", lead.lead_summary, name="lead-summary"),
    path("annual-text/", annual_text.annual_text, name="annual-text"),
    path("lookback/", lookback.lookback, name="lookback"),
    path("archive/", archive.archive_index, name="archive"),
    path("archive/<int:year>/", archive.archive_year, name="archive-year"),
    path("archive/<int:year>/close/", archive.archive_close, name="archive-close"),
    path("archive/<int:year>/reopen/", archive.archive_reopen, name="archive-reopen"),
    path("archive/<int:year>/carry/", archive.archive_carry, name="archive-carry"),
    path("archive/<int:year>/export.xlsx", archive.archive_export, name="archive-export"),
    path("notices/<int:pk>/public-page/", public.notice_public_page, name="notice-public-page"),
    path("chain/<int:pk>/", chain.rollup_page, name="chain-rollup"),
    path("chain/<int:pk>/export.xlsx", chain.rollup_export, name="chain-rollup-export"),
    path("annual/", annual_report.annual_list, name="annual-list"),
    path("annual/create/", annual_report.annual_create, name="annual-create"),
    path("annual/<int:pk>/", annual_report.annual_detail, name="annual-detail"),
    path("annual/<int:pk>/edit/", annual_report.annual_edit, name="annual-edit"),
    path("annual/<int:pk>/submit/", annual_report.annual_submit, name="annual-submit"),
    path("annual/<int:pk>/return/", annual_report.annual_return, name="annual-return"),
    path("annual/<int:pk>/finalise/", annual_report.annual_finalise, name="annual-finalise"),
    path("annual/<int:pk>/check/", annual_report.annual_check, name="annual-check"),
    path("annual/<int:pk>/publish/", annual_report.annual_publish, name="annual-publish"),
    path("annual/<int:pk>/finding/", annual_report.annual_note_finding, name="annual-finding"),
    path("annual/<int:pk>/redraft/", annual_report.annual_redraft, name="annual-redraft"),
    path("annual/upload/", annual_collect.annual_upload, name="annual-upload"),
    path("annual/collect/", annual_collect.annual_collect, name="annual-collect"),
    path("annual/collect/export.xlsx", annual_collect.annual_combined_xlsx, name="annual-combined-xlsx"),
    path("annual/year-end.zip", annual_collect.annual_year_end_zip, name="annual-year-end"),
    path("annual/<int:pk>/export.xlsx", annual_report.annual_export_xlsx, name="annual-export-xlsx"),
    path("annual/<int:pk>/export.docx", annual_report.annual_export_docx, name="annual-export-docx"),
]
