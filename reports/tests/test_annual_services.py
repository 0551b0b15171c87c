"""Annual report services: first drafts from the year's task table, cross-year checks, permissions."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import TODAY, home_government
from reports.annual.services import (
    annual_report_create,
    annual_report_finalise,
    annual_report_save,
    figures_to_json,
    report_findings,
)
from reports.models import AnnualReport, AnnualSummaryText
from reports.tests.annual_samples import good_figures, good_sections, last_year_figures
from reports.tests.test_annual_views import make_report

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)


def test_a_units_draft_starts_from_its_part_of_the_task_table(alice, ledger):
    report = annual_report_create(user=alice, year=2026, unit=alice.unit, today=TODAY)
    assert report.owner_name == "测试区发展和改革局" and report.author == alice
    # the unit's own voice, dated as of the last report (none yet: the month), no 我区
    assert report.overview.startswith("2026年，本单位认真贯彻落实《中华人民共和国政府信息公开条例》")
    assert "关于印发2026年政务公开工作主要任务分解表的通知" in report.overview
    assert "本单位承担政务公开重点工作任务1项，截至2026年11月已完成0项，其余1项正在推进。" in report.overview
    assert "我区" not in report.overview + report.problems + report.other
    # 五 in publishable prose: how many tasks are behind, not an internal overdue list or a rate
    assert "年度任务中有1项尚未全部完成" in report.problems
    assert "第1项" not in report.problems and "%" not in report.problems and "逾期" not in report.problems
    # 六: the unit's items with whole titles, nothing cut with …; no paragraph repeats 一
    assert "（二）落实2026年政务公开工作要点情况。" in report.other
    assert "1. 第1项工作要求：做好相关信息公开。【待补充：落实情况】" in report.other
    assert "…" not in report.other and "第2项" not in report.other
    paragraphs = [p for p in report.overview.splitlines() + report.other.splitlines() + report.problems.splitlines()]
    assert len(paragraphs) == len(set(paragraphs))
    assert report.figure_values()["t3.new.total"] == 0 and report.cells()["t3.new.total"] is None
    codes = {f.check for f in report_findings(report)}
    assert "section_placeholder" in codes  # the draft still asks for words


def test_the_government_report_uses_the_offices_saved_paragraph(office, ledger):
    AnnualSummaryText.objects.create(government=home_government(), year=2026, text="公开办定稿的任务落实情况段落。")
    report = annual_report_create(user=office, year=2026, unit=None, today=TODAY)
    assert report.unit is None and report.owner_name == "测试区人民政府"
    assert "公开办定稿的任务落实情况段落。" in report.other and "公开办定稿的任务落实情况段落。" not in report.overview
    assert report.overview.startswith("2026年，我区认真贯彻落实")
    assert "年度任务中有2项尚未全部完成" in report.problems
    assert "（三）工作考核、社会评议和责任追究结果情况。" in report.other


def test_only_own_unit_and_one_report_a_year(alice, charlie, office, unit_a):
    with pytest.raises(PermissionDenied):
        annual_report_create(user=charlie, year=2026, unit=unit_a, today=TODAY)
    with pytest.raises(PermissionDenied):  # the office drafts its own and the government's, not unit A's
        annual_report_create(user=office, year=2026, unit=unit_a, today=TODAY)
    with pytest.raises(PermissionDenied):
        annual_report_create(user=alice, year=2026, unit=None, today=TODAY)
    annual_report_create(user=alice, year=2026, unit=unit_a, today=TODAY)
    with pytest.raises(ValidationError):
        annual_report_create(user=alice, year=2026, unit=unit_a, today=TODAY)
    with pytest.raises(ValidationError):
        annual_report_create(user=alice, year=2030, unit=unit_a, today=TODAY)
    assert AnnualReport.objects.count() == 1


def test_last_years_report_feeds_the_cross_year_checks(unit_a):
    last_texts = {key: f"2025年的{key}。" for key in good_sections()}
    last = make_report(unit_a, year=2025, figures=last_year_figures(), sections=last_texts)
    this = make_report(unit_a, year=2026)
    assert this.previous() == last
    assert report_findings(this) == []
    last.figures = figures_to_json(last_year_figures() | {"t3.carry_next.natural": 9})
    last.problems = this.problems
    last.save()
    findings = {(f.check, f.field) for f in report_findings(this)}
    assert ("carried_from_last_year", "t3.carried.natural") in findings
    assert ("section_copied", "section.problems") in findings


def test_save_stores_counts_and_amounts_exactly(alice, unit_a):
    report = make_report(unit_a)
    figures = good_figures() | {"t2.fees.amount": "0.0500"}
    saved = annual_report_save(report=report, user=alice, sections=good_sections(), figures=figures,
                               expected_version=1)
    assert saved.figures["t2.fees.amount"] == "0.05" and saved.version == 2
    assert str(saved.figure_values()["t2.fees.amount"]) == "0.05"


def test_finalise_is_refused_with_errors(office, unit_a):
    report = make_report(unit_a, figures=good_figures() | {"t3.carry_next.other": 0})
    with pytest.raises(ValidationError) as exc:
        annual_report_finalise(report=report, user=office, now=NOW)
    assert "不能定稿" in exc.value.messages[0]
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT


def test_a_draft_written_after_the_year_is_dated_at_its_end_and_uses_the_units_progress(alice, ledger, unit_a):
    from tasks.models import Assignment
    from tasks.services import progress_record

    row = Assignment.objects.get(item=ledger["item1"], unit=unit_a)
    progress_record(assignment=row, author=alice, status="done", reported_on=datetime.date(2026, 10, 20),
                    text="已在门户网站开设政策文件库专栏，集中公开现行有效的政策文件86件。")
    report = annual_report_create(user=alice, year=2026, unit=unit_a, today=datetime.date(2027, 2, 1))
    assert "截至2026年底已完成1项。" in report.overview and "2027" not in report.overview
    assert "1. 第1项工作要求：做好相关信息公开。已在门户网站开设政策文件库专栏，集中公开现行有效的政策文件86件。" in report.other
    assert "【待补充：存在的主要问题" in report.problems  # nothing behind: the drafter writes the problems
