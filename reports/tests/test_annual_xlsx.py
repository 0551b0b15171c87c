"""The Excel export in the official layout, reopened with openpyxl; and the reader finding it again."""
import io
from decimal import Decimal

from openpyxl import load_workbook

from reports.annual import format as fmt
from reports.annual.reader import read_workbook
from reports.annual.xlsx import build_workbook
from reports.tests.annual_samples import good_figures, good_sections

TITLE = "测试区发展和改革局2026年政府信息公开工作年度报告"


def reopened():
    buffer = io.BytesIO()
    build_workbook(title=TITLE, sections=good_sections(), figures=good_figures()).save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_one_sheet_per_section_in_the_official_order():
    wb = reopened()
    assert wb.sheetnames == [s.heading for s in fmt.SECTIONS]
    overview = wb["一、总体情况"]
    assert overview["A1"].value == TITLE
    assert overview["A3"].value == "一、总体情况"
    assert overview["A4"].value.startswith("2026年，本机关认真贯彻落实")
    assert int(overview.page_setup.paperSize) == 9  # A4


def test_table_three_has_the_official_merged_headers_and_numbers():
    ws = reopened()["三、收到和处理政府信息公开申请情况"]
    # Lead-in text on row 2, the table from row 4: rule note A4:C6, 申请人情况 D4:J4, 自然人 D5:D6, 总计 J5:J6.
    assert {"A4:C6", "D4:J4", "D5:D6", "E5:I5", "J5:J6"} <= merged(ws)
    assert ws["A4"].value == fmt.T3_RULE_NOTE
    assert [ws.cell(6, c).value for c in range(5, 10)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert ws["A7"].value == "一、本年新收政府信息公开申请数量" and "A7:C7" in merged(ws)
    assert ws["A9"].value == "三、本年度办理结果" and "A9:A30" in merged(ws)
    assert ws["B11"].value == "（三）不予公开" and "B11:B18" in merged(ws)
    assert ws["C13"].value == "3.危及“三安全一稳定”"
    assert ws["B30"].value == "（七）总计" and ws["A31"].value == "四、结转下年度继续办理"
    assert ws["D7"].value == 40 and isinstance(ws["D7"].value, int)
    assert ws["J7"].value == 60 and ws["J30"].value == 56 and ws["J31"].value == 10
    assert ws["D7"].border.left.style == "thin" and ws["D7"].number_format == "0"


def test_table_two_and_four_layout():
    wb = reopened()
    two = wb["二、主动公开政府信息情况"]
    assert two["A2"].value == "第二十条第（一）项" and "A2:D2" in merged(two)
    assert [two.cell(3, c).value for c in range(1, 5)] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert (two["A5"].value, two["B5"].value, two["C5"].value, two["D5"].value) == ("行政规范性文件", 4, 1, 23)
    assert two["A15"].value == "行政事业性收费" and two["B15"].value == 12.35 and "B15:D15" in merged(two)
    four = wb["四、政府信息公开行政复议、行政诉讼情况"]
    assert {"A2:E2", "F2:O2", "A3:A4", "F3:J3", "K3:O3"} <= merged(four)
    assert four["F3"].value == "未经复议直接起诉" and four["K3"].value == "复议后起诉"
    assert [four.cell(5, c).value for c in range(1, 6)] == [2, 1, 0, 1, 4]
    assert four["O5"].value == 2
    assert four.page_setup.orientation == "landscape"


def test_the_reader_finds_every_number_of_the_export(tmp_path):
    path = tmp_path / "report.xlsx"
    build_workbook(title=TITLE, sections=good_sections(), figures=good_figures()).save(path)
    result = read_workbook(path)
    assert result.problems == []
    expected = good_figures()
    for code in fmt.FIELD_CODES:
        value = result.figures[code]
        assert (Decimal(str(value)) if code in fmt.T2_DECIMAL_FIELDS else value) == expected[code], code
    assert result.cells["t3.new.natural"] == "三、收到和处理政府信息公开申请情况!D7"
    assert result.sections == good_sections()
