"""One rule for the year a year page opens on (tasks.years), used by home, 落实汇总, 统计, 年报文字 and 年度报告."""
import datetime

import pytest

from conftest import make_item, make_notice
from reports.models import AnnualReport
from tasks.years import default_work_year, year_choices, years_with_data


@pytest.mark.parametrize(("years", "today", "annual_open", "expected"), [
    ([2022, 2020, 2018], datetime.date(2026, 11, 29), None, 2022),  # the latest year with data, not 2026
    ([2027, 2026, 2025], datetime.date(2026, 6, 1), None, 2026),  # not a future year while this one has data
    ([2026, 2025], datetime.date(2026, 2, 10), None, 2025),  # January–March: last year
    ([2026, 2025], datetime.date(2026, 2, 10), lambda year: False, 2026),  # …unless its annual report is final
    ([2026, 2025], datetime.date(2026, 4, 1), None, 2026),  # from April: this year
    ([2026], datetime.date(2026, 2, 10), None, 2026),  # last year has no data
    ([2028], datetime.date(2026, 2, 10), None, 2028),  # only a future year has data
    ([], datetime.date(2026, 2, 10), None, 2026),  # nothing at all
])
def test_default_work_year(years, today, annual_open, expected):
    assert default_work_year(years, today, annual_open=annual_open) == expected


def test_year_choices_say_which_years_have_data():
    assert year_choices([2022, 2020], datetime.date(2026, 3, 1)) == [
        (2026, "2026年（暂无数据）"), (2022, "2022年"), (2020, "2020年")]


@pytest.mark.django_db
def test_years_with_data_are_the_visible_notices_with_items(alice, charlie, unit_a, unit_b):
    make_item(make_notice(doc_number="测政办〔2022〕1号", year=2022), 1, lead=["区发改局"])
    make_item(make_notice(doc_number="测政办〔2020〕1号", year=2020), 1, lead=["区教育局"])
    make_notice(doc_number="测政办〔2023〕1号", year=2023)  # no items yet
    assert years_with_data(alice) == [2022]
    assert years_with_data(charlie) == [2020]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/reports/summary/", "/reports/stats/", "/reports/annual-text/"])
def test_year_pages_open_on_the_latest_year_with_data(client, office, unit_a, path, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 11, 29))
    make_item(make_notice(doc_number="测政办〔2022〕1号", year=2022), 1, lead=["区发改局"])
    make_item(make_notice(doc_number="测政办〔2020〕1号", year=2020), 1, lead=["区发改局"])
    client.force_login(office)
    html = client.get(path).content.decode()
    assert '<option value="2022" selected>2022年</option>' in html
    assert '<option value="2026">2026年（暂无数据）</option>' in html


@pytest.mark.django_db
def test_annual_report_pages_open_on_last_year_in_february(client, office, unit_a, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 2, 10))
    make_item(make_notice(doc_number="测政办〔2025〕1号", year=2025), 1, lead=["区发改局"])
    make_item(make_notice(doc_number="测政办〔2026〕1号", year=2026), 1, lead=["区发改局"])
    client.force_login(office)
    assert "2025年政府信息公开工作年度报告" in client.get("/reports/annual/").content.decode()
    AnnualReport.objects.create(year=2025, unit=None, government=office.government, owner_name="测试区人民政府",
                                status=AnnualReport.Status.FINAL)
    assert "2026年政府信息公开工作年度报告" in client.get("/reports/annual/").content.decode()
