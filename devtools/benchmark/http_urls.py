"""The site's URLs plus the benchmark's ceiling: the smallest view that still loads the session and the user.

Mounted only under devtools.benchmark.http_settings (the benchmark's own gunicorn server).
"""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from govopen.urls import urlpatterns as site_urlpatterns

MINIMAL_URL = "/benchmark/minimal/"
MINIMAL_MARKER = "benchmark-minimal"


@login_required
def minimal(request):
    return HttpResponse(f"{MINIMAL_MARKER} {request.user.pk}", content_type="text/plain; charset=utf-8")


urlpatterns = [path(MINIMAL_URL.strip("/") + "/", minimal, name="benchmark-minimal"), *site_urlpatterns]
