"""The pure helpers of tasks.parsing, on every phrase met in the seed notices."""
import datetime

import pytest

from tasks.parsing import (
    Deadline,
    DocNumber,
    DocNumberError,
    chinese_numeral_to_int,
    find_doc_numbers,
    int_to_chinese_numeral,
    is_group_phrase,
    normalize_text,
    parse_doc_number,
    resolve_deadline,
    split_unit_cell,
)

D = datetime.date


@pytest.mark.parametrize("text, expected", [
    ("鼓政办〔2022〕46 号", "鼓政办〔2022〕46号"),
    (" 鼓政办〔2022〕46 号", "鼓政办〔2022〕46号"),
    ("榕政办〔2021〕53号", "榕政办〔2021〕53号"),
    ("厦湖府办函〔2022〕80号", "厦湖府办函〔2022〕80号"),
    ("泉鲤政办〔2018〕77号", "泉鲤政办〔2018〕77号"),
    ("国办发〔2022〕8 号", "国办发〔2022〕8号"),
    ("闽政办函〔2022〕28 号", "闽政办函〔2022〕28号"),
    ("闽财非税函〔2021〕1号", "闽财非税函〔2021〕1号"),
    ("闽政办〔2016〕179号", "闽政办〔2016〕179号"),
    ("国办发[2022]8号", "国办发〔2022〕8号"),
    ("国办发［2022］8号", "国办发〔2022〕8号"),
    ("国办发（2022）8号", "国办发〔2022〕8号"),
    ("国办发(2022)8号", "国办发〔2022〕8号"),
    ("鼓政办 〔 2022 〕 46 号", "鼓政办〔2022〕46号"),
])
def test_it_normalises_doc_numbers(text, expected):
    assert parse_doc_number(text).text == expected


def test_doc_number_parts():
    assert parse_doc_number("厦湖府办函〔2022〕80号") == DocNumber("厦湖府办函", 2022, 80)
    assert str(DocNumber("鼓政办", 2022, 46)) == "鼓政办〔2022〕46号"


@pytest.mark.parametrize("text", ["", "鼓政办2022年46号", "国务院令第713号", "GZ2022XX0003", "abc〔2022〕1号",
                                  "鼓政办〔22〕46号", "鼓政办〔2022〕号", "鼓政办〔2022〕0号"])
def test_it_rejects_what_is_not_a_doc_number(text):
    with pytest.raises(DocNumberError) as exc:
        parse_doc_number(text)
    assert str(exc.value) == "文号格式不正确，应类似“鼓政办〔2022〕46号”"
    assert isinstance(exc.value, ValueError)


def test_it_finds_doc_numbers_cited_across_line_breaks():
    body = ("为贯彻落实《国务院办公厅关于印发 2022 年政务公开工作\n\n要点的通知》（国办发〔2022〕8 号）、"
            "《福建省…》\n\n（闽政办函〔2022〕28 号）和《…》（榕政办\n\n〔2022〕73 号）要求；"
            "再次引用（国办发〔2022〕8号），（闽\n\n政办函〔2021〕34 号），国务院令第713号")
    assert find_doc_numbers(body) == ["国办发〔2022〕8号", "闽政办函〔2022〕28号", "榕政办〔2022〕73号",
                                      "闽政办函〔2021〕34号"]


def test_it_finds_the_own_number_under_a_letterhead():
    head = "福州市人民政府办公厅文件\n\n榕政办〔2021〕53号\n\n厦门市湖里区人民政府办公室\n\n厦湖府办函〔2022〕80号"
    assert find_doc_numbers(head) == ["榕政办〔2021〕53号", "厦湖府办函〔2022〕80号"]


