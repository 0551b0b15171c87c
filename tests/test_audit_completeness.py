"""The audit trail is complete (issue 16): every export, import, save and state change leaves its row."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent
from reports.models import AnnualReport
from reports.tests.summary_data import build_year, freeze_views_today

A = AuditEvent.Action


def rows(action, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))


@pytest.fixture
def year(unit_a, unit_b, street, monkeypatch):
    freeze_views_today(monkeypatch)
    return build_year(unit_a, unit_b, street)


def test_the_summary_workbook_export_is_recorded_web_and_command(client, office, year, tmp_path):
    client.force_login(office)
    response = client.get(reverse("reports:summary-export"), {"year": 2026}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    [web] = rows(A.EXPORT)
    assert web.actor == office and web.ip_address == "10.1.2.3" and web.object_label == "2026年落实情况汇总.xlsx"
    assert "导出落实情况汇总（Excel）：全部通知" in web.message
    call_command("export_summary", "--year", "2026", "--output", str(tmp_path / "汇总.xlsx"))
    command = rows(A.EXPORT)[-1]
    assert command.actor is None and command.actor_name == "系统" and command.object_label == "汇总.xlsx"
    assert command.message.startswith("命令行导出2026年落实情况汇总（全部通知，")


@pytest.fixture
def report_a(unit_a):
    from reports.annual.services import figures_to_json
    from reports.tests.annual_samples import good_figures, good_sections

    return AnnualReport.objects.create(year=2026, unit=unit_a, owner_name=unit_a.name,
                                       figures=figures_to_json(good_figures()), **good_sections())


def test_annual_report_exports_are_recorded_web_and_command(client, alice, unit_a, report_a, tmp_path):
    client.force_login(alice)
    for name, kind in (("reports:annual-export-xlsx", "xlsx"), ("reports:annual-export-docx", "docx")):
        assert client.get(reverse(name, args=[report_a.pk])).status_code == 200
        row = rows(A.EXPORT)[-1]
        assert row.actor == alice and row.object_type == "reports.annualreport" and row.object_id == str(report_a.pk)
        assert row.message == f"导出年度报告（{kind}）：{report_a.title}"
    call_command("export_annual_report", "--year", "2026", "--unit", unit_a.short_name,
                 "--output", str(tmp_path / "年报.xlsx"))
    row = rows(A.EXPORT)[-1]
    assert row.actor_name == "系统" and row.object_id == str(report_a.pk) and "年报.xlsx" in row.message
