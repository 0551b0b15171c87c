"""parse_upload on .xlsx workbooks built in memory with openpyxl."""
import datetime
import io

import pytest
from openpyxl import Workbook

from tasks.importers import ImportFailure, parse_upload


def build(rows, merges=(), *, sheets=None):
    """A workbook whose first sheet holds ``rows``; ``merges`` are ranges such as "A3:A5"."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, sheet_rows, sheet_merges in sheets or [("分解表", rows, merges)]:
        sheet = workbook.create_sheet(title)
        for values in sheet_rows:
            sheet.append(values)
        for cell_range in sheet_merges:
            sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BREAKDOWN = [
    ["厦湖府办函〔2022〕80号", None, None, None, None],                                   # 1 title row
    ["2022年全区政务公开工作主要任务分解表", None, None, None, None],                      # 2 title row
    ["序号", "工作任务", "工作要求", "完成时限", "责任单位"],                              # 3 header
    [None, "一、持续推进行政决策公开", None, None, None],                                  # 4 heading across
    [1, "制定重大行政决策事项目录", "根据决策事项的推进情况依法公开。", "持续推进", "区政府办牵头、司法局配合"],
    [2, None, "集中公开现行有效的行政规范性文件。", "10月底前", "司法局牵头，各街道办、区直各部门配合"],
    [None, None, None, None, None],                                                     # 7 blank
    ["序号", "工作任务", "工作要求", "完成时限", "责任单位"],                              # 8 repeated header
    [None, "二、加强涉及市场主体的信息公开", None, None, None],                             # 9 heading across
    [3.0, "加大帮扶政策公开力度", "促进稳就业和消费恢复。", datetime.datetime(2022, 9, 30), "工信局、财政局"],
    [4, None, "动态公开技能培训政策规定。", None, None],                                   # 11 no units
    ["备注：时限以区政府办通知为准。", None, None, None, None],                             # 12 note
]
BREAKDOWN_MERGES = ["A1:E1", "A2:E2", "B4:E4", "B5:B6", "B9:E9", "A12:E12"]


def test_merged_headings_title_rows_and_a_deadline_column_before_units():
    result = parse_upload("分解表.xlsx", build(BREAKDOWN, BREAKDOWN_MERGES))
    notice = result.notice
    assert (notice.doc_number, notice.year) == ("厦湖府办函〔2022〕80号", 2022)
    first, second = notice.sections
    assert (first.number, first.title, first.tasks) == ("一", "持续推进行政决策公开", [])
    # The task title merged down B5:B6 groups items 1 and 2 under the numbered section.
    assert [(s.number, s.title, [t.number for t in s.tasks]) for s in first.subsections] == [
        ("一", "制定重大行政决策事项目录", [1, 2])]
    assert (second.number, second.title, [t.number for t in second.tasks]) == ("二", "加强涉及市场主体的信息公开", [3, 4])
    one, two, three, four = notice.all_tasks()
    assert (one.title, one.requirement) == ("", "根据决策事项的推进情况依法公开。")
    assert (one.lead_units, one.cooperating_units, one.deadline) == (["区政府办"], ["司法局"], None)
    assert (two.title, two.deadline) == ("", datetime.date(2022, 10, 31))
    assert (two.lead_units, two.cooperating_units) == (["司法局"], ["各街道办", "区直各部门"])
    assert (three.number, three.deadline_text, three.deadline) == (3, "2022年9月30日", datetime.date(2022, 9, 30))
    assert three.responsible_units == ["工信局", "财政局"]
    [warning] = result.warnings
    assert (warning.kind, warning.row, warning.message) == ("no_units", 11, "第11行：第4项任务没有填写牵头单位或责任单位")
    assert [(s.kind, s.row) for s in result.skipped_rows] == [
        ("skipped_title", 1), ("skipped_title", 2), ("skipped_blank", 7), ("skipped_header_repeat", 8),
        ("skipped_note", 12)]


def test_section_merged_down_the_first_column_with_subsections_in_the_second():
    rows = [
        ["工作任务", "工作任务", "工作要求", "牵头单位", "责任单位"],
        ["一、加强公开解读回应", "（一）推进政务公开", "1.政府工作要做到公开透明。", "", "各街道办事处，区直有关单位"],
        [None, None, "2.推进政策执行阳光透明。", "区委编办\n（区审改办）", "区直有关单位"],
        [None, "（二）加大主动公开力度", "3.深入推进预决算公开。", "区财政局", "各街道办事处"],
    ]
    notice = parse_upload("a.xlsx", build(rows, ["A1:B1", "A2:A4", "B2:B3"])).notice
    [section] = notice.sections
    assert (section.number, section.title) == ("一", "加强公开解读回应")
    assert [(s.number, s.title, [t.number for t in s.tasks]) for s in section.subsections] == [
        ("一", "推进政务公开", [1, 2]), ("二", "加大主动公开力度", [3])]
    one, two, three = notice.all_tasks()
    assert (one.requirement, one.lead_units, one.responsible_units) == (
        "政府工作要做到公开透明。", [], ["各街道办事处", "区直有关单位"])
    assert two.lead_units == ["区委编办（区审改办）"]
    assert three.lead_units == ["区财政局"]


def test_shuffled_columns_on_the_second_sheet_without_deadline():
    rows = [["牵头单位", "责任单位", "主要工作任务", "具体要求"],
            ["区数字办", "区直各有关部门，十街镇", "（1）规范网民留言办理", "及时答复。"],
            ["", "区直各有关部门", "（2）推进网站集约化", "强化新媒体矩阵建设。"]]
    data = build(None, sheets=[("说明", [["本工作簿由区政府办编制"]], []), ("表", rows, [])])
    notice = parse_upload("b.xlsx", data, year=2022).notice
    first, second = notice.all_tasks()
    assert (first.number, first.title, first.requirement) == (1, "规范网民留言办理", "及时答复。")
    assert (first.lead_units, first.responsible_units) == (["区数字办"], ["区直各有关部门", "十街镇"])
    assert (second.number, second.lead_units, second.deadline_text) == (2, [], "")
    assert notice.year == 2022 and notice.sections[0].number == ""


def test_duplicate_numbers_are_renumbered_with_a_warning():
    rows = [["序号", "工作要求", "责任单位"], [1, "甲。", "区政府办"], [1, "乙。", "区政府办"]]
    result = parse_upload("c.xlsx", build(rows))
    assert [t.number for t in result.notice.all_tasks()] == [1, 2]
    assert [(w.kind, w.row) for w in result.warnings] == [("number_duplicate", 3)]


@pytest.mark.parametrize("rows, message", [
    ([["甲", "乙"], ["丙", "丁"]], "未找到表头：工作表中应有“工作任务”“工作要求”“责任单位”等列名"),
    ([["工作任务", "工作要求", "责任单位"], [None, None, None], ["备注：无", None, None]],
     "表格中没有识别到任何工作任务，请检查表格内容"),
])
def test_workbooks_that_cannot_be_imported(rows, message):
    with pytest.raises(ImportFailure) as exc:
        parse_upload("d.xlsx", build(rows))
    assert exc.value.message == message
