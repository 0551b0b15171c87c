"""parse_upload on .docx files built in memory with python-docx."""
import datetime
import io

import pytest
from docx import Document

from tasks.importers import ImportFailure, parse_upload

HEAD = ["鼓政办〔2022〕46号", "福州市鼓楼区人民政府办公室关于印发", "2022年全区政务公开工作主要任务分解表的通知",
        "各街道办事处、区直各相关部门：", "请结合以下工作要求，迅速抓好贯彻落实（国办发〔2022〕8号）。",
        "福州市鼓楼区人民政府办公室", "2022 年 7 月 8 日"]


def build(rows, *, head=HEAD, tables=None):
    """A document with ``head`` paragraphs and one table per entry of ``tables`` (or just ``rows``)."""
    document = Document()
    for line in head:
        document.add_paragraph(line)
    for table_rows in tables if tables is not None else [rows]:
        width = max(len(r) for r in table_rows)
        table = document.add_table(rows=len(table_rows), cols=width)
        for r, values in enumerate(table_rows):
            for c, value in enumerate(values):
                if value is not None:
                    table.cell(r, c).text = value
        apply_merges(table, table_rows)
        document.add_page_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def apply_merges(table, table_rows):
    """``None`` in a row means: merged with the cell above (first column) or to the left."""
    for r, values in enumerate(table_rows):
        for c, value in enumerate(values):
            if value is None and c == 0:
                top = r
                while table_rows[top][0] is None:
                    top -= 1
                text = table_rows[top][0]
                table.cell(top, 0).merge(table.cell(r, 0)).text = text
            elif value is None:
                start = max(i for i in range(c) if values[i] is not None)
                table.cell(r, start).merge(table.cell(r, c)).text = values[start]


def test_sections_merged_down_the_first_column_and_headings_across():
    rows = [
        ["2022年鼓楼区政务公开工作主要任务分解表", None, None, None, None],
        ["工作任务", "工作要求", "牵头单位", "责任单位", "时限"],
        ["一、加强涉及市场主体的信息公开", "1.增强政策制定实施的透明度。", "", "区直各有关部门", "10月底前"],
        [None, "2.加大帮扶政策的公开力度。", "区发改局\n区建设局", "区直各有关部门，\n十街镇", "年底前"],
        [None, "3.建立反馈机制。", "", "区政府办牵头、司法局配合", "持续推进"],
        ["", "", "", "", ""],
        ["二、加强涉及减税降费的信息公开", None, None, None, None],
        ["", "4.系统集成、智能推送减税降费政策。", "鼓楼税务局", "", "随便写写"],
        ["备注：本表由区政府办负责解释。", None, None, None, None],
    ]
    result = parse_upload("分解表.docx", build(rows))
    notice = result.notice
    assert (notice.doc_number, notice.year, notice.issuer, notice.issue_date) == (
        "鼓政办〔2022〕46号", 2022, "福州市鼓楼区人民政府办公室", datetime.date(2022, 7, 8))
    assert notice.title == "福州市鼓楼区人民政府办公室关于印发2022年全区政务公开工作主要任务分解表的通知"
    assert result.cited_documents == ["国办发〔2022〕8号"]
    assert [(s.number, s.title, [t.number for t in s.tasks]) for s in notice.sections] == [
        ("一", "加强涉及市场主体的信息公开", [1, 2, 3]), ("二", "加强涉及减税降费的信息公开", [4])]
    one, two, three, four = notice.all_tasks()
    assert (one.requirement, one.responsible_units, one.deadline) == (
        "增强政策制定实施的透明度。", ["区直各有关部门"], datetime.date(2022, 10, 31))
    assert (two.lead_units, two.responsible_units) == (["区发改局", "区建设局"], ["区直各有关部门", "十街镇"])
    assert (three.lead_units, three.cooperating_units, three.deadline_text) == (["区政府办"], ["司法局"], "持续推进")
    assert (four.lead_units, four.deadline) == (["鼓楼税务局"], None)
    [warning] = result.warnings
    assert (warning.kind, warning.row, warning.column) == ("deadline_unparsed", 8, 5)
    assert warning.message == "第8行第5列（时限）：第4项任务的时限“随便写写”无法识别，请手工填写完成日期"
    kinds = [(s.kind, s.row) for s in result.skipped_rows]
    assert kinds == [("skipped_title", 1), ("skipped_blank", 6), ("skipped_note", 9)]


