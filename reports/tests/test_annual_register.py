"""A unit keeping its 依申请公开 register gets 表三/表四 of its annual report from it, read-only, with links."""
import pytest

from disclosure.models import T3_ROW_CODES, ReviewCase
from disclosure.services import T3_COLUMN_CODES, T4_GROUP_CODES, T4_RESULT_CODES
from disclosure.tests.builders import d, make_application
from reports.annual import format as fmt
from reports.annual.register import register_figures, register_links
from reports.models import AnnualReport


def test_the_register_and_the_report_use_the_same_rows_and_columns():
    assert tuple(r.code for r in fmt.T3_ROWS) == T3_ROW_CODES
    assert tuple(c.code for c in fmt.T3_APPLICANT_COLUMNS) == T3_COLUMN_CODES
    assert tuple(g.code for g in fmt.T4_GROUPS) == T4_GROUP_CODES
    assert tuple(c.code for c in fmt.T4_PARTS) == T4_RESULT_CODES


@pytest.fixture
def report(unit_a):
    return AnnualReport.objects.create(year=2026, unit=unit_a, owner_name=unit_a.name)


def test_figures_and_links_come_from_the_register(report, unit_a):
    assert register_figures(report) == {} and register_links(report) == {}
    app = make_application(unit_a, d("2026-03-02"), applicant_type="legal", outcome="deny_secret",
                           answered_on=d("2026-03-10"))
    make_application(unit_a, d("2025-12-30"), name="跨年", request="跨年的申请")
    ReviewCase.objects.create(application=app, kind="suit_direct", body="测试区人民法院", filed_on=d("2026-04-01"))
    figures = register_figures(report)
    assert len(figures) == 25 * 7 + 15
    assert figures["t3.new.legal"] == 1 and figures["t3.deny_secret.total"] == 1
    assert figures["t3.carried.natural"] == 1 and figures["t3.carry_next.total"] == 1
    assert figures["t4.suit_direct.pending"] == 1 and figures["t4.suit_direct.total"] == 1
    links = register_links(report)
    assert links["t3.deny_secret.legal"] == f"/disclosure/?year=2026&unit={unit_a.pk}&row=deny_secret&col=legal"
    assert links["t4.review.total"].startswith("/disclosure/cases/?year=2026")
