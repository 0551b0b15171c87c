"""Statistics on the hand-built year of summary_data.py, whose answers are worked out by hand."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_item
from reports.stats import Figures, format_pct, overdue_lines, year_statistics
from reports.tests.summary_data import TODAY, build_year


@pytest.fixture
def year(unit_a, unit_b, street):
    return build_year(unit_a, unit_b, street)


def as_tuple(f: Figures):
    return (f.label, f.assigned, f.done, f.done_on_time, f.done_late, f.overdue, f.not_applicable, f.not_reported)


def test_per_unit_counts_rows_in_fixed_unit_order(office, year):
    stats = year_statistics(office, year=2026, today=TODAY)
    assert [as_tuple(f) for f in stats.units] == [
        # 区发改局: item 1 done 06-20 ≤ 06-30, item 3 done 09-01 ≤ 09-30.
        ("区发改局", 2, 2, 2, 0, 0, 0, 0),
        # 区教育局: item 1 done 07-10 > 06-30 (late), item 2 in progress (due 12-31), item 3 never reported (overdue).
        ("区教育局", 3, 1, 0, 1, 1, 0, 1),
        # 东街街道: items 3 and 4 not applicable.
        ("东街街道", 2, 0, 0, 0, 0, 2, 0),
    ]
    assert as_tuple(stats.unit_total) == ("合计", 7, 3, 2, 1, 1, 2, 1)


def test_rates_and_average_days(office, year):
    stats = year_statistics(office, year=2026, today=TODAY)
    fgw, edu, street = stats.units
    assert fgw.on_time_rate == 1.0 and fgw.overdue_share == 0.0
    # 03-01 → 06-20 is 111 days, 03-01 → 09-01 is 184 days.
    assert fgw.avg_days_to_done == 147.5
    assert edu.applicable == 3 and edu.on_time_rate == 0.0
    assert edu.overdue_share == pytest.approx(2 / 3)  # one finished late, one still overdue
    assert edu.avg_days_to_done == 131.0  # 03-01 → 07-10
    assert street.applicable == 0 and street.on_time_rate is None and street.avg_days_to_done is None
    assert format_pct(edu.overdue_share) == "66.7%" and format_pct(None) == "—"


def test_per_section_counts_items(office, year):
    stats = year_statistics(office, year=2026, today=TODAY)
    assert [as_tuple(f) for f in stats.sections] == [
        # item 1 done late (07-10 > 06-30), item 2 in progress.
        ("一、加强涉及市场主体的信息公开", 2, 1, 0, 1, 0, 0, 0),
        # item 3 overdue (区教育局 open past 09-30), item 4 not applicable.
        ("二、推进政务公开平台规范化", 2, 0, 0, 0, 1, 1, 0),
    ]
    assert stats.sections[0].avg_days_to_done == 131.0
    assert stats.section_total.pending == 1


def test_deadlines_by_month(office, year):
    months = {f.label: f for f in year_statistics(office, year=2026, today=TODAY).months}
    assert list(months)[:12] == [f"{m}月" for m in range(1, 13)]
    assert (months["6月"].assigned, months["6月"].done) == (1, 1)
    assert (months["9月"].assigned, months["9月"].overdue) == (1, 1)
    assert (months["12月"].assigned, months["12月"].pending) == (1, 1)
    assert months["持续推进/无时限"].not_applicable == 1
    assert months["1月"].assigned == 0


def test_a_unit_counts_only_what_it_sees(charlie, year):
    stats = year_statistics(charlie, year=2026, today=TODAY)
    assert [f.label for f in stats.units] == ["区教育局"]
    assert stats.section_total.assigned == 3  # items 1, 2, 3 as far as 区教育局's rows go
    assert [f.overdue for f in stats.sections] == [0, 1]


def test_overdue_list(office, charlie, alice, year):
    lines = list(overdue_lines(office, year=2026, today=TODAY))
    # 30 Sept to 23 Nov 2026: 54 calendar days, 34 working days (the National Day holiday is not counted)
    assert [(line.item_number, line.unit_name, line.days_overdue) for line in lines] == [(3, "区教育局", 34)]
    assert lines[0].due_date == datetime.date(2026, 9, 30) and lines[0].last_reported_on is None
    assert len(list(overdue_lines(charlie, year=2026, today=TODAY))) == 1
    assert list(overdue_lines(alice, year=2026, today=TODAY)) == []  # 区发改局 does not lead item 3


def test_query_count_is_constant(office, year):
    assert office.sharing_lower_ids == []  # the governments, read once per user (per request), counted by the pages

    def count():
        with CaptureQueriesContext(connection) as ctx:
            year_statistics(office, year=2026, today=TODAY)
        return len(ctx.captured_queries)

    before = count()
    for n in range(5, 20):
        make_item(year["notice"], n, responsible=["区发改局", "东街街道"], section=year["section1"],
                  deadline=datetime.date(2026, 8, 31))
    assert count() == before == 3  # per unit, per item and 时限, the sections those name


def test_days_count_from_the_notice_date_when_the_table_was_entered_later(office, year):
    year["notice"].issue_date = datetime.date(2026, 2, 1)  # before the rows were created on 03-01
    year["notice"].save()
    fgw = year_statistics(office, year=2026, today=TODAY).units[0]
    assert fgw.avg_days_to_done == 175.5  # (02-01 → 06-20 = 139) and (02-01 → 09-01 = 212)
