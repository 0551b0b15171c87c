"""Annual report services: first drafts from the year's task table, cross-year checks, permissions."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import TODAY
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
    assert report.overview.startswith("2026年，测试区发展和改革局认真贯彻落实《中华人民共和国政府信息公开条例》")
    assert "关于印发2026年政务公开工作主要任务分解表的通知" in report.overview
    # Section 五 lists the items not done that unit A sees (item 1, which it leads), not unit B's item 2.
    assert "第1项“第1项工作要求：做好相关信息公开。”尚未完成（已逾期）" in report.problems
    assert "第2项" not in report.problems
    assert "（二）落实2026年政务公开工作要点情况。" in report.other
    assert report.figure_values()["t3.new.total"] == 0
    codes = {f.check for f in report_findings(report)}
    assert "section_placeholder" in codes  # the draft still asks for words


def test_the_government_report_uses_the_offices_saved_paragraph(office, ledger):
    AnnualSummaryText.objects.create(year=2026, text="公开办定稿的任务落实情况段落。")
    report = annual_report_create(user=office, year=2026, unit=None, today=TODAY)
    assert report.unit is None and report.owner_name == "测试区人民政府"
    assert "公开办定稿的任务落实情况段落。" in report.overview and "公开办定稿的任务落实情况段落。" in report.other
    assert "第1项" in report.problems and "第2项" in report.problems


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
