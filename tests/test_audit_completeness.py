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


def actions_on(obj) -> list[str]:
    return list(AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
                .order_by("id").values_list("action", flat=True))


def test_an_annual_reports_life_is_recorded_state_by_state(client, alice, office, unit_a):
    from reports.tests.test_annual_views import form_data

    client.force_login(alice)
    client.post(reverse("reports:annual-create"), {"year": "2026"})
    report = AnnualReport.objects.get(unit=unit_a, year=2026)
    client.post(reverse("reports:annual-edit", args=[report.pk]), form_data(report))
    client.post(reverse("reports:annual-submit", args=[report.pk]))
    client.force_login(office)
    client.post(reverse("reports:annual-return", args=[report.pk]))
    client.force_login(alice)
    report.refresh_from_db()
    client.post(reverse("reports:annual-submit", args=[report.pk]))
    client.force_login(office)
    client.post(reverse("reports:annual-finalise", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FINAL
    assert actions_on(report) == [A.CREATE, A.UPDATE, A.SUBMIT, A.REVIEW_RETURN, A.SUBMIT, A.REVIEW_ACCEPT]
    returned = AuditEvent.objects.get(object_id=str(report.pk), action=A.REVIEW_RETURN)
    assert returned.actor == office and returned.changes["status"] == {"label": "状态", "before": "已提交",
                                                                      "after": "已退回"}


def test_lead_summary_and_annual_text_saves_are_recorded(client, office, year):
    from reports.models import AnnualSummaryText, LeadSummary

    item = year["item1"]
    client.force_login(office)
    client.post(reverse("reports:lead-summary", args=[item.pk]), {"text": "牵头汇总第一稿。", "version": "0"})
    summary = LeadSummary.objects.get(item=item)
    client.post(reverse("reports:lead-summary", args=[item.pk]), {"text": "牵头汇总第二稿。",
                                                                  "version": str(summary.version)})
    assert actions_on(summary) == [A.CREATE, A.UPDATE]
    change = AuditEvent.objects.filter(object_id=str(summary.pk), object_type="reports.leadsummary").order_by("id").last()
    assert change.changes["text"]["before"] == "牵头汇总第一稿。" and change.changes["text"]["after"] == "牵头汇总第二稿。"
    assert change.parent_type == "tasks.item" and change.parent_id == str(item.pk)
    client.post(reverse("reports:annual-text") + "?year=2026", {"text": "年报文字第一稿。"})
    client.post(reverse("reports:annual-text") + "?year=2026", {"text": "年报文字第二稿。"})
    text = AnnualSummaryText.objects.get(year=2026, notice=None)
    assert actions_on(text) == [A.CREATE, A.UPDATE]


def test_bulk_writes_of_audited_models_are_recorded_one_row_each(unit_a, unit_b):
    from units.models import Unit

    Unit.objects.filter(pk__in=[unit_a.pk, unit_b.pk]).update(is_active=False)
    rows = AuditEvent.objects.filter(action=A.UPDATE, object_type="units.unit").order_by("object_id")
    assert [r.object_id for r in rows] == sorted([str(unit_a.pk), str(unit_b.pk)], key=str)
    assert rows[0].changes["is_active"]["before"] is True and rows[0].changes["is_active"]["after"] is False
    made = Unit.objects.bulk_create([Unit(name="批量新增单位", short_name="批量单位", sort_order=90)])
    assert AuditEvent.objects.filter(action=A.CREATE, object_type="units.unit", object_id=str(made[0].pk)).exists()
    unit_a.refresh_from_db()
    unit_a.sort_order = 99
    Unit.objects.bulk_update([unit_a], ["sort_order"])
    last = AuditEvent.objects.filter(object_type="units.unit", object_id=str(unit_a.pk)).order_by("id").last()
    assert last.changes["sort_order"] == {"label": "排序", "before": 10, "after": 99}


def test_an_update_that_changes_nothing_writes_no_row(notice):
    from core.locking import take_row

    before = AuditEvent.objects.count()
    assert take_row(notice, notice.version)  # SET version = version: a lock, not a change
    assert AuditEvent.objects.count() == before


def test_review_actions_are_chosen_by_code_not_by_label(alice, charlie, office, ledger, unit_b, monkeypatch):
    """Rewording the label shown must not change what the trail records."""
    from tasks.models import ProgressReport
    from tasks.services import progress_record
    from workflow.review import review_accept

    row = ledger["item2"].assignments.get(unit=unit_b)
    report = progress_record(assignment=row, author=charlie, text="已完成。", status="done",
                             reported_on=row.created_at.date(), submit_for_review=True)
    field = ProgressReport._meta.get_field("review_status")
    monkeypatch.setattr(field, "choices", [(v, f"改写后的{label}") for v, label in field.choices])
    review_accept(report=report, reviewer=office)
    assert AuditEvent.objects.filter(action=A.REVIEW_ACCEPT, object_id=str(report.pk)).count() == 1