@pytest.mark.parametrize("text, date", [
    ("10月底前", D(2022, 10, 31)), ("9月底前", D(2022, 9, 30)), ("7月底前", D(2022, 7, 31)),
    ("10 月底前", D(2022, 10, 31)), ("年底前", D(2022, 12, 31)), ("年内", D(2022, 12, 31)),
    ("年底", D(2022, 12, 31)), ("2022年底前", D(2022, 12, 31)), ("2022 年底前", D(2022, 12, 31)),
    ("2021 年底前", D(2021, 12, 31)), ("2020 年 10 月底前", D(2020, 10, 31)),
    ("2020 年 11 月 15 日", D(2020, 11, 15)), ("2020年11月15日前", D(2020, 11, 15)),
    ("11月15日前", D(2022, 11, 15)), ("10 月 28 日前", D(2022, 10, 28)), ("10月 30 日前", D(2022, 10, 30)),
    ("12 月 25 日前", D(2022, 12, 25)), ("2018 年 11 月 20 日前", D(2018, 11, 20)),
    ("上半年", D(2022, 6, 30)), ("下半年", D(2022, 12, 31)), ("三季度末", D(2022, 9, 30)),
    ("第三季度", D(2022, 9, 30)), ("一季度", D(2022, 3, 31)), ("第4季度", D(2022, 12, 31)),
    ("2月底前", D(2022, 2, 28)), ("10月前", D(2022, 9, 30)),
    ("7月底前提出方案，10 月底前完成提升工作", D(2022, 10, 31)),
])
def test_it_resolves_dates_relative_to_the_notice_year(text, date):
    assert resolve_deadline(text, 2022) == Deadline(date, ongoing=False, recognised=True)


@pytest.mark.parametrize("text", ["持续推进", "长期坚持", "长期", "常态化", "12 小时内"])
def test_ongoing_phrases_have_no_date(text):
    assert resolve_deadline(text, 2022) == Deadline(None, ongoing=True, recognised=True)


def test_empty_deadline_takes_the_fallback():
    fallback = D(2022, 10, 28)
    assert resolve_deadline("", 2022, fallback=fallback) == Deadline(fallback, ongoing=False, recognised=True)
    assert resolve_deadline("  ", 2022) == Deadline(None, ongoing=False, recognised=True)
    assert resolve_deadline(None, 2022) == Deadline(None)


@pytest.mark.parametrize("text, days", [("2个工作日内", 2), ("2 个工作日内", 2), ("1 个工作日内", 1),
                                         ("五个工作日内", 5)])
def test_working_days(text, days):
    assert resolve_deadline(text, 2022) == Deadline(None, ongoing=False, recognised=True, working_days=days)


def test_unknown_phrases_are_not_recognised():
    fallback = D(2022, 12, 31)
    assert resolve_deadline("按上级要求", 2022, fallback=fallback) == Deadline(fallback, recognised=False)
    assert resolve_deadline("10月底前", None).recognised is False  # no year to anchor it


def _units(text, default="responsible"):
    return [(u.text, u.role) for u in split_unit_cell(text, default)]


@pytest.mark.parametrize("text, expected", [
    ("区发改局\n区建设局", [("区发改局", "responsible"), ("区建设局", "responsible")]),
    ("区直各有关部门，\n\n十街镇", [("区直各有关部门", "responsible"), ("十街镇", "responsible")]),
    ("区发改局 区直各有关部门", [("区发改局", "responsible"), ("区直各有关部门", "responsible")]),
    ("区数字办、区疾控\n中心、十街镇", [("区数字办", "responsible"), ("区疾控中心", "responsible"),
                                  ("十街镇", "responsible")]),
    ("区行政服务中心、\n区“智慧鼓楼”\n服务中心", [("区行政服务中心", "responsible"),
                                        ("区“智慧鼓楼”服务中心", "responsible")]),
    ("区直有关单位、十\n街镇", [("区直有关单位", "responsible"), ("十街镇", "responsible")]),
    ("市直各有关单位，各县（市）\n区政府、高新区管\n委会",
     [("市直各有关单位", "responsible"), ("各县（市）区政府", "responsible"), ("高新区管委会", "responsible")]),
    ("高新区管委会，各街道办事处，区政府\n各部门、各驻鲤市属单位，鲤城公安分\n局",
     [("高新区管委会", "responsible"), ("各街道办事处", "responsible"), ("区政府各部门", "responsible"),
      ("各驻鲤市属单位", "responsible"), ("鲤城公安分局", "responsible")]),
    ("区政府办牵头、司法局配合", [("区政府办", "lead"), ("司法局", "cooperating")]),
    ("司法局牵头，各街道办、区直各部门配合",
     [("司法局", "lead"), ("各街道办", "cooperating"), ("区直各部门", "cooperating")]),
    ("工信局、审批局牵头，各街道办、区直各部门配合",
     [("工信局", "lead"), ("审批局", "lead"), ("各街道办", "cooperating"), ("区直各部门", "cooperating")]),
    ("人社局牵头，各街道办、区直各部门配合",
     [("人社局", "lead"), ("各街道办", "cooperating"), ("区直各部门", "cooperating")]),
    ("司法局牵头、政府办配合", [("司法局", "lead"), ("政府办", "cooperating")]),
    ("工信局、财政局、人社局、商务局、文旅局", [(n, "responsible") for n in ["工信局", "财政局", "人社局", "商务局", "文旅局"]]),
    ("区政府办、数字办，区直各有关单位、各街镇",
     [("区政府办", "responsible"), ("数字办", "responsible"), ("区直各有关单位", "responsible"),
      ("各街镇", "responsible")]),
    ("区政府办负责", [("区政府办", "responsible")]),
    ("牵头单位：区政府办；配合单位：区司法局、区财政局",
     [("区政府办", "lead"), ("区司法局", "cooperating"), ("区财政局", "cooperating")]),
    ("<p>政府办</p>", [("政府办", "responsible")]),
    ("", []), ("  \n ", []), (None, []),
])
def test_it_splits_unit_cells(text, expected):
    assert _units(text) == expected


