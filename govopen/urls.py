from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tasks.views.home import home
from units.views.password import PasswordChangeView

admin.site.site_header = "政务公开任务台账 管理后台"
admin.site.site_title = "政务公开任务台账"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("tasks/", include("tasks.urls")),
    path("tasks/", include("workflow.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("audit.urls")),
    path("disclosure/", include("disclosure.urls")),
    path("units/", include("units.urls")),
    path("gongkai/", include("reports.public_urls")),  # the public progress pages, no login
    path("admin/", admin.site.urls),
]