def test_several_tables_with_repeated_headers_and_titled_items():
    header = ["工作任务", "工作要求", "牵头单位", "责任单位"]
    page1 = [header,
             ["一、紧扣“十四五”开好局起好步深化政务公开", None, None, None],
             ["（一）做好各类规划主动公开", None, None, None],
             ["1.主动公开“十四五”规划纲要。", "通过政府门户网站设立专题。", "", "市直各有关单位，各县（市）\n区政府"],
             ["2.归集整理历史规划。", "集中发布。", "市大数据委\n（负责专题建设）", "各县（市）区政府、高新区管委会"]]
    page2 = [header,
             ["（二）做好财政信息公开", None, None, None],
             ["3.稳步扩大预决算公开范围。", "推进部门所属单位预算公开。", "市财政局", "市直各有关单位"]]
    result = parse_upload("a.docx", build(None, tables=[page1, page2]))
    [section] = result.notice.sections
    assert section.tasks == [] and [s.title for s in section.subsections] == ["做好各类规划主动公开", "做好财政信息公开"]
    one, two, three = result.notice.all_tasks()
    assert (one.number, one.title, one.requirement) == (1, "主动公开“十四五”规划纲要。", "通过政府门户网站设立专题。")
    assert one.responsible_units == ["市直各有关单位", "各县（市）区政府"]
    assert two.lead_units == ["市大数据委（负责专题建设）"]
    assert (three.number, three.lead_units) == (3, ["市财政局"])
    [repeat] = result.skipped_rows
    assert (repeat.kind, repeat.message) == ("skipped_header_repeat", "第2个表格第1行：重复的表头行，已跳过")


def test_shuffled_columns_without_deadline_or_lead_column():
    rows = [["责任单位", "序号", "工作要求", "工作任务"],
            ["区司法局", "1", "集中公开规范性文件。", "一、规范性文件"],
            ["各街道办、区直各部门", "2", "动态更新。", ""]]
    notice = parse_upload("x.docx", build(rows)).notice
    assert [(s.number, s.title) for s in notice.sections] == [("一", "规范性文件")]
    one, two = notice.all_tasks()
    assert (one.number, one.requirement, one.responsible_units, one.deadline_text) == (1, "集中公开规范性文件。", ["区司法局"], "")
    assert two.responsible_units == ["各街道办", "区直各部门"]


def test_unnumbered_heading_merged_down_is_a_section():
    rows = [["工作任务", "工作要求", "责任单位", "完成时限"],
            ["加强政策解读", "做好解读。", "区政府办", "上半年"],
            [None, "回应关切。", "区数字办", "三季度末"]]
    notice = parse_upload("x.docx", build(rows, head=[])).notice
    assert [(s.number, s.title) for s in notice.sections] == [("一", "加强政策解读")]
    assert [(t.number, t.deadline) for t in notice.all_tasks()] == [(1, None), (2, None)]
    assert notice.year is None and notice.doc_number is None


def test_the_year_argument_anchors_deadlines_without_a_doc_number():
    rows = [["工作任务", "工作要求", "责任单位", "完成时限"], ["", "1.做好解读。", "区政府办", "上半年"]]
    [task] = parse_upload("x.docx", build(rows, head=[]), year=2024).notice.all_tasks()
    assert task.deadline == datetime.date(2024, 6, 30)


def test_a_docx_of_prose_key_points():
    lines = ["鼓政办〔2020〕65号", "一、围绕优化营商环境加强政务信息公开",
             "（一）提高政务服务透明度便利度。全面优化办事流程。（责任单位：区行政服务中心管委会）",
             "（二）提高经济政策发布解读针对性精准性。提升经济政策发布质量。（责任单位：区直各有关单位）"]
    result = parse_upload("要点.docx", build(None, head=lines, tables=[]))
    assert result.source_kind == "docx"
    assert [(t.number, t.title, t.responsible_units) for t in result.notice.all_tasks()] == [
        (1, "提高政务服务透明度便利度。", ["区行政服务中心管委会"]),
        (2, "提高经济政策发布解读针对性精准性。", ["区直各有关单位"])]


@pytest.mark.parametrize("head, tables, message", [
    (["只有一段文字。"], [], "文档中没有找到表格"),
    ([], [[["甲", "乙"], ["丙", "丁"]]], "未找到表头"),
    ([], [[["工作任务", "工作要求", "责任单位"], ["", "", ""]]], "表格中没有识别到任何工作任务"),
])
def test_documents_that_cannot_be_imported(head, tables, message):
    with pytest.raises(ImportFailure) as exc:
        parse_upload("x.docx", build(None, head=head, tables=tables))
    assert message in exc.value.message


def test_a_two_level_header_splits_units_into_lead_and_cooperating():
    rows = [["序号", "工作任务", "工作要求", "责任单位", None, "完成时限"],
            [None, None, None, "牵头单位", "配合单位", None],
            ["1", "一、持续推进行政决策公开", "制定重大行政决策事项目录。", "区政府办", "司法局", "10月底前"]]
    document = Document()
    table = document.add_table(rows=3, cols=6)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    for c in (0, 1, 2, 5):
        table.cell(0, c).merge(table.cell(1, c)).text = rows[0][c]
    table.cell(0, 3).merge(table.cell(0, 4)).text = "责任单位"
    buffer = io.BytesIO()
    document.save(buffer)
    result = parse_upload("x.docx", buffer.getvalue(), year=2022)
    [task] = result.notice.all_tasks()
    assert (task.number, task.lead_units, task.cooperating_units, task.responsible_units) == (
        1, ["区政府办"], ["司法局"], [])
    assert (task.deadline, result.notice.sections[0].title) == (datetime.date(2022, 10, 31), "持续推进行政决策公开")
    assert [s.kind for s in result.skipped_rows] == ["skipped_header_repeat"]
