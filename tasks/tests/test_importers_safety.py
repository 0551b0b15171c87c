"""Uploads refused before any library opens them: size, type, encryption, broken and bomb archives."""
import io
import struct
import zipfile

import pytest
from docx import Document

from core.uploads import OLE_MAGIC, MiB
from tasks.importers import MAX_UPLOAD_BYTES, ImportFailure, check_zip, parse_upload


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def patch_sizes(data: bytes, size: int) -> bytes:
    """Make every local and central header declare ``size`` as the uncompressed size."""
    data = bytearray(data)
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) != -1:
        data[pos + 22:pos + 26] = struct.pack("<I", size)
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:
        data[pos + 24:pos + 28] = struct.pack("<I", size)
        pos += 4
    return bytes(data)


def failure(filename: str, data: bytes) -> str:
    with pytest.raises(ImportFailure) as exc:
        parse_upload(filename, data)
    return exc.value.message


def test_empty_and_oversized_files():
    assert failure("a.docx", b"") == "文件为空，请重新选择文件"
    assert failure("a.xlsx", b"PK\x03\x04" + b"0" * MAX_UPLOAD_BYTES) == "文件过大（10.0 MB），上限为 10.0 MB"


@pytest.mark.parametrize("filename, label, suggestion", [
    ("旧表.doc", "Word 97-2003 文档", ".docx"), ("旧表.xls", "Excel 97-2003 工作簿", ".xlsx"),
    ("旧表.wps", "WPS 文字文档", ".docx"), ("旧表.et", "WPS 表格文档", ".xlsx"),
    ("旧表.odt", "OpenDocument 文本", ".docx"), ("旧表.ods", "OpenDocument 表格", ".xlsx")])
def test_old_formats_without_libreoffice_ask_to_save_as_the_new_one(monkeypatch, filename, label, suggestion):
    monkeypatch.setenv("GOVOPEN_SOFFICE", "/nonexistent/soffice")
    ext = filename.rsplit(".", 1)[1]
    data = zip_bytes({"content.xml": b"<office/>"}) if ext in ("odt", "ods") else OLE_MAGIC + b"\x00" * 512
    word = "Word" if suggestion == ".docx" else "Excel"
    assert failure(filename, data) == (f"服务器未安装 LibreOffice，无法读取 .{ext}（{label}）文件：请在 {word} 或 WPS 中"
                                       f"“另存为” {suggestion} 格式后再上传")


def test_an_old_format_name_on_other_content():
    assert failure("旧表.doc", b"hello") == (
        "文件内容与扩展名不符：这不是有效的 .doc（Word 97-2003 文档）文件，可能已损坏或被改名")


@pytest.mark.parametrize("filename", ["加密.docx", "加密.xlsx"])
def test_password_protected_office_files(filename):
    assert failure(filename, OLE_MAGIC + b"\x00" * 512).startswith("文件已加密（设置了打开密码）")


def test_a_file_of_another_type_under_an_office_name():
    assert failure("a.docx", "工作任务\t工作要求".encode()) == (
        "文件内容与扩展名不符：这不是有效的 .docx Word 文档，可能已损坏或被改名")
    assert failure("a.xlsx", b"%PDF-1.7 ...").startswith("文件内容与扩展名不符：这不是有效的 .xlsx Excel 工作簿")


def test_corrupt_archives():
    assert failure("a.docx", b"PK\x03\x04" + b"\x00garbage" * 40) == "文件已损坏（压缩包无法打开），无法读取"
    broken = bytearray(zip_bytes({"word/document.xml": bytes(range(256)) * 4 + b"<w:document/>"}))
    start = broken.find(b"word/document.xml") + len("word/document.xml")
    broken[start:start + 8] = b"\xff" * 8  # the deflate stream now starts with a reserved block type
    assert failure("a.docx", bytes(broken)) == "文件已损坏（解压失败），无法读取"


def test_a_zip_that_is_not_a_word_document_or_workbook():
    data = zip_bytes({"hello.txt": b"hello"})
    assert failure("a.docx", data) == "文件不是有效的 Word 文档（.docx），可能已损坏或被改名"
    assert failure("a.xlsx", data) == "文件不是有效的 Excel 工作簿（.xlsx），可能已损坏或被改名"


def test_too_many_entries():
    data = zip_bytes({f"x/{i}.xml": b"" for i in range(2001)})
    assert failure("a.xlsx", data) == "压缩包内文件过多（2001 个，上限 2000 个），疑似恶意文件"


def test_a_huge_declared_size():
    data = patch_sizes(zip_bytes({"word/document.xml": b"<a/>"}), 200 * MiB)
    assert failure("a.docx", data) == "文件解压后过大（声明 200.0 MB，上限 100.0 MB），疑似压缩炸弹"


def test_a_header_that_lies_about_the_size():
    data = patch_sizes(zip_bytes({"xl/workbook.xml": b"\x00" * (2 * MiB)}), 1000)
    assert failure("a.xlsx", data) == "压缩包内文件的实际大小超过其声明大小，疑似压缩炸弹"


def test_an_abnormal_compression_ratio():
    data = zip_bytes({"word/document.xml": b"\x00" * (20 * MiB)})
    assert len(data) < MAX_UPLOAD_BYTES
    assert failure("a.docx", data).startswith("文件压缩比异常（约 ")


def test_check_zip_is_reusable_and_returns_the_names():
    assert check_zip(zip_bytes({"a.txt": b"a", "b/c.txt": b"c"})) == ["a.txt", "b/c.txt"]
    document = io.BytesIO()
    Document().save(document)
    assert "word/document.xml" in check_zip(document.getvalue())
    with pytest.raises(ImportFailure) as exc:
        check_zip(b"not a zip")
    assert exc.value.message == "文件不是有效的压缩包（.docx/.xlsx 格式），可能已损坏或被改名"
    with pytest.raises(ImportFailure):
        check_zip(zip_bytes({f"{i}": b"" for i in range(11)}), max_entries=10)


def test_other_types_and_text_uploads():
    assert failure("表.pdf", b"%PDF-1.7") == "PDF 文件已损坏，无法读取：请重新导出PDF，或提供Word或Excel版本"
    assert failure("表.pdf", b"hello") == "文件内容与扩展名不符：这不是有效的 PDF 文件，可能已损坏或被改名"
    supported = ("请上传 Word（.docx/.doc/.wps）、Excel（.xlsx/.xls/.et）、PDF 或 OpenDocument（.odt/.ods）文件，"
                 "或粘贴表格文本")
    assert failure("表.png", b"\x89PNG") == f"不支持的文件类型“.png”：{supported}"
    assert failure("表", b"abc") == f"不支持的文件类型（无扩展名）：{supported}"
    assert failure("表.txt", b"\x00\x01binary") == "文件内容与扩展名不符：这不是文本文件"
    text = "工作任务\t工作要求\t责任单位\n\t1.做好公开。\t区政府办\n"
    for encoding in ("utf-8", "gb18030"):
        [task] = parse_upload("表.txt", text.encode(encoding)).notice.all_tasks()
        assert (task.number, task.responsible_units) == (1, ["区政府办"])


def test_failures_name_the_row_and_column():
    assert ImportFailure("时限无法识别", row=12, column=3).message == "第12行第3列：时限无法识别"
    assert ImportFailure("缺少表头", row=2).message == "第2行：缺少表头"
    assert str(ImportFailure("文件为空")) == "文件为空"