def test_notes_stay_on_their_unit():
    [unit] = split_unit_cell("市大数据委\n（负责专题建设）", "lead")
    assert (unit.text, unit.name, unit.note, unit.role) == ("市大数据委（负责专题建设）", "市大数据委", "负责专题建设", "lead")
    [unit] = split_unit_cell("市司法局（负责市政府规章）")
    assert (unit.name, unit.note) == ("市司法局", "负责市政府规章")
    [unit] = split_unit_cell("市行政（市民）服务中\n心管委会（负责市级线\n下专区建设）")
    assert (unit.text, unit.name, unit.note) == (
        "市行政（市民）服务中心管委会（负责市级线下专区建设）", "市行政（市民）服务中心管委会", "负责市级线下专区建设")
    [unit] = split_unit_cell("各县（市）\n区政府")
    assert (unit.text, unit.name, unit.note) == ("各县（市）区政府", "各县（市）区政府", "")
    [unit] = split_unit_cell("区委编办\n（区审改办）")
    assert (unit.name, unit.note) == ("区委编办", "区审改办")


def test_group_phrases():
    for phrase in ["区直各有关部门", "区直各部门", "十街镇", "各街镇", "各街道办", "各县（市）区政府", "市直各有关单位",
                   "各驻鲤市属单位", "区直有关单位"]:
        assert is_group_phrase(phrase), phrase
    for name in ["区发改局", "鼓楼税务局", "市大数据委", "区“智慧鼓楼”服务中心"]:
        assert not is_group_phrase(name), name


@pytest.mark.parametrize("raw, clean", [
    ("2022 年鼓楼区政务公开工作主要任务分解表", "2022年鼓楼区政务公开工作主要任务分解表"),
    ("关于 印发鼓楼区 2020 年政务公开工作要点的通知", "关于印发鼓楼区2020年政务公开工作要点的通知"),
    ("七、持续加强公 开平台建设", "七、持续加强公开平台建设"),
    ("措施特别 是大规模增值税", "措施特别是大规模增值税"),
    ("于 10 月 28 日前报区政\n\n府办", "于10月28日前报区政府办"),
    ("<p>23 进一步提升</p> <p>24 规范</p>", "23进一步提升24规范"),
    ("全面支持 IPv6，发挥", "全面支持IPv6，发挥"),
    ("区政务 APP 与网上办事大厅", "区政务APP与网上办事大厅"),
    ("Open data and API", "Open data and API"),
    ("“12345热线”等平台，", "“12345热线”等平台，"),
    ("", ""),
])
def test_normalize_text(raw, clean):
    assert normalize_text(raw) == clean


def test_normalize_text_can_keep_paragraphs():
    assert normalize_text("7月底前提出 方案。\n\n10 月底前完成。", keep_newlines=True) == "7月底前提出方案。\n10月底前完成。"


@pytest.mark.parametrize("n, text", [(1, "一"), (2, "二"), (10, "十"), (11, "十一"), (14, "十四"), (20, "二十"),
                                     (21, "二十一"), (99, "九十九"), (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_numerals_both_ways(n, text):
    assert int_to_chinese_numeral(n) == text
    assert chinese_numeral_to_int(text) == n


def test_chinese_numeral_errors():
    assert chinese_numeral_to_int("两") == 2
    for bad in ["", "十a", "五五"]:
        with pytest.raises(ValueError):
            chinese_numeral_to_int(bad)
    with pytest.raises(ValueError):
        int_to_chinese_numeral(0)
