"""The chase page tells the truth: it opens on the latest work year with overdue rows, sorts by working days
overdue (most first), pages through every row (no cap), and can chase this page's rows or all N."""
import datetime
import re

import pytest
from django.urls import reverse

from conftest import TODAY, make_item, make_notice
from workflow.calendar import seed_from_package
from workflow.models import CalendarDay, CalendarYear, Chase

URL = reverse("workflow:chase-create")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def setup(monkeypatch):
    seed_from_package(CalendarDay, CalendarYear, years=[2025, 2026])
    monkeypatch.setattr("workflow.views.chasing.today", lambda: TODAY)


@pytest.fixture
def backlog(unit_a, unit_b):
    """2024: 3 overdue rows; 2026: 60 overdue rows of 区教育局 (one per day from 2026-08-01) and 1 of 区发改局."""
    old = make_notice(doc_number="测政办〔2024〕9号", year=2024)
    for n in range(1, 4):
        make_item(old, n, lead=["区发改局"], deadline=datetime.date(2024, 5, n))
    new = make_notice(doc_number="测政办〔2026〕9号", year=2026)
    for n in range(1, 61):
        make_item(new, n, responsible=["区教育局"], deadline=datetime.date(2026, 8, 1) + datetime.timedelta(days=n))
    make_item(new, 61, lead=["区发改局"], deadline=datetime.date(2026, 8, 1), title="最早到期")
    return {"old": old, "new": new}


def test_opens_on_the_latest_year_with_overdue_rows_most_overdue_first(client, office, backlog,
                                                                       django_assert_max_num_queries):
    client.force_login(office)
    with django_assert_max_num_queries(17):
        html = client.get(URL).content.decode()
    assert "2026年已逾期共61行" in html and "按逾期工作日数从多到少排列，每页50行" in html
    assert '<option value="2026" selected>2026年</option>' in html
    assert html.count('name="assignments"') == 50 and "第 1 / 2 页" in html
    late = [int(n) for n in re.findall(r'<span class="text-danger">(\d+)个工作日</span>', html)]
    assert late == sorted(late, reverse=True) and late[0] > late[-1]
    assert html.index("最早到期") < html.index("第2项")
    assert html.index("催办所选") < html.index("<table")  # the send action is on top
    assert "选择本页50行" in html and "选择全部61行（所有页）" in html
    page2 = client.get(URL, {"page": 2}).content.decode()
    assert page2.count('name="assignments"') == 11
    every_year = client.get(URL, {"year": ""}).content.decode()
    assert "全部年度已逾期共64行" in every_year


def test_all_n_rows_are_chased_at_once(client, office, backlog):
    client.force_login(office)
    response = client.post(f"{URL}?year=2026", {"all_matching": "1", "message": "请尽快报送落实情况。"})
    assert response.status_code == 302
    assert Chase.objects.count() == 61 and not Chase.objects.filter(year=2024).exists()
