"""The yearly summary rows: order, 未报送, lead summary, status, scoping and query count."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_item, make_notice
from reports.models import LeadSummary
from reports.summary import derive_item_status, summary_rows
from reports.tests.summary_data import TODAY, build_year
from tasks.models import Assignment


@pytest.fixture
def year(unit_a, unit_b, street):
    return build_year(unit_a, unit_b, street)


def items(rows):
    return [r for r in rows if r.kind == "item"]


def test_rows_follow_sections_and_numbers(office, year):
    rows = list(summary_rows(office, year=2026, today=TODAY))
    assert [(r.kind, r.heading or r.number) for r in rows] == [
        ("section", "一、加强涉及市场主体的信息公开"), ("item", 1), ("item", 2),
        ("section", "二、推进政务公开平台规范化"), ("item", 3), ("item", 4)]
    first = rows[1]
    assert first.text == "公开营商环境政策\n第1项工作要求：做好相关信息公开。"
    assert first.lead_units == "区发改局" and first.responsible_units == "区教育局"
    assert first.deadline_display == "6月底前"


def test_status_and_completion_date_come_from_the_rows(office, year):
    by_number = {r.number: r for r in items(summary_rows(office, year=2026, today=TODAY))}
    assert (by_number[1].status, by_number[1].completed_on) == ("已完成", datetime.date(2026, 7, 10))
    assert by_number[2].status == "推进中"
    assert by_number[3].status == "已逾期" and by_number[3].completed_on is None
    assert by_number[4].status == "不涉及"


def test_each_unit_has_its_latest_report_in_fixed_order_and_silent_units_say_not_reported(office, year):
    row = items(summary_rows(office, year=2026, today=TODAY))[2]
    assert row.progress_text.split("\n") == [
        "区发改局：发改局平台已整改。", "区教育局：未报送", "东街街道：不涉及：本街道无平台"]
    first = items(summary_rows(office, year=2026, today=TODAY))[0]
    assert first.progress_text == "区发改局：发改局已公开营商环境政策12条。\n区教育局：教育局已公开招生政策。"


def test_the_lead_summary_replaces_the_unit_paragraphs(office, alice, year):
    LeadSummary.objects.create(item=year["item1"], text="牵头单位汇总：两个单位均已完成。", author=alice,
                               written_on=TODAY)
    row = items(summary_rows(office, year=2026, today=TODAY))[0]
    assert row.progress_text == "牵头单位汇总：两个单位均已完成。"
    assert row.uses_lead_summary


def test_a_unit_sees_only_its_rows_and_items(charlie, alice, year):
    rows = items(summary_rows(charlie, year=2026, today=TODAY))
    assert [r.number for r in rows] == [1, 2, 3]
    # Item 1 is led by 区发改局: 区教育局 sees only its own paragraph, and the status of its own row.
    assert rows[0].progress_text == "区教育局：教育局已公开招生政策。"
    assert rows[2].progress_text == "区教育局：未报送"
    alice_rows = items(summary_rows(alice, year=2026, today=TODAY))
    assert [r.number for r in alice_rows] == [1, 3]
    assert "区教育局：教育局已公开招生政策。" in alice_rows[0].progress_text  # alice's unit leads item 1
    assert alice_rows[1].progress_text == "区发改局：发改局平台已整改。"  # not the other units on item 3


def test_only_those_who_see_every_row_read_the_lead_summary(charlie, alice, leader, year):
    LeadSummary.objects.create(item=year["item1"], text="汇总全文", written_on=TODAY)
    assert items(summary_rows(charlie, year=2026, today=TODAY))[0].lead_summary is None
    assert items(summary_rows(alice, year=2026, today=TODAY))[0].lead_summary == "汇总全文"
    assert items(summary_rows(leader, year=2026, today=TODAY))[0].lead_summary == "汇总全文"


def test_several_notices_get_a_heading_each(office, year, unit_a):
    other = make_notice(doc_number="测政办〔2026〕9号", year=2026, title="第二份通知")
    make_item(other, 1, responsible=["区发改局"], deadline=datetime.date(2026, 12, 31))
    rows = list(summary_rows(office, year=2026, today=TODAY))
    assert [r.heading for r in rows if r.kind == "notice"] == [
        "关于印发2026年政务公开工作主要任务分解表的通知（测政办〔2026〕1号）", "第二份通知（测政办〔2026〕9号）"]
    assert len(list(summary_rows(office, year=2026, today=TODAY, notice=other))) == 1


def test_query_count_does_not_grow_with_items(office, year):
    assert office.sharing_lower_ids == []  # the governments, read once per user (per request), counted by the pages

    def count():
        with CaptureQueriesContext(connection) as ctx:
            list(summary_rows(office, year=2026, today=TODAY))
        return len(ctx.captured_queries)

    before = count()
    for n in range(5, 25):
        make_item(year["notice"], n, lead=["区发改局"], responsible=["区教育局", "东街街道"],
                  section=year["section2"], deadline=datetime.date(2026, 12, 31))
    assert count() == before <= 4


@pytest.mark.parametrize("statuses, expected", [
    ([], "未分配"),
    (["not_applicable", "not_applicable"], "不涉及"),
    (["done", "not_applicable"], "已完成"),
    (["done", "not_started"], "推进中"),
    (["not_started", "not_started"], "未开始"),
    (["not_applicable", "not_started"], "未开始"),
    (["pending_review", "not_started"], "推进中"),  # a done-claim waiting for review is not done yet
    (["returned", "done"], "推进中"),
])
def test_derived_status_rules(statuses, expected):
    rows = [Assignment(status=s, due_date=datetime.date(2026, 12, 31), completed_on=None) for s in statuses]
    assert derive_item_status(rows, TODAY)[0] == expected


def test_an_open_row_past_its_deadline_makes_the_item_overdue_but_ongoing_rows_never_are():
    late = Assignment(status="in_progress", due_date=datetime.date(2026, 10, 31))
    ongoing = Assignment(status="in_progress", due_date=None, is_ongoing=True)
    assert derive_item_status([late, ongoing], TODAY)[0] == "已逾期"
    assert derive_item_status([ongoing], TODAY)[0] == "推进中"
