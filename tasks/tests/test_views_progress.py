"""Recording progress on a ledger row: the flow, bad input, evidence files and their scoping."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.models import Assignment, Evidence, ProgressReport


@pytest.fixture
def own_row(ledger, unit_a):
    return ledger["item1"].assignments.get(unit=unit_a)


@pytest.fixture
def other_row(ledger, unit_b):
    return ledger["item2"].assignments.get(unit=unit_b)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post(client, row, **data):
    payload = {"status": "in_progress", "text": "已在政府网站公开。", "reported_on": "2026-11-20",
               "version": type(row).objects.get(pk=row.pk).version, **data}
    return client.post(reverse("tasks:progress-create", args=[row.pk]), payload)


def test_liaison_records_progress_with_link_and_file(client, alice, own_row):
    client.force_login(alice)
    pdf = SimpleUploadedFile("公开截图.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = post(client, own_row, status="done", links="https://www.example.gov.cn/zwgk/1.html", files=pdf)
    assert response.status_code == 302
    own_row.refresh_from_db()
    assert own_row.status == Assignment.Status.PENDING_REVIEW  # a liaison's done-claim waits for review
    assert own_row.reports.get().completed_on == datetime.date(2026, 11, 20)
    page = client.get(own_row.get_absolute_url()).content.decode()
    assert "已在政府网站公开。" in page and "公开截图.pdf" in page and "https://www.example.gov.cn/zwgk/1.html" in page
    evidence = Evidence.objects.get(original_name="公开截图.pdf")
    download = client.get(evidence.get_absolute_url())
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"


def test_not_applicable_needs_a_reason(client, alice, own_row):
    client.force_login(alice)
    response = post(client, own_row, status="not_applicable", text="")
    assert response.status_code == 400
    assert "选择“不涉及”时必须说明理由。" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_future_date_and_bad_link_are_refused(client, alice, own_row):
    client.force_login(alice)
    response = post(client, own_row, reported_on="2099-01-01", links="not a url")
    html = response.content.decode()
    assert "报送日期不能晚于今天。" in html
    assert "不是有效的网址" in html
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("name,content,message", [
    ("病毒.exe", b"MZ....", "类型不支持"),
    ("假文件.pdf", b"PK\x03\x04 not a pdf", "内容与扩展名不符"),
    ("空.pdf", b"", "空文件"),
])
def test_bad_evidence_files_are_refused_and_nothing_saved(client, alice, own_row, name, content, message):
    client.force_login(alice)
    upload = SimpleUploadedFile(name, content)
    response = post(client, own_row, files=upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_oversized_evidence_is_refused(client, alice, own_row, monkeypatch):
    monkeypatch.setattr("tasks.forms.EVIDENCE_MAX_BYTES", 10)
    client.force_login(alice)
    response = post(client, own_row, files=SimpleUploadedFile("大.pdf", b"%PDF-" + b"x" * 20))
    assert "超过 20 MB" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_other_units_row_is_404_for_read_and_write(client, alice, other_row):
    client.force_login(alice)
    assert client.get(other_row.get_absolute_url()).status_code == 404
    assert post(client, other_row).status_code == 404
    assert not ProgressReport.objects.exists()


def test_lead_unit_reads_but_cannot_write_responsible_units_row(client, alice, ledger, unit_b):
    row = ledger["item1"].assignments.get(unit=unit_b)
    client.force_login(alice)
    assert client.get(row.get_absolute_url()).status_code == 200
    assert post(client, row).status_code == 403
    assert not ProgressReport.objects.exists()


def test_viewer_cannot_record(client, bob, own_row):
    client.force_login(bob)
    assert post(client, own_row).status_code == 403


def test_progress_needs_post(client, alice, own_row):
    client.force_login(alice)
    assert client.get(reverse("tasks:progress-create", args=[own_row.pk])).status_code == 405


def test_stale_version_is_refused(client, alice, own_row):
    client.force_login(alice)
    response = post(client, own_row, version=own_row.version + 5)
    assert "已被其他人更新" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_other_units_evidence_cannot_be_downloaded(client, charlie, alice, own_row, other_row):
    client.force_login(charlie)
    post(client, other_row, files=SimpleUploadedFile("b.pdf", b"%PDF-secret"))
    evidence = Evidence.objects.get()
    client.force_login(alice)
    assert client.get(evidence.get_absolute_url()).status_code == 404
