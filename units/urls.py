from django.urls import path

from units import views

app_name = "units"

urlpatterns = [
    path("government/", views.government_settings, name="government"),
]
