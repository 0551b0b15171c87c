"""check_annual_report: tables found by their labels anywhere, failed checks printed with their cells."""
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from reports.annual import format as fmt
from reports.annual.xlsx import build_workbook
from reports.tests.annual_samples import good_figures, good_sections

ROOT = Path(__file__).resolve().parents[2]


def run(path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_annual_report", str(path), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def exported(tmp_path, figures=None, sections=None) -> Path:
    path = tmp_path / "export.xlsx"
    build_workbook(title="测试报告", sections=sections or good_sections(), figures=figures or good_figures()).save(path)
    return path


def variant_workbook(path, figures, *, top=6, left=3) -> dict[str, str]:
    """One sheet "Sheet1" as a unit might send it: tables elsewhere, two label columns, other wordings.

    Returns where some figures were written ("t3.open.total" → "Sheet1!K30").
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "测试区某局2026年度政府信息公开工作年度报告"
    where = {}

    def put(row, col, value, code=None):
        ws.cell(row=row, column=col, value=value)
        if code:
            where[code] = f"Sheet1!{ws.cell(row=row, column=col).coordinate}"

    r = top
    put(r, left, "二、主动公开政府信息情况")
    blocks = [("第二十条第(一)项", ["本年新制发件数", "本年废止件数", "现行有效件数"], [("rules", "规章"), ("normative", "规范性文件")]),
              ("第二十条第(五)项", ["本年处理决定数"], [("licensing", "行政许可")]),
              ("第二十条第(六)项", ["本年处理决定数"], [("penalty", "行政处罚"), ("coercion", "行政强制")]),
              ("第二十条第(八)项", ["本年收费金额(万元)"], [("fees", "行政事业性收费")])]
    for article, headers, rows in blocks:
        r += 1
        put(r, left, article)
        r += 1
        put(r, left, "信息内容")
        for i, text in enumerate(headers):
            put(r, left + 1 + i, text)
        block = next(b for b in fmt.T2_BLOCKS if b.article.replace("（", "(").replace("）", ")") == article)
        for code, label in rows:
            r += 1
            put(r, left, label)
            for i, col in enumerate(block.columns):
                put(r, left + 1 + i, float(figures[f"t2.{code}.{col.code}"]), f"t2.{code}.{col.code}")
    # Table 三 two columns further right, two label columns, 合计 for 总计 and variant wordings.
    r += 3
    c0 = left + 1
    put(r, c0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    put(r, c0 + 2, "申请人情况")
    put(r + 1, c0 + 2, "自然人")
    put(r + 1, c0 + 3, "法人或其他组织")
    put(r + 1, c0 + 8, "合计")
    for i, text in enumerate(["商业企业", "科研机构", "公益组织", "法律服务机构", "其它"]):
        put(r + 2, c0 + 3 + i, text)
    variants = {"partial": "（二）部分公开", "deny_law": "2、其他法律、行政法规禁止公开",
                "deny_security": "3、危及‘三安全一稳定’", "deny_internal": "5、属于3类内部事务信息",
                "unable_make": "2、没有现成信息，需要另行制作", "total": "（七）合计",
                "new": "本年新收政府信息公开申请数量", "carry_next": "四、结转下年度继续办理"}
    r += 3
    for row in fmt.T3_ROWS:
        if row.code == "open":
            put(r, c0, "三、本年度办理结果")  # a heading row of its own, with no numbers
            r += 1
        if row.group is not None:
            if row.label is row.group.items[0]:
                put(r, c0, row.group.text)
            put(r, c0 + 1, variants.get(row.code, row.label.text.replace(".", "、")))
        else:
            put(r, c0, variants.get(row.code, row.label.text))
        for i, col in enumerate(fmt.T3_COLUMNS):
            code = fmt.t3_code(row.code, col.code)
            put(r, c0 + 2 + i, figures[code], code)
        r += 1
    # Table 四 starting in column B, 行政复议 leaves on the row of the suit groups' headers.
    r += 2
    put(r, 2, "行政复议")
    put(r, 7, "行政诉讼")
    for i, text in enumerate(["维持", "纠正", "其他结果", "尚未审结", "总计"]):
        put(r + 1, 2 + i, text)
    put(r + 1, 7, "未经复议直接起诉")
    put(r + 1, 12, "复议后起诉")
    for g, group in enumerate(fmt.T4_GROUPS):
        for i, col in enumerate(fmt.T4_COLUMNS):
            if g:
                put(r + 2, 2 + 5 * g + i, col.text)
            put(r + 3, 2 + 5 * g + i, figures[fmt.t4_code(group.code, col.code)], fmt.t4_code(group.code, col.code))
    wb.save(path)
    return where


def test_the_export_passes(tmp_path):
    code, out, err = run(exported(tmp_path))
    assert (code, err) == (0, "")
    assert out.strip() == "检查通过：表格数字均相符。"


def test_a_broken_sum_in_the_export_is_caught_with_its_cell(tmp_path):
    figures = good_figures()
    figures["t3.open.natural"] += 1
    code, out, _ = run(exported(tmp_path, figures))
    assert code == 1
    sheet = "三、收到和处理政府信息公开申请情况"
    assert f"{sheet}!J9: 表三“（一）予以公开”行：总计填写为 30，但自然人与法人或其他组织各列之和为 31。" in out
    assert f"{sheet}!D30: 表三“自然人”列：（七）总计填写为 39，但（一）至（六）各项之和为 40。" in out
    assert out.strip().endswith("检查未通过：2处错误。")


def test_tables_found_elsewhere_with_variant_labels(tmp_path):
    path = tmp_path / "unit.xlsx"
    variant_workbook(path, good_figures())
    code, out, err = run(path)
    assert (code, err) == (0, ""), out
    assert "检查通过" in out


def test_broken_sums_in_a_variant_workbook_name_the_cells(tmp_path):
    figures = good_figures()
    figures["t4.suit_direct.corrected"] = 1  # 1 + 1 ≠ 1
    figures["t3.deny_internal.research"] = 1  # breaks a row total and the column's total
    path = tmp_path / "unit.xlsx"
    where = variant_workbook(path, figures, top=3, left=2)
    code, out, _ = run(path)
    assert code == 1
    assert f"{where['t4.suit_direct.total']}: 表四“行政诉讼·未经复议直接起诉”：总计填写为 1" in out
    assert f"{where['t3.deny_internal.total']}: 表三“（三）不予公开·5.属于三类内部事务信息”行：总计填写为 0" in out
    assert where["t4.suit_direct.total"].startswith("Sheet1!") and where["t4.suit_direct.total"] != "Sheet1!K5"


def test_a_cell_that_is_not_a_number_is_named(tmp_path):
    figures = good_figures() | {"t3.none_repeat.natural": "三件"}
    path = tmp_path / "unit.xlsx"
    where = variant_workbook(path, figures)
    code, out, _ = run(path)
    assert code == 1
    assert f"{where['t3.none_repeat.natural']}: 表三“（五）不予处理·2.重复申请”行“自然人”列应填写非负整数，现为“三件”。" in out


def test_missing_tables_are_reported(tmp_path):
    path = tmp_path / "empty.xlsx"
    wb = Workbook()
    wb.active["A1"] = "年度报告"
    wb.save(path)
    code, out, _ = run(path)
    assert code == 1
    assert "empty.xlsx: 未找到表三（收到和处理政府信息公开申请情况）：没有“自然人”表头。" in out


def test_empty_required_sections_fail_when_the_workbook_has_section_sheets(tmp_path):
    code, out, _ = run(exported(tmp_path, sections=good_sections() | {"problems": "无"}))
    assert code == 1
    assert "五、存在的主要问题及改进情况!A1: “五、存在的主要问题及改进情况”不能只写“无”" in out


@pytest.mark.parametrize("content, expected", [
    (b"this is not a workbook", "不是有效的 Excel（.xlsx）工作簿"),
    (None, "不存在"),
])
def test_a_bad_file_is_one_chinese_line_on_stderr(tmp_path, content, expected):
    path = tmp_path / "bad.xlsx"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(path)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and expected in err


def test_a_corrupt_workbook_exits_1_without_a_traceback(tmp_path):
    good = exported(tmp_path).read_bytes()
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(good[: len(good) // 2])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govopen.settings_test"}
    proc = subprocess.run([sys.executable, "manage.py", "check_annual_report", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.strip() == "文件“corrupt.xlsx”不是有效的 Excel（.xlsx）工作簿，无法读取。"
