"""批量创建账号: an uploaded .xlsx list of 单位 / 姓名 / 手机 / 邮箱 → preview → confirm → accounts with passwords."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from units.models import Alias, Government, Unit, User

HEADER = ["单位", "姓名", "手机", "邮箱"]


def xlsx(rows, header=HEADER, title=None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, data, name="联络员名单.xlsx"):
    return client.post(reverse("units:account-import"), {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def office_in(client, office, unit_a, unit_b):
    Alias.objects.create(government=unit_a.government, text="发改局", unit=unit_a)
    client.force_login(office)
    return client


def test_a_good_list_is_previewed_then_created_with_passwords_shown_once(office_in, unit_a, unit_b):
    client = office_in
    data = xlsx([["发改局", "王一", 13800000001, "wang1@example.gov.cn"],
                 [None, None, None, None],
                 ["测试区教育局", "李二", "138-0000-0002", ""]], title="鼓楼区政务公开联络员名单")
    response = upload(client, data)
    page = response.content.decode()
    assert "预览：联络员名单.xlsx 中的 2 个账号" in page and "王一" in page and "13800000002" in page
    assert not User.objects.filter(display_name__in=["王一", "李二"]).exists()  # nothing before the confirm
    token = response.context["token"]
    response = client.post(reverse("units:account-import-confirm"), {"token": token})
    page = response.content.decode()
    assert "已创建 2 个账号" in page
    accounts = response.context["accounts"]
    assert [(a["unit"], a["username"]) for a in accounts] == [("区发改局", "13800000001"), ("区教育局", "13800000002")]
    for account in accounts:
        assert account["password"] in page
        user = User.objects.get(username=account["username"])
        assert user.check_password(account["password"]) and user.must_change_password and user.role == "liaison"
    assert User.objects.get(username="13800000001").unit == unit_a
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, message__contains="批量创建账号 2 个").exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_type="units.user", actor_name="office").count() == 2
    # the sheet of passwords downloads once
    response = client.post(reverse("units:account-import-result"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:4] == ["单位", "姓名", "登录账号", "初始密码"]
    assert sheet.cell(row=2, column=4).value == accounts[0]["password"]
    response = client.post(reverse("units:account-import-result"), follow=True)
    assert "只能下载一次" in response.content.decode()
    # confirming the same list again creates nothing
    response = client.post(reverse("units:account-import-confirm"), {"token": token}, follow=True)
    assert "这份名单已处理或已过期" in response.content.decode()
    assert User.objects.filter(username__startswith="138").count() == 2


def test_a_missing_column_is_named(office_in):
    page = upload(office_in, xlsx([["区发改局", 13800000001]], header=["单位", "手机"])).content.decode()
    assert "找不到表头" in page and "“单位”“姓名”" in page
    assert not User.objects.filter(username="13800000001").exists()


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_saved(office_in, alice, government):
    from units.models import UnitGroup
    UnitGroup.objects.create(government=government, phrase="十街镇")
    data = xlsx([["区发改局", "王一", "13800000001", ""],
                 ["区农业局", "李二", "13800000002", ""],
                 ["十街镇", "张三", "13800000003", ""],
                 ["区教育局", "", "12345", "not-an-email"],
                 ["区教育局", "赵四", "13800000001", ""],
                 ["区教育局", "钱五", "", ""],
                 ["区教育局", "孙六", "", "alice"]])
    page = upload(office_in, data).content.decode()
    assert "一个账号也没有创建" in page
    for message in ["第3行A列（单位）：“区农业局”不是本级政府的单位名称或别名",
                    "第4行A列（单位）：“十街镇”是单位组（十街镇），请写具体的单位",
                    "第5行B列（姓名）：请填写姓名",
                    "第5行C列（手机）：“12345”不是11位手机号码",
                    "第5行D列（邮箱）：“not-an-email”不是有效的邮箱地址",
                    "第6行C列（手机）：登录账号“13800000001”与第2行重复",
                    "第7行：请填写手机或邮箱（用作登录账号）"]:
        assert message in page, message
    assert "第8行D列（邮箱）" in page  # "alice" is not an e-mail address (and the user name is taken)
    assert User.objects.count() == 2  # office and alice


def test_a_taken_username_and_another_governments_unit_are_refused(office_in, alice):
    other = Government.objects.create(name="另一区人民政府", short_name="另一区")
    Unit.objects.create(government=other, name="另一区司法局", short_name="另一区司法局")
    data = xlsx([["另一区司法局", "王一", "13800000001", ""]], header=["单位", "姓名", "手机", "邮箱"])
    page = upload(office_in, data).content.decode()
    assert "“另一区司法局”不是本级政府的单位名称或别名" in page
    data = xlsx([["区发改局", "王一", "", "", "alice"]], header=["单位", "姓名", "手机", "邮箱", "登录账号"])
    page = upload(office_in, data).content.decode()
    assert "第2行E列（登录账号）：登录账号“alice”已被使用" in page
    from conftest import make_user
    make_user("13800000002", unit=alice.unit)
    page = upload(office_in, xlsx([["区发改局", "王一", "138-0000-0002", ""]])).content.decode()
    assert "第2行C列（手机）：登录账号“13800000002”已被使用" in page


@pytest.mark.parametrize("name,data,message", [
    ("名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "请上传 Excel 工作簿（.xlsx）"),
    ("名单.csv", "单位,姓名\n区发改局,王一\n".encode(), "请上传 Excel 工作簿（.xlsx）"),
    ("名单.xlsx", b"just some text, not a workbook", "这不是有效的 .xlsx"),
    ("名单.xlsx", b"", "文件为空"),
])
def test_files_that_are_not_xlsx_lists_are_refused(office_in, name, data, message):
    page = upload(office_in, data, name).content.decode()
    assert message in page
    assert User.objects.count() == 1


def test_hostile_workbooks_are_refused_in_bounded_memory(office_in):
    # a zip bomb: one sheet part of 200 MB of spaces compresses to a few hundred KB
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (200 * 1024 * 1024))
    page = upload(office_in, buffer.getvalue()).content.decode()
    assert "疑似压缩炸弹" in page or "文件过大" in page
    # a sheet declaring a cell at XFD1048576 and a dimension of the whole grid is read within the bounds
    data = xlsx([["区发改局", "王一", "13800000001", ""]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'<dimension ref="A1:D2"/>', b'<dimension ref="A1:XFD1048576"/>')
                content = content.replace(b"</sheetData>",
                                          b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
            archive.writestr(info, content)
    page = upload(office_in, out.getvalue()).content.decode()
    assert "预览" in page and "王一" in page


def test_the_template_lists_the_columns_and_the_units(office_in, unit_a):
    response = office_in.get(reverse("units:account-import-template"))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["账号名单"][1]] == HEADER
    names = [row[0] for row in book["单位名称"].iter_rows(min_row=2, values_only=True)]
    assert "区发改局" in names and "区教育局" in names
    assert any("发改局" == (row[2] or "") for row in book["单位名称"].iter_rows(min_row=2, values_only=True))
    # the template filled in reads back
    sheet = book["账号名单"]
    sheet.append(["区发改局", "王一", "13800000009", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    assert "王一" in upload(office_in, buffer.getvalue()).content.decode()


def test_a_liaison_cannot_upload_or_download(client, alice):
    client.force_login(alice)
    assert upload(client, xlsx([])).status_code == 403
    assert client.get(reverse("units:account-import-template")).status_code == 403
    assert client.post(reverse("units:account-import-confirm"), {"token": "x"}).status_code == 403
