"""The baseline: the ledger's rows from the ledger's own query, through a plain template.

Served at a benchmark-only URL (``urlpatterns`` below, used as ROOT_URLCONF during the run) so it goes
through the same middleware, session and login as the real ledger; it skips what the ledger adds on top
(filter form, row count, table machinery, the site layout).
"""
from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from govopen.urls import urlpatterns as site_urlpatterns
from tasks.models import Assignment
from tasks.tables import page_records

PLAIN_URL = "/benchmark/plain-ledger/"


@cache
def plain_template():
    return engines["django"].from_string((Path(__file__).parent / "plain_ledger.html").read_text(encoding="utf-8"))


def plain_queryset(user, params):
    """The ledger's base queryset with the two filters the benchmark uses, in the default order."""
    qs = Assignment.objects.visible_to(user).with_ledger_related()
    if params.get("year"):  # the filter set's order: year, then unit
        qs = qs.filter(year=params["year"])
    if params.get("unit"):
        qs = qs.filter(unit=int(params["unit"]))
    return qs


@login_required
def plain_ledger(request):
    per_page = int(request.GET.get("per_page", 50))
    page = int(request.GET.get("page", 1))
    qs = plain_queryset(request.user, request.GET)
    rows = page_records(qs, (page - 1) * per_page, page * per_page)  # the ledger's own page fetch
    return HttpResponse(plain_template().render({"rows": rows}, request))


urlpatterns = [path(PLAIN_URL.strip("/") + "/", plain_ledger, name="benchmark-plain-ledger"), *site_urlpatterns]
