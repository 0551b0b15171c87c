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


def test_report_pages_show_the_register_figures_read_only_with_links(client, alice, unit_a):
    import io

    import openpyxl
    from django.urls import reverse

    from reports.tests.test_annual_views import form_data, make_report

    make_application(unit_a, d("2026-03-02"), applicant_type="legal", outcome="deny_secret",
                     answered_on=d("2026-03-10"))
    make_application(unit_a, d("2026-05-06"), name="李四", request="年中收到、尚未办结")
    report = make_report(unit_a)
    assert report.figure_values()["t3.new.total"] == 2  # counted, whatever was typed
    client.force_login(alice)
    html = client.get(reverse("reports:annual-detail", args=[report.pk])).content.decode()
    link = f"/disclosure/?year=2026&amp;unit={unit_a.pk}&amp;row=deny_secret&amp;col=legal"
    assert f'<a href="{link}" title="查看所计的申请">1</a>' in html
    edit = client.get(reverse("reports:annual-edit", args=[report.pk])).content.decode()
    assert "表三、表四由本单位依申请公开登记簿自动计算" in edit
    assert f'<a href="{link}" class="annual-register-link' in edit
    start = edit.index('data-cell="t3.deny_secret.legal"')
    cell = edit[start:edit.index("</td>", start)]
    assert 'readonly' in cell and 'value="1"' in cell
    assert f'href="/disclosure/?year=2026&amp;unit={unit_a.pk}&amp;row=t2' not in edit  # typed tables: no links
    # A typed figure for a counted cell is ignored; the rest of the report saves as usual.
    client.post(reverse("reports:annual-edit", args=[report.pk]),
                form_data(report, **{"t3.new.natural": "99", "t2.rules.issued": "3"}))
    report.refresh_from_db()
    assert report.figure_values()["t3.new.natural"] == 1 and report.figure_values()["t2.rules.issued"] == 3
    response = client.get(reverse("reports:annual-export-xlsx", args=[report.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    numbers = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, int)]
    assert 99 not in numbers
