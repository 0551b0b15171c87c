from django.urls import path

from workflow.views import calendar, channels, chasing, notifications, review

app_name = "workflow"

# Paths stay under /tasks/ (see govopen/urls.py): the pages are the ledger's, the code is the workflow's.
urlpatterns = [
    path("calendar/", calendar.calendar_view, name="calendar"),
    path("calendar/days/new/", calendar.calendar_day_create, name="calendar-day-create"),
    path("calendar/days/<int:pk>/delete/", calendar.calendar_day_remove, name="calendar-day-delete"),
    path("calendar/years/confirm/", calendar.calendar_year_create, name="calendar-year-create"),
    path("calendar/years/seed/", calendar.calendar_year_seed, name="calendar-year-seed"),
    path("chases/", chasing.chase_list, name="chase-list"),
    path("chases/new/", chasing.chase_create_view, name="chase-create"),
    path("chases/government/<int:pk>/", chasing.chase_government, name="chase-government"),
    path("chases/<int:pk>/notice.docx", chasing.chase_sheet_download, name="chase-sheet"),
    path("notifications/", notifications.notification_list, name="notification-list"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification-read"),
    path("notifications/settings/", channels.channel_settings, name="channel-settings"),
    path("notifications/deliveries/", channels.delivery_list, name="delivery-list"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification-read-all"),
    path("reviews/", review.review_list, name="review-list"),
    path("reports/<int:pk>/accept/", review.report_accept, name="report-accept"),
    path("reports/<int:pk>/return/", review.report_return, name="report-return"),
]
