"""Reading existing registers: header synonyms, outcome short forms, dates, errors by row and column, doubts."""
import datetime
import io
import shutil
import subprocess

import openpyxl
import pytest

from disclosure.importers import parse_outcome, parse_register
from tasks.importers.result import ImportFailure

TODAY = datetime.date(2026, 11, 23)
HEADER = ["序号", "受理日期", "申请人姓名", "申请人类别", "申请公开的内容", "答复结果", "答复日期", "联系电话", "申请方式"]
ROWS = [
    [1, datetime.date(2026, 1, 5), "张三", "自然人", "2025年预算执行情况", "予以公开", datetime.date(2026, 1, 20), "13800001111", "网上申请"],
    [2, "2026/2/3", "某科技有限公司", "企业", "某项目环评文件", "不予公开（属于国家秘密）", "2026年2月25日", "", "邮寄"],
    [3, "2026-03-01", "李四", "自然人", "拆迁补偿方案", "无法提供（本机关不掌握相关政府信息）", "2026-03-20", "", "当面"],
    [4, "2026.4.1", "王五", "公民", "信访件处理结果", "不予处理（重复申请）", "2026-04-10", "", ""],
    [5, "2026-05-06", "赵六", "法律服务机构", "执法案卷", "其他处理（其他）", "2026-07-30", "", "网络"],
    [6, "2026-11-20", "钱七", "自然人", "年底收到的申请", "", "", "", "网络"],
]


def xlsx_bytes(rows, *, title=True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["测试区发改局2026年政府信息公开申请登记表"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="gb18030") -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(v) for v in r) for r in rows]
    return "\n".join(lines).encode(encoding)


@pytest.mark.parametrize("text, code", [
    ("予以公开", "open"), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partial"),
    ("不予公开（属于国家秘密）", "deny_secret"), ("3.危及“三安全一稳定”", "deny_security"),
    ("（三）不予公开 5.属于三类内部事务信息", "deny_internal"), ("无法提供（本机关不掌握相关政府信息）", "unable_not_held"),
    ("不予处理（重复申请）", "none_repeat"), ("其他处理（其他）", "other_other"),
    ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
    ("不予公开", None), ("其他", None), ("已答复", None), ("", ""),
])
def test_outcomes_as_official_labels_or_short_forms(text, code):
    assert parse_outcome(text) == code


def test_xlsx_with_a_title_row_and_synonym_headers():
    parsed = parse_register("登记簿.xlsx", xlsx_bytes(ROWS), today=TODAY)
    assert parsed.errors == []
    assert parsed.header_row == 2
    assert {c.header: c.field for c in parsed.columns}["受理日期"] == "received_on"
    assert {c.header: c.field for c in parsed.columns}["序号"] is None
    values = [r.values for r in parsed.rows]
    assert [v["outcome"] for v in values] == ["open", "deny_secret", "unable_not_held", "none_repeat", "other_other", ""]
    assert values[1]["received_on"] == datetime.date(2026, 2, 3)
    assert values[1]["answered_on"] == datetime.date(2026, 2, 25)
    assert values[1]["applicant_type"] == "commercial" and values[1]["channel"] == "post"
    assert values[5]["answered_on"] is None
    doubts = {r.row: r.doubts for r in parsed.doubtful}
    assert "申请人类型“企业”按“商业企业”计" in doubts[4]
    assert "申请人类型“公民”按“自然人”计" in doubts[6]
    assert any("85天才办结" in t for t in doubts[7])


def test_csv_in_gbk_and_utf8():
    for encoding in ("gb18030", "utf-8-sig"):
        parsed = parse_register("登记簿.csv", csv_bytes(ROWS, encoding), today=TODAY)
        assert len(parsed.rows) == 6 and not parsed.errors


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_old_xls_workbook(tmp_path):
    source = tmp_path / "登记簿.xlsx"
    source.write_bytes(xlsx_bytes(ROWS))
    subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    parsed = parse_register("登记簿.xls", (tmp_path / "登记簿.xls").read_bytes(), today=TODAY)
    assert len(parsed.rows) == 6 and not parsed.errors
    assert parsed.rows[0].values["received_on"] == datetime.date(2026, 1, 5)


def test_errors_name_row_and_column():
    bad = [
        [1, "2026-13-01", "甲", "自然人", "内容一", "予以公开", "2026-01-20"],
        [2, "2026-02-01", "乙", "个体户联盟", "内容二", "予以公开", "2026-02-05"],
        [3, "2026-02-01", "丙", "自然人", "内容三", "已答复", "2026-02-05"],
        [4, "2026-03-01", "丁", "自然人", "内容四", "予以公开", "2026-02-05"],
        [5, "2026-12-01", "戊", "自然人", "内容五", "", ""],
        [6, "2026-03-01", "己", "自然人", "内容六", "予以公开", ""],
        [7, "2026-02-01", "丙", "自然人", "内容三", "予以公开", "2026-02-05"],
        [8, "2026-02-01", "丙", "自然人", "内容三", "予以公开", "2026-02-06"],
    ]
    errors = parse_register("登记簿.xlsx", xlsx_bytes(bad), today=TODAY).errors
    assert errors == [
        "第3行“受理日期”列：“2026-13-01”不是有效日期（应写作 2026-03-05 或 2026年3月5日）",
        "第4行“申请人类别”列：“个体户联盟”不是自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他之一",
        "第5行“答复结果”列：“已答复”不是年报表三的22种办理结果之一（如“予以公开”“不予公开（属于国家秘密）”"
        "“无法提供（本机关不掌握相关政府信息）”“不予处理（重复申请）”“其他处理（其他）”）",
        "第6行“答复日期”列：办结日期2026年2月5日早于收到日期2026年3月1日",
        "第7行“受理日期”列：2026年12月1日晚于今天，不能登记未来的日期",
        "第8行“答复日期”列：已填写办理结果，但未填写办结日期",
        "第10行：与第9行重复（收到日期、申请人和申请内容都相同）",
    ]


@pytest.mark.parametrize("name, data, message", [
    ("登记簿.xlsx", b"PK\x03\x04broken", "文件已损坏"),
    ("登记簿.pdf", b"%PDF-1.7", "只支持 Excel（.xlsx、.xls）和 CSV（.csv）文件"),
    ("登记簿.xls", b"not an ole file", "不是有效的 .xls"),
    ("登记簿.csv", "序号,日期,内容\n1,2026-01-01,甲".encode(), "找不到表头"),
    ("登记簿.csv", "收到日期,申请人类型,申请内容,办结日期\n2026-01-01,自然人,甲,".encode(), "缺少必需的列：办理结果"),
    ("登记簿.csv", b"", "文件为空"),
])
def test_a_bad_file_is_one_chinese_message(name, data, message):
    with pytest.raises(ImportFailure) as exc:
        parse_register(name, data, today=TODAY)
    assert message in exc.value.message
