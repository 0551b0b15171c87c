"""Entering a report: blank ≠ 0, "/" where allowed, computed totals, carry-forward, checks served as JSON."""
import pytest
from django.urls import reverse

from reports.annual import format as fmt
from reports.annual.figures import CellError, combine, parse_cell, with_totals
from reports.annual.services import annual_report_create
from reports.models import AnnualReport
from reports.tests.annual_samples import good_figures, last_year_figures
from reports.tests.test_annual_views import form_data, make_report

pytestmark = pytest.mark.django_db
TODAY = __import__("datetime").date(2027, 1, 10)


def test_cells_keep_blank_zero_and_slash_apart():
    assert parse_cell("t3.new.natural", "") is None
    assert parse_cell("t3.new.natural", " 0 ") == 0
    assert parse_cell("t3.new.natural", "1,250") == 1250
    assert parse_cell("t2.rules.issued", "/") == "/"
    assert parse_cell("t2.fees.amount", "8.50") == "8.5"
    with pytest.raises(CellError) as exc:
        parse_cell("t3.new.natural", "/")
    assert str(exc.value) == "表三“一、本年新收政府信息公开申请数量”行“自然人”列不能填“/”（只有“规章”行可填“/”表示不适用），没有请填 0。"
    with pytest.raises(CellError):
        parse_cell("t3.new.natural", "1.5")


def test_totals_are_computed_and_blank_only_when_every_part_is_blank():
    cells = {code: None for code in fmt.FIELD_CODES} | {"t3.new.natural": 3, "t3.new.commercial": 2,
                                                         "t3.open.natural": 1, "t4.review.upheld": 2}
    result = with_totals(cells)
    assert result["t3.new.total"] == 5 and result["t3.total.natural"] == 1 and result["t3.total.total"] == 1
    assert result["t4.review.total"] == 2 and result["t4.suit_direct.total"] is None
    assert result["t3.carried.total"] is None
    assert len(fmt.TOTAL_CODES) == 25 + 6 + 3


def test_sum_of_reports_adds_numbers_and_keeps_slash_only_where_all_say_so():
    a = with_totals(good_figures() | {"t2.rules.issued": "/"})
    b = with_totals(good_figures() | {"t2.rules.issued": "/", "t2.rules.repealed": "/"})
    total = combine([a, b])
    assert total["t3.new.total"] == 120 and total["t2.fees.amount"] == "24.7"
    assert total["t2.rules.issued"] == "/" and total["t2.rules.repealed"] == 0


def test_a_new_report_carries_last_years_figures_forward(alice, unit_a):
    make_report(unit_a, year=2025, figures=last_year_figures())
    report = annual_report_create(user=alice, year=2026, unit=unit_a, today=TODAY)
    cells = report.cells()
    assert [cells[fmt.t3_code("carried", c.code)] for c in fmt.T3_COLUMNS] == [5, 1, 0, 0, 0, 0, 6]
    assert cells["t2.normative.valid"] == 20 and cells["t2.rules.valid"] == 3
    assert cells["t3.new.natural"] is None  # not typed yet: blank, not 0


def test_the_form_says_where_carried_figures_come_from_and_shows_blank_as_blank(client, alice, unit_a):
    make_report(unit_a, year=2025, figures=last_year_figures())
    report = annual_report_create(user=alice, year=2026, unit=unit_a, today=TODAY)
    client.force_login(alice)
    page = client.get(reverse("reports:annual-edit", args=[report.pk])).content.decode()
    assert "“二、上年结转政府信息公开申请数量”取自2025年报告的“四、结转下年度继续办理”。" in page
    assert "“现行有效件数”已按2025年报告的现行有效件数预填" in page
    assert 'name="t3.new.natural" value=""' not in page  # Django omits the empty value attribute
    assert 'data-code="t3.new.total"' in page and "自动计算，无需填写" in page
    assert 'title="取自2025年报告的“结转下年度继续办理”"' in page


def test_the_check_endpoint_returns_the_servers_findings_and_totals(client, alice, unit_a):
    report = make_report(unit_a)
    client.force_login(alice)
    url = reverse("reports:annual-check", args=[report.pk])
    data = form_data(report, **{"t3.carried.research": "2", "t3.new.natural": "abc", "t3.partial.other": "",
                                "t2.rules.issued": "/"})
    result = client.post(url, data).json()
    messages = [f["message"] for f in result["findings"]]
    assert "表三“（一）予以公开”行“自然人”列应填写非负整数，现为“abc”。" not in messages
    assert "表三“一、本年新收政府信息公开申请数量”行“自然人”列应填写非负整数，现为“abc”。" in messages
    assert any(m.startswith("表三“科研机构”列：一（1）+ 二（2）= 3") for m in messages)
    assert any("还没有填写：没有发生的请填 0" in m for m in messages)
    assert result["totals"]["t3.carried.total"] == "8"
    assert result["errors"] >= 3
    report.refresh_from_db()
    assert report.figures["t3.carried.research"] == 0  # nothing saved
    assert client.get(url).status_code == 405


def test_the_check_endpoint_is_scoped(client, charlie, bob, unit_a):
    report = make_report(unit_a)
    client.force_login(charlie)
    assert client.post(reverse("reports:annual-check", args=[report.pk]), {}).status_code == 404
    client.force_login(bob)
    assert client.post(reverse("reports:annual-check", args=[report.pk]), {}).status_code == 403


def test_saving_stores_blank_and_slash_and_ignores_typed_totals(client, alice, unit_a):
    report = make_report(unit_a)
    client.force_login(alice)
    data = form_data(report, **{"t2.rules.issued": "/", "t2.rules.repealed": "/", "t2.rules.valid": "/",
                                "t2.penalty.decisions": "", "t4.review.total": "77"})
    client.post(reverse("reports:annual-edit", args=[report.pk]), data)
    report.refresh_from_db()
    assert report.figures["t2.rules.issued"] == "/" and report.figures["t2.penalty.decisions"] is None
    assert report.figures["t4.review.total"] == 4
    page = client.get(reverse("reports:annual-detail", args=[report.pk])).content.decode()
    assert "表二“行政处罚”本年处理决定数量还没有填写" in page


def test_submitting_needs_every_cell_filled(client, alice, unit_a):
    report = make_report(unit_a, figures=good_figures() | {"t2.coercion.decisions": None})
    client.force_login(alice)
    page = client.post(reverse("reports:annual-submit", args=[report.pk]), follow=True).content.decode()
    assert "不能提交" in page and "表二“行政强制”本年处理决定数量还没有填写" in page
    assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.DRAFT


def test_a_not_applicable_row_is_not_compared_with_last_year():
    from reports.annual.checks import check_valid_documents

    figures = good_figures() | {"t2.rules.issued": "/", "t2.rules.repealed": "/", "t2.rules.valid": "/"}
    assert check_valid_documents(figures, last_year_figures()) == []
    zero = good_figures() | {"t2.rules.valid": 0}
    assert [f.field for f in check_valid_documents(zero, last_year_figures())] == ["t2.rules.valid"]
