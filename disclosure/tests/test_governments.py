"""The register with several governments in one install: an office's pages offer, count and list only its own
government's units and applications (the unit choices were every government's, 表三 of 全区 counted every one's)."""
import datetime

import pytest
from django.urls import reverse

from conftest import make_unit, make_user
from disclosure.tests.builders import d, make_application

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    from disclosure.views import common, register

    for module in (common, register):
        monkeypatch.setattr(module, "today", lambda: TODAY)


@pytest.fixture
def other(db, unit_a):
    from units.models import Government

    government = Government.objects.create(name="测试市乙区人民政府", short_name="乙区")
    unit = make_unit("测试市乙区财政局", "乙区财政局", government=government)
    make_application(unit_a, d("2026-03-02"), request="本区的申请", outcome="open", answered_on=d("2026-03-10"))
    make_application(unit, d("2026-03-03"), request="乙区的申请", outcome="open", answered_on=d("2026-03-11"))
    make_application(unit, d("2026-04-03"), request="乙区的第二份申请")
    return {"unit": unit, "office": make_user("yi_office", role="office_admin", government=government)}


def _select(page: str) -> str:
    start = page.index('<select name="unit"')
    return page[start:page.index("</select>", start)]


@pytest.mark.parametrize("name", ["disclosure:application-list", "disclosure:annual-tables", "disclosure:stats"])
def test_the_unit_choices_are_the_offices_government(client, office, unit_a, unit_b, other, name):
    client.force_login(office)
    choices = _select(client.get(reverse(name), {"year": 2026}).content.decode())
    assert unit_a.short_name in choices and unit_b.short_name in choices and "乙区" not in choices


def test_the_whole_government_tables_count_only_its_register(client, office, unit_a, other):
    client.force_login(office)
    tables = client.get(reverse("disclosure:annual-tables"), {"year": 2026}).context["t3"]
    received = dict((r["code"], [n for n, _ in r["cells"]]) for r in tables)["new"]
    assert received[-1] == 1  # 本区的申请 only
    client.force_login(other["office"])
    tables = client.get(reverse("disclosure:annual-tables"), {"year": 2026}).context["t3"]
    assert dict((r["code"], [n for n, _ in r["cells"]]) for r in tables)["new"][-1] == 2
    listed = client.get(reverse("disclosure:application-list")).content.decode()
    assert "乙区的申请" in listed and "本区的申请" not in listed


def test_another_governments_unit_is_not_found(client, office, other):
    client.force_login(office)
    for name in ("disclosure:annual-tables", "disclosure:stats", "disclosure:case-list"):
        assert client.get(reverse(name), {"year": 2026, "unit": other["unit"].pk}).status_code == 404
