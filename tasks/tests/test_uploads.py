"""Evidence uploads: size, type by content, zip bombs, macros, image bombs; downloads only for who sees the row."""
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from conftest import make_user
from tasks.models import Evidence, ProgressReport


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def b_row(ledger, unit_b):
    """Unit B's row on item 1, which unit A leads."""
    return ledger["item1"].assignments.get(unit=unit_b)


def record(client, row, *files):
    return client.post(reverse("tasks:progress-create", args=[row.pk]), {
        "status": "in_progress", "text": "已在政府网站公开。", "reported_on": "2026-11-20", "files": list(files),
        "version": type(row).objects.get(pk=row.pk).version})


def docx_bytes(text="落实情况说明") -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "台账"
    book.save(buffer)
    return buffer.getvalue()


def png_bytes(width=2, height=2) -> bytes:
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(min(height, 2)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def zip_bytes(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bomb(megabytes=120) -> bytes:
    """A .docx-shaped archive whose document inflates to `megabytes` of zeros (about 0.1% of that on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            block = b"\x00" * (1024 * 1024)
            for _ in range(megabytes):
                entry.write(block)
    return buffer.getvalue()


@pytest.mark.parametrize("name,content", [
    ("说明.docx", docx_bytes()),
    ("台账.xlsx", xlsx_bytes()),
    ("截图.png", png_bytes()),
    ("照片.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
                 b"\xff\xc0\x00\x11\x08\x02\xd0\x05\x00\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9"),
    ("公开页面.pdf", b"%PDF-1.7\n%test"),
    ("说明.txt", "已公开".encode("gb18030")),
])
def test_real_files_of_every_type_are_accepted(client, charlie, b_row, name, content):
    client.force_login(charlie)
    assert record(client, b_row, SimpleUploadedFile(name, content)).status_code == 302
    assert Evidence.objects.get().original_name == name


@pytest.mark.parametrize("name,content,message", [
    ("报告.docx", docx_bomb(), "疑似压缩炸弹"),
    ("报告.docx", zip_bytes({"payload.exe": b"MZ" + b"\x00" * 100}), "不是有效的文档"),
    ("报告.docx", zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>",
                            "word/vbaProject.bin": b"\x00" * 10}), "包含宏代码"),
    ("报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "内容与扩展名不符"),
    ("报告.docx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "内容与扩展名不符"),
    ("截图.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "内容与扩展名不符"),
    ("说明.txt", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "不是文本文件"),
    ("程序.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "类型不支持"),
    ("网页.html", b"<script>alert(1)</script>", "类型不支持"),
    ("截图.png", png_bytes(40000, 40000), "图片尺寸过大"),
])
def test_bad_files_are_refused_with_a_chinese_reason_and_nothing_saved(client, charlie, b_row, media, name,
                                                                        content, message):
    client.force_login(charlie)
    response = record(client, b_row, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_file_over_twenty_megabytes_is_refused(client, charlie, b_row):
    client.force_login(charlie)
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024))
    response = record(client, b_row, big)
    assert "超过 20 MB 的大小限制" in response.content.decode()
    assert not Evidence.objects.exists()


def test_more_than_five_files_are_refused(client, charlie, b_row):
    client.force_login(charlie)
    files = [SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.7") for n in range(6)]
    assert "一次最多上传 5 个文件。" in record(client, b_row, *files).content.decode()
    assert not Evidence.objects.exists()


@pytest.fixture
def evidence(client, charlie, b_row):
    client.force_login(charlie)
    record(client, b_row, SimpleUploadedFile("佐证.pdf", b"%PDF-1.7 unit B evidence"))
    client.logout()
    return Evidence.objects.get()


def download(client, user, evidence):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("tasks:evidence-download", args=[evidence.pk]))


def test_the_file_is_served_as_an_attachment_to_who_may_see_the_row(client, charlie, alice, office, leader, evidence):
    # charlie: the unit's own; alice: unit A leads the item; office and leader see everything.
    for user in (charlie, alice, office, leader):
        response = download(client, user, evidence)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == b"%PDF-1.7 unit B evidence"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_other_units_and_anonymous_users_cannot_download(client, evidence, street):
    response = download(client, None, evidence)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    outsider = make_user("street_liaison", unit=street)
    assert download(client, outsider, evidence).status_code == 404
    refusal = AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, actor_name="street_liaison").get()
    assert str(evidence.pk) in refusal.message


def test_uploads_go_through_the_storage_api(client, charlie, b_row, settings, media):
    """Swap the local folder for another storage backend (as an S3-compatible store would): all still works."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    client.force_login(charlie)
    assert record(client, b_row, SimpleUploadedFile("佐证.pdf", b"%PDF-1.7 in memory")).status_code == 302
    evidence = Evidence.objects.get()
    assert type(evidence.file.storage._wrapped).__name__ == "InMemoryStorage"
    assert not any(media.rglob("*.pdf"))
    response = client.get(reverse("tasks:evidence-download", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.7 in memory"


# --- long input (issue 16): no 500s, names shortened, all or nothing ---------------------------------------

LONG_NAME = "关于" + "区发展和改革局政务公开工作" * 8 + "落实情况的说明材料.docx"  # 115 Chinese characters


def test_a_name_of_over_84_chinese_characters_is_saved_shortened_with_its_extension(client, charlie, b_row, media):
    assert len(LONG_NAME) > 84
    client.force_login(charlie)
    response = record(client, b_row, SimpleUploadedFile(LONG_NAME, docx_bytes()))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    stored = evidence.file.name.rsplit("/", 1)[-1]
    assert stored.endswith(".docx") and len(stored.encode()) <= 128 and stored.startswith("关于区发展和改革局")
    assert (media / evidence.file.name).is_file()
    assert evidence.original_name == LONG_NAME  # shown and downloaded under the name the user gave
    download = client.get(reverse("tasks:evidence-download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == docx_bytes()


def test_a_failing_file_saves_nothing_and_leaves_no_file_on_disk(client, charlie, b_row, media, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    real_save, calls = FileSystemStorage._save, []

    def third_fails(self, name, content):
        calls.append(name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", third_fails)
    client.force_login(charlie)
    files = [SimpleUploadedFile(f"材料{n}.docx", docx_bytes()) for n in range(4)]
    response = record(client, b_row, *files)
    page = response.content.decode()
    assert response.status_code == 400
    assert "文件“材料2.docx”保存失败" in page and "本次填报的文件均未保存" in page
    assert not Evidence.objects.exists() and not ProgressReport.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


def links_post(client, row, links):
    return client.post(reverse("tasks:progress-create", args=[row.pk]), {
        "status": "in_progress", "text": "已在政府网站公开。", "reported_on": "2026-11-20", "links": links,
        "version": type(row).objects.get(pk=row.pk).version})


def test_a_link_over_500_characters_is_a_clear_message_not_a_500(client, charlie, b_row):
    client.force_login(charlie)
    page = client.get(reverse("tasks:assignment-detail", args=[b_row.pk])).content.decode()
    assert "最多 10 个，每个不超过 500 个字符" in page
    wechat = "https://mp.weixin.qq.com/s?__biz=" + "MzA5" * 130  # 553 characters
    response = links_post(client, b_row, f"https://www.example.gov.cn/a.html\n{wechat}")
    assert response.status_code == 400
    assert "第 2 个佐证链接有 553 个字符，超过 500 个字符的上限" in response.content.decode()
    assert not ProgressReport.objects.exists()
    ok = links_post(client, b_row, "https://mp.weixin.qq.com/s?__biz=" + "M" * 467)  # exactly 500
    assert ok.status_code == 302 and len(Evidence.objects.get().url) == 500


def test_at_most_ten_links(client, charlie, b_row):
    client.force_login(charlie)
    links = "\n".join(f"https://www.example.gov.cn/{n}.html" for n in range(11))
    response = links_post(client, b_row, links)
    assert response.status_code == 400 and "佐证链接最多 10 个，您填写了 11 个" in response.content.decode()
    assert not Evidence.objects.exists()
