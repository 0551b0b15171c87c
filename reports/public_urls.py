"""The anonymous public progress pages, mounted at /gongkai/ (see reports.views.public)."""
from django.urls import path

from reports.views import public

app_name = "public"

urlpatterns = [
    path("", public.public_index, name="index"),
    path("<slug:token>/", public.public_notice_page, name="notice"),  # secrets.token_urlsafe: [-A-Za-z0-9_]
]
