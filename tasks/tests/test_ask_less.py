"""Asking less of units: evidence only where the office requires it (with a reason), a progress report that
starts from the last one, and one report for several rows with the same 工作要求."""
import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from conftest import TODAY, make_item, make_notice
from tasks.models import Assignment, Evidence, ProgressReport
from tasks.services import progress_record

SAME = "按要求在政府网站公开本单位年度工作计划。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("tasks.views.assignments.today", lambda: TODAY)  # any real date: 2026-11-20 is not ahead


@pytest.fixture
def rows(notice, unit_a, unit_b):
    """Unit A on items 1, 2 and 3 with the same requirement (3 already done), item 4 another requirement;
    unit B on item 1 too; and last year's notice with the same requirement for unit A."""
    items = {n: make_item(notice, n, responsible=["区发改局", "区教育局"] if n == 1 else ["区发改局"],
                          requirement=SAME if n <= 3 else "另一项要求。", deadline=datetime.date(2026, 12, 31))
             for n in (1, 2, 3, 4)}
    done = items[3].assignments.get(unit=unit_a)
    done.status = Assignment.Status.DONE
    done.save()
    old = make_notice(doc_number="测政办〔2025〕1号", year=2025)
    items["old"] = make_item(old, 1, responsible=["区发改局"], requirement=SAME, deadline=datetime.date(2025, 12, 31))
    return {key: item.assignments.get(unit=unit_a) for key, item in items.items()} | {
        "b1": items[1].assignments.get(unit=unit_b)}


def post(client, row, **data):
    payload = {"status": "in_progress", "text": "已公开年度工作计划。", "reported_on": "2026-11-20",
               "version": Assignment.objects.get(pk=row.pk).version, **data}
    return client.post(reverse("tasks:progress-create", args=[row.pk]), payload)


# --- evidence: optional unless required ----------------------------------------------------------------

def test_evidence_is_optional_by_default(client, alice, rows):
    client.force_login(alice)
    page = client.get(rows[1].get_absolute_url()).content.decode()
    assert "本项要求上传佐证" not in page
    assert post(client, rows[1], status="done").status_code == 302
    assert ProgressReport.objects.get(assignment=rows[1]).resulting_status == "done"


def test_a_required_evidence_is_shown_with_its_reason_and_enforced_on_done(client, alice, rows):
    item = rows[2].item
    item.evidence_required, item.evidence_reason = True, "须提供政府网站公开页面链接"
    item.save()
    client.force_login(alice)
    page = client.get(rows[2].get_absolute_url()).content.decode()
    assert "本项要求上传佐证：须提供政府网站公开页面链接" in page
    response = post(client, rows[2], status="done")
    assert response.status_code == 400
    assert "第2项要求上传佐证：须提供政府网站公开页面链接。标记“已完成”时请上传佐证文件或填写佐证链接。" in response.content.decode()
    assert not ProgressReport.objects.filter(assignment=rows[2]).exists()
    # 推进中 needs none; then the done-claim counts the link already given: nothing is asked twice.
    assert post(client, rows[2], links="https://www.example.gov.cn/plan.html").status_code == 302
    assert post(client, rows[2], status="done").status_code == 302
    assert list(ProgressReport.objects.filter(assignment=rows[2]).values_list("resulting_status", flat=True)
                .order_by("id")) == ["in_progress", "done"]


