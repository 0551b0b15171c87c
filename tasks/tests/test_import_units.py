"""manage.py import_units PATH.xlsx [--dry-run] [--government]: the unit directory from a workbook."""
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from tasks.tests.hostile_files import tiny_xlsx
from units.models import Alias, Government, Unit

HEADER = ["单位全称", "简称", "类型", "排序", "别名", "企业微信机器人", "钉钉机器人"]
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
DING = "https://oapi.dingtalk.com/robot/send?access_token=xyz"


def workbook(tmp_path, *rows, header=HEADER, name="单位名录.xlsx", title_row=True):
    book = Workbook()
    sheet = book.active
    if title_row:
        sheet.append(["测试区单位名录"])
    sheet.append(header)
    for values in rows:
        sheet.append(list(values))
    path = tmp_path / name
    book.save(path)
    return path


def run(path, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_units", str(path), *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def book(tmp_path, unit_a):
    return workbook(
        tmp_path,
        ["测试区发展和改革局", "区发改局", "区直部门", 15, "发改局、发展改革局", WECOM, f"{DING} SECsecret1"],
        ["测试区司法局", "区司法局", "区直部门", 30, "司法局", None, None],
        ["测试区西街街道办事处", "西街街道", "街道", 110, None, None, DING],
    )


def test_it_creates_and_updates_units_and_prints_what_it_did(book, unit_a):
    code, out, err = run(book)
    assert (code, err) == (0, "")
    lines = out.strip().splitlines()
    assert lines == [
        "新建：测试区司法局（简称区司法局，区直部门，排序30），新增别名司法局",
        "新建：测试区西街街道办事处（简称西街街道，街道，排序110）",
        "更新：测试区发展和改革局：排序10→15，企业微信机器人空→已设置，钉钉机器人空→已设置，钉钉加签密钥空→已设置，"
        "新增别名发改局、发展改革局",
        "测试区：新建2个单位，更新1个，未变0个",
    ]
    unit_a.refresh_from_db()
    assert (unit_a.sort_order, unit_a.wecom_robot_url, unit_a.dingtalk_robot_url, unit_a.dingtalk_secret) == (
        15, WECOM, DING, "SECsecret1")
    street = Unit.objects.get(short_name="西街街道")
    assert street.kind == Unit.Kind.STREET and street.government == unit_a.government
    assert Alias.objects.resolve("发展改革局", unit_a.government) == unit_a
    assert "xyz" not in out and "SECsecret1" not in out  # robot addresses and secrets are not printed

    code, out, _ = run(book)  # a second time: nothing to do
    assert out.strip().splitlines() == ["测试区：新建0个单位，更新0个，未变3个"]


def test_dry_run_prints_the_same_and_saves_nothing(book, unit_a):
    code, out, _ = run(book, "--dry-run")
    assert code == 0
    assert out.strip().splitlines()[-1] == "测试区：新建2个单位，更新1个，未变0个（试运行，未保存任何内容）"
    assert Unit.objects.count() == 1 and Alias.objects.count() == 0
    unit_a.refresh_from_db()
    assert unit_a.sort_order == 10 and unit_a.wecom_robot_url == ""


def test_blank_cells_leave_values_as_they_are(tmp_path, unit_a):
    unit_a.wecom_robot_url = WECOM
    unit_a.save()
    path = workbook(tmp_path, ["测试区发展和改革局", None, None, None, None, None, None])
    assert run(path)[1].strip() == "测试区：新建0个单位，更新0个，未变1个"
    unit_a.refresh_from_db()
    assert unit_a.wecom_robot_url == WECOM and unit_a.short_name == "区发改局"


@pytest.mark.parametrize("rows, header, message", [
    ([["测试区司法局", "区司法局"]], ["单位全称", "类型"], "无法导入“单位名录.xlsx”：第2行表头缺少“简称”列"),
    ([["测试区司法局", "区司法局"]], ["单位", "名称"],
     "无法导入“单位名录.xlsx”：前10行中找不到表头：缺少“单位全称”列（应有列：单位全称、简称、类型、排序、别名、企业微信机器人、钉钉加签密钥、钉钉机器人）"),
    ([["测试区司法局", "区司法局", "区直部门", "第三"]], HEADER, "无法导入“单位名录.xlsx”：第4行“排序”列“第三”不是非负整数"),
    ([["测试区司法局", "区司法局", "委员会"]], HEADER,
     "无法导入“单位名录.xlsx”：第4行“类型”列“委员会”不是可用的类型（区直部门、街道、镇、上级部门、企事业单位、其他）"),
    ([["测试区司法局", "区司法局", None, None, None, "javascript:alert(1)"]], HEADER,
     "无法导入“单位名录.xlsx”：第4行“企业微信机器人”列“javascript:alert(1)”不是 http(s) 网址"),
    ([["测试区司法局", "区司法局"], ["测试区司法局", "司法局"]], HEADER,
     "无法导入“单位名录.xlsx”：第5行“单位全称”列“测试区司法局”与第4行重复"),
    ([["测试区司法局", "区发改局"]], HEADER,
     "无法导入“单位名录.xlsx”：第4行“简称”列“区发改局”已是另一单位（测试区发展和改革局）的简称，未保存任何内容"),
    ([["测试区司法局", "区司法局", None, None, "区发改局"]], HEADER,
     "无法导入“单位名录.xlsx”：第4行“别名”列“区发改局”已是另一单位或单位组的名称，未保存任何内容"),
])
def test_a_bad_file_exits_1_with_one_chinese_line_and_saves_nothing(tmp_path, unit_a, rows, header, message):
    padded = [list(r) + [None] * (len(HEADER) - len(r)) for r in rows]
    code, out, err = run(workbook(tmp_path, ["测试区新单位", "新单位"], *padded, header=header))
    assert (code, err.strip()) == (1, message)
    assert "\n" not in err.strip() and "Traceback" not in err
    assert Unit.objects.count() == 1  # the good first row was not saved either


def test_files_that_are_not_workbooks(tmp_path, unit_a):
    text = tmp_path / "单位.xlsx"
    text.write_text("单位全称,简称\n", encoding="utf-8")
    assert run(text)[2].strip() == ("无法导入“单位.xlsx”：文件内容与扩展名不符：这不是有效的 .xlsx Excel 工作簿，"
                                    "可能已损坏或被改名")
    csv = tmp_path / "单位.csv"
    csv.write_text("x", encoding="utf-8")
    assert run(csv)[:1] == (1,) and run(csv)[2].strip() == "“单位.csv”不是 .xlsx 工作簿，请在 Excel 或 WPS 中另存为 .xlsx"
    assert run(tmp_path / "没有.xlsx")[2].strip().startswith("找不到文件")
    huge = tmp_path / "巨大.xlsx"
    huge.write_bytes(tiny_xlsx(dimension="A1:XFD1048576"))
    code, _, err = run(huge)
    assert code == 1 and "超过上限（最多5000行×60列）" in err and "\n" not in err.strip()


def test_several_governments_need_government(tmp_path, unit_a):
    other = Government.objects.create(name="测试市另一区人民政府", short_name="另一区")
    path = workbook(tmp_path, ["另一区教育局", "区教育局"])
    code, _, err = run(path)
    assert (code, err.strip()) == (1, "系统中有多个政府，请用 --government 指定所属政府")
    code, out, _ = run(path, "--government", "另一区")
    assert code == 0 and Unit.objects.get(short_name="区教育局").government == other
