from django.urls import path

from workflow.views import notifications, review

app_name = "workflow"

# Paths stay under /tasks/ (see govopen/urls.py): the pages are the ledger's, the code is the workflow's.
urlpatterns = [
    path("calendar/", review.calendar_view, name="calendar"),
    path("calendar/days/new/", review.calendar_day_create, name="calendar-day-create"),
    path("calendar/days/<int:pk>/delete/", review.calendar_day_remove, name="calendar-day-delete"),
    path("calendar/years/confirm/", review.calendar_year_create, name="calendar-year-create"),
    path("calendar/years/seed/", review.calendar_year_seed, name="calendar-year-seed"),
    path("chases/", review.chase_list, name="chase-list"),
    path("chases/new/", review.chase_create_view, name="chase-create"),
    path("notifications/", notifications.notification_list, name="notification-list"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification-read"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification-read-all"),
    path("reviews/", review.review_list, name="review-list"),
    path("reports/<int:pk>/accept/", review.report_accept, name="report-accept"),
    path("reports/<int:pk>/return/", review.report_return, name="report-return"),
]