def test_a_required_evidence_is_met_by_a_file(client, alice, rows):
    item = rows[2].item
    item.evidence_required, item.evidence_reason = True, "须附公开截图"
    item.save()
    client.force_login(alice)
    pdf = SimpleUploadedFile("截图.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    assert post(client, rows[2], status="done", files=pdf).status_code == 302


def test_the_office_requires_evidence_on_the_item_form_with_a_reason(client, office, rows):
    item = rows[1].item
    client.force_login(office)
    url = reverse("tasks:item-edit", args=[item.pk])
    assert "要求上传佐证" in client.get(url).content.decode()
    data = {"number": 1, "requirement": SAME, "responsible_units": [f"u:{rows[1].unit_id}", f"u:{rows['b1'].unit_id}"],
            "deadline": "2026-12-31", "version": item.version, "evidence_required": "on", "evidence_reason": ""}
    response = client.post(url, data)
    assert "要求上传佐证时，请写明理由（单位填报时可见）。" in response.content.decode()
    response = client.post(url, {**data, "evidence_reason": "须提供公开链接"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.evidence_required and item.evidence_reason == "须提供公开链接"


# --- prefill: edit, don't retype -----------------------------------------------------------------------

def test_the_form_starts_from_the_units_last_text(client, alice, rows):
    client.force_login(alice)
    page = client.get(rows[4].get_absolute_url()).content.decode()
    assert "已带出上次填报内容" not in page
    progress_record(assignment=rows[4], author=alice, text="第一次：已起草计划。", status="in_progress",
                    reported_on=datetime.date(2026, 11, 2))
    progress_record(assignment=rows[4], author=alice, text="第二次：已报领导审定。", status="in_progress",
                    reported_on=datetime.date(2026, 11, 20))
    page = client.get(rows[4].get_absolute_url()).content.decode()
    textarea = page.split('name="text"')[1].split("</textarea>")[0]
    assert "第二次：已报领导审定。" in textarea and "第一次" not in textarea
    assert "已带出上次填报内容（2026年11月20日）" in page


def test_a_refused_post_keeps_what_was_typed_not_the_last_text(client, alice, rows):
    progress_record(assignment=rows[4], author=alice, text="上次的内容", status="in_progress",
                    reported_on=datetime.date(2026, 11, 2))
    client.force_login(alice)
    response = post(client, rows[4], text="这次新写的", reported_on="2099-01-01")
    textarea = response.content.decode().split('name="text"')[1].split("</textarea>")[0]
    assert "这次新写的" in textarea and "上次的内容" not in textarea


# --- report once for the same requirement --------------------------------------------------------------

def test_the_form_offers_the_units_other_open_rows_with_the_same_requirement(client, alice, charlie, rows):
    client.force_login(alice)
    page = client.get(rows[1].get_absolute_url()).content.decode()
    assert "同时填报到以下相同要求的事项" in page
    offered = set(re.findall(r'name="also" value="(\d+)"', page))
    assert offered == {str(rows[2].pk), str(rows["old"].pk)}  # not itself, the done row, another text, unit B's
    client.force_login(charlie)  # unit B's only row with this text is its own: nothing to offer
    assert "同时填报到以下相同要求的事项" not in client.get(rows["b1"].get_absolute_url()).content.decode()


def test_one_submission_writes_one_report_per_chosen_row_sharing_the_files(client, alice, rows):
    client.force_login(alice)
    pdf = SimpleUploadedFile("计划.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    response = post(client, rows[1], also=[rows[2].pk, rows["old"].pk], files=pdf,
                    links="https://www.example.gov.cn/plan.html",
                    **{f"also_version_{rows[2].pk}": rows[2].version, f"also_version_{rows['old'].pk}": rows["old"].version})
    assert response.status_code == 302
    for row in (rows[1], rows[2], rows["old"]):
        report = ProgressReport.objects.get(assignment=row)
        assert report.text == "已公开年度工作计划。" and report.author == alice
        assert {e.original_name or e.url for e in report.evidence.all()} == {"计划.pdf", "https://www.example.gov.cn/plan.html"}
        row.refresh_from_db()
        assert row.status == "in_progress" and row.last_reported_on == datetime.date(2026, 11, 20)
    files = Evidence.objects.exclude(file="")
    assert files.count() == 3 and len({e.file.name for e in files}) == 1  # stored once, attached three times
    for evidence in files:
        client.force_login(alice)
        assert b"".join(client.get(evidence.get_absolute_url()).streaming_content) == b"%PDF-1.4 plan"
    submits = AuditEvent.objects.filter(object_type="tasks.progressreport", action=AuditEvent.Action.SUBMIT)
    assert submits.count() == 3 and all(e.actor == alice for e in submits)
    assert ProgressReport.objects.filter(assignment=rows[4]).count() == 0
    assert "已报送“区发改局”第1项、第2项、测政办〔2025〕1号第1项的落实情况。" in client.get(rows[1].get_absolute_url()).content.decode()


def test_all_or_nothing_when_one_chosen_row_needs_evidence(client, alice, rows):
    item = rows[2].item
    item.evidence_required, item.evidence_reason = True, "须提供公开链接"
    item.save()
    client.force_login(alice)
    response = post(client, rows[1], status="done", also=[rows[2].pk], **{f"also_version_{rows[2].pk}": rows[2].version})
    assert response.status_code == 400
    assert "第2项要求上传佐证：须提供公开链接" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_stale_chosen_row_saves_nothing(client, alice, rows):
    client.force_login(alice)
    response = post(client, rows[1], also=[rows[2].pk], **{f"also_version_{rows[2].pk}": rows[2].version - 1 or 99})
    assert response.status_code == 409
    assert "第2项（测政办〔2026〕1号）已被其他人更新，本次填报未保存" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_rows_outside_the_offer_cannot_be_smuggled_in(client, alice, rows):
    client.force_login(alice)
    for row in (rows[3], rows[4], rows["b1"]):  # done, another requirement, another unit
        response = post(client, rows[1], also=[row.pk], **{f"also_version_{row.pk}": row.version})
        assert response.status_code == 400
        assert "所选事项不能同时填报：只能选择本单位工作要求相同、尚未完成的事项。" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_read_only_user_gets_no_form_and_a_403(client, bob, rows):
    client.force_login(bob)
    assert "同时填报到以下相同要求的事项" not in client.get(rows[1].get_absolute_url()).content.decode()
    assert post(client, rows[1], also=[rows[2].pk]).status_code == 403


def test_the_inline_form_of_the_units_ledger_starts_from_the_last_text(client, alice, rows):
    progress_record(assignment=rows[4], author=alice, text="台账里带出的上次内容", status="in_progress",
                    reported_on=datetime.date(2026, 11, 2))
    client.force_login(alice)
    page = client.get(reverse("tasks:my-ledger")).content.decode()
    form = page.split(f'id="progress-{rows[4].pk}"')[1].split("</form>")[0]
    assert "台账里带出的上次内容</textarea>" in form and "已带出上次填报内容（2026年11月2日）" in form
    other = page.split(f'id="progress-{rows[1].pk}"')[1].split("</form>")[0]
    assert "已带出上次填报内容" not in other
