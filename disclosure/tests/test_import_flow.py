"""Import in the browser (preview, nothing saved until confirmed) and on the command line (exact contract)."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from disclosure.models import Application
from disclosure.tests.builders import d, make_application
from disclosure.tests.test_importers import ROWS, xlsx_bytes

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    from disclosure.views import imports
    monkeypatch.setattr(imports, "today", lambda: TODAY)


def upload(client, data=None, name="登记簿.xlsx"):
    return client.post(reverse("disclosure:import-start"),
                       {"file": SimpleUploadedFile(name, data if data is not None else xlsx_bytes(ROWS))})


def test_preview_then_confirm(client, alice, unit_a):
    client.force_login(alice)
    assert upload(client).status_code == 302
    preview = client.get(reverse("disclosure:import-preview")).content.decode()
    assert "共 6 条申请（其中未办结 1 条），存疑 3 行" in preview
    assert "存疑：申请人类型“企业”按“商业企业”计" in preview
    assert "不予公开：1.属于国家秘密" in preview and "受理日期" in preview
    assert not Application.objects.exists()  # nothing saved before confirming
    token = client.session["disclosure_import_draft"]["token"]
    response = client.post(reverse("disclosure:import-confirm"), {"token": token}, follow=True)
    assert "已导入 6 条申请到区发改局的登记簿。" in response.content.decode()
    assert Application.objects.filter(unit=unit_a).count() == 6
    assert Application.objects.get(applicant_name="钱七").due_on is not None
    # A second confirm with the same token does nothing.
    client.post(reverse("disclosure:import-confirm"), {"token": token})
    assert Application.objects.count() == 6


def test_errors_block_the_import_and_are_listed_with_row_and_column(client, alice):
    client.force_login(alice)
    bad = ROWS + [[7, "2026-06-01", "孙八", "外国人", "内容", "予以公开", "2026-06-05"]]
    upload(client, xlsx_bytes(bad))
    preview = client.get(reverse("disclosure:import-preview")).content.decode()
    assert "文件中有 1 处错误，不能导入" in preview and "第9行“申请人类别”列：“外国人”不是" in preview
    assert "确认导入" not in preview
    token = client.session["disclosure_import_draft"]["token"]
    client.post(reverse("disclosure:import-confirm"), {"token": token})
    assert not Application.objects.exists()


def test_rows_already_in_the_register_are_duplicates(client, alice, unit_a):
    make_application(unit_a, d("2026-01-05"), name="张三", request="2025年预算执行情况", outcome="open",
                     answered_on=d("2026-01-20"))
    client.force_login(alice)
    upload(client)
    preview = client.get(reverse("disclosure:import-preview")).content.decode()
    assert "第3行：本单位登记簿中已有2026年1月5日收到的同一申请人的相同申请（重复）" in preview


def test_a_broken_file_is_a_message_next_to_the_field(client, alice):
    client.force_login(alice)
    response = upload(client, b"PK\x03\x04garbage")
    assert response.status_code == 400
    assert "无法导入“登记簿.xlsx”：文件已损坏" in response.context["form"].errors["file"][0]


def test_viewer_cannot_import(client, bob):
    client.force_login(bob)
    assert client.get(reverse("disclosure:import-start")).status_code == 403


def test_command_imports_and_ends_with_the_count(tmp_path, unit_a, capsys):
    path = tmp_path / "登记簿.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    call_command("import_applications", str(path), "--unit", "区发改局", "--dry-run", "--today", "2026-11-23")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "imported 0 applications" and not Application.objects.exists()
    call_command("import_applications", str(path), "--unit", "区发改局", "--today", "2026-11-23")
    captured = capsys.readouterr()
    assert captured.out.strip().splitlines()[-1] == "imported 6 applications"
    assert "提示：第4行：申请人类型“企业”按“商业企业”计" in captured.err
    assert Application.objects.filter(unit=unit_a).count() == 6


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04garbage", "无法导入“登记簿.xlsx”：文件已损坏"),
    (xlsx_bytes(ROWS + [[7, "2026-06-01", "孙八", "外国人", "内容", "予以公开", "2026-06-05"]]),
     "第9行“申请人类别”列：“外国人”不是"),
])
def test_command_bad_file_is_one_chinese_line_and_exit_1(tmp_path, unit_a, capsys, content, message):
    path = tmp_path / "登记簿.xlsx"
    path.write_bytes(content)
    with pytest.raises(SystemExit) as exc:
        call_command("import_applications", str(path), "--unit", "区发改局", "--today", "2026-11-23")
    assert exc.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not Application.objects.exists()


def test_columns_can_be_mapped_by_hand_in_the_preview(client, alice):
    import io as _io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "类别", "事由", "结论", "结束"])  # header words the importer does not know
    sheet.append(["2026-03-02", "自然人", "某规划文件", "予以公开", "2026-03-10"])
    buffer = _io.BytesIO()
    book.save(buffer)
    client.force_login(alice)
    upload(client, buffer.getvalue())
    preview = client.get(reverse("disclosure:import-preview")).content.decode()
    assert "缺少必需的列：收到日期、申请人类型、申请内容、办理结果、办结日期" in preview and "确认导入" not in preview
    token = client.session["disclosure_import_draft"]["token"]
    mapping = {"col_1": "received_on", "col_2": "applicant_type", "col_3": "request_text", "col_4": "outcome",
               "col_5": "answered_on"}
    client.post(reverse("disclosure:import-remap"), {"token": token, **mapping})
    preview = client.get(reverse("disclosure:import-preview")).content.decode()
    assert "共 1 条申请" in preview and "确认导入" in preview
    twice = client.post(reverse("disclosure:import-remap"), {"token": token, **mapping, "col_5": "received_on"},
                        follow=True)
    assert "“收到日期”只能对应一列" in twice.content.decode()
