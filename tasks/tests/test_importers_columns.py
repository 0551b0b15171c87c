"""Tables as offices in other provinces write them: other header words, no header, columns in
another order, cover tables, merged unit cells, rows split over a page break; and the mapping API."""
import datetime
import io

import pytest
from docx import Document
from openpyxl import Workbook

from tasks.importers import ImportFailure, parse_text, parse_upload
from tasks.importers.columns import header_role, parse_mapping

HEAD = ["青政办〔2024〕7号", "2024年青田县政务公开工作要点", "青田县人民政府办公室", "二〇二四年三月五日"]


def docx(tables, *, head=HEAD, merges=()):
    """A document with ``head`` paragraphs, then each table; ``merges`` are (table, (r1, c1), (r2, c2))."""
    document = Document()
    for line in head:
        document.add_paragraph(line)
    made = []
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if value:
                    table.cell(r, c).text = value
        made.append(table)
    for index, start, end in merges:
        made[index].cell(*start).merge(made[index].cell(*end))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx(sheets):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows, merges in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cell_range in merges:
            sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("word, role", [
    ("具体工作要求", "requirement"), ("工作任务及要求", "requirement"), ("具体内容", "requirement"),
    ("目标和要求", "requirement"), ("主要内容", "requirement"), ("责任科室", "responsible"), ("领域", "task"),
    ("完成期限", "deadline"), ("责任部门", "responsible"), ("配合部门", "cooperating"), ("牵头部门", "lead"),
    ("序  号", "number"), ("时限要求", "deadline"), ("责任单位（部门）", "responsible"), ("协同单位", "cooperating"),
    ("公开载体", "ignore"), ("落实情况", "ignore"), ("工作任务", "task"), ("推进措施", "requirement"),
])
def test_header_synonyms(word, role):
    assert header_role(word) == role


def test_synonym_headers_with_the_deadline_before_the_units_and_a_cover_table():
    cover = [["签发人", "张三"], ["印发日期", "2024年3月5日"]]
    table = [["序号", "领域", "具体工作要求", "完成期限", "牵头部门", "配合部门"],
             ["1", "政策解读", "做好重要政策解读，加强政策咨询服务。", "6月底前", "县发改局", "各乡镇"],
             ["2", "", "规范政府网站信息发布。", "每季度", "县政府办", "——"]]
    result = parse_upload("要点.docx", docx([cover, table]))
    one, two = result.notice.all_tasks()
    assert (one.title, one.requirement, one.lead_units, one.cooperating_units) == (
        "政策解读", "做好重要政策解读，加强政策咨询服务。", ["县发改局"], ["各乡镇"])
    assert (one.deadline_text, one.deadline) == ("6月底前", datetime.date(2024, 6, 30))
    assert (two.deadline_text, two.deadline, two.cooperating_units) == ("每季度", None, [])
    assert [c.label for c in result.columns] == ["序号", "工作任务", "工作要求", "时限", "牵头单位", "配合单位"]
    assert not any(c.guessed for c in result.columns)
    notice = result.notice
    assert (notice.doc_number, notice.issue_date, notice.title) == (
        "青政办〔2024〕7号", datetime.date(2024, 3, 5), "2024年青田县政务公开工作要点")


def test_unknown_headers_are_recognised_by_content_and_reported():
    table = [["编码", "工作事项说明", "承担", "节点"],
             ["1", "全面公开财政预决算，细化到功能分类项级科目。", "县财政局", "9月底前"],
             ["2", "做好政府信息公开工作年度报告编制发布工作，确保数据准确。", "各乡镇、县直各部门", "持续推进"],
             ["3", "加强政务新媒体管理，及时更新信息。", "县委网信办", "每月"]]
    result = parse_upload("表.docx", docx([table]))
    labels = [(c.header, c.label, c.guessed) for c in result.columns]
    assert labels == [("编码", "序号", True), ("工作事项说明", "工作要求", True), ("承担", "责任单位", True),
                      ("节点", "时限", True)]
    guessed = [w for w in result.warnings if w.kind == "column_guessed"]
    assert len(guessed) == 4 and "第1行第3列" in guessed[2].message and "责任单位" in guessed[2].message
    three = result.notice.all_tasks()[2]
    assert (three.number, three.responsible_units, three.deadline) == (3, ["县委网信办"], None)


def test_a_table_without_any_header_row_is_read_not_refused():
    table = [["一、加强政策公开", "", ""],
             ["做好规划信息公开，集中展示各类规划。", "县发改局", "年底前"],
             ["做好财政资金直达基层信息公开。", "县财政局", "10月底前"]]
    result = parse_upload("无表头.docx", docx([table], merges=[(0, (0, 0), (0, 2))]))
    [section] = result.notice.sections
    assert (section.number, section.title) == ("一", "加强政策公开")
    assert [(t.number, t.responsible_units, t.deadline) for t in section.tasks] == [
        (1, ["县发改局"], datetime.date(2024, 12, 31)), (2, ["县财政局"], datetime.date(2024, 10, 31))]


def test_an_explicit_mapping_overrides_the_guess():
    table = [["甲", "乙", "丙"],
             ["1", "做好规划信息公开，集中展示各类规划。", "县发改局"],
             ["2", "做好财政资金直达基层信息公开。", "县财政局"]]
    data = docx([table])
    result = parse_upload("表.docx", data, columns=parse_mapping("序号,工作要求,牵头单位"))
    assert [t.lead_units for t in result.notice.all_tasks()] == [["县发改局"], ["县财政局"]]
    assert [c.guessed for c in result.columns] == [False, False, False]
    by_header = parse_upload("表.docx", data, columns={"丙": "配合单位"})
    assert [t.cooperating_units for t in by_header.notice.all_tasks()] == [["县发改局"], ["县财政局"]]
    with pytest.raises(ImportFailure) as exc:
        parse_mapping("序号,工作内容X,牵头单位")
    assert "列名“工作内容X”无法识别" in exc.value.message


def test_a_unit_cell_merged_down_covers_every_item_and_a_page_break_row_is_joined():
    table = [["序号", "工作任务", "工作要求", "责任单位", "完成时限"],
             ["1", "财政信息", "全面公开财政预决算，", "县财政局", "9月底前"],
             ["", "", "细化到功能分类项级科目。", "", ""],
             ["2", "财政信息", "公开政府债务信息。", "", "年底前"],
             ["3", "规划信息", "集中公开各类规划。", "县发改局", "持续推进"]]
    result = parse_upload("表.docx", docx([table], merges=[(0, (1, 3), (3, 3))]))
    one, two, three = result.notice.all_tasks()
    assert one.requirement == "全面公开财政预决算，细化到功能分类项级科目。"
    assert (two.responsible_units, three.responsible_units) == (["县财政局"], ["县发改局"])
    joined = [w for w in result.warnings if w.kind == "continuation_joined"]
    assert len(joined) == 1 and "第3行" in joined[0].message and "第1项" in joined[0].message


def test_xlsx_table_on_the_second_sheet_with_title_rows_and_number_column_last():
    notes = ("说明", [["填表说明：本表由各单位填写"]], [])
    rows = [["沪普府办〔2025〕3号 2025年5月20日", None, None, None],
            ["2025年普陀区政务公开工作要点", None, None, None],
            ["主要内容", "责任部门", "完成时间", "序号"],
            ["严格执行公文公开属性审查。", "区府办、各部门", "全年", 1],
            ["开展政务公开专题培训。", "区府办", "二〇二五年十二月底前", 2],
            ["备注：时限为最迟完成时间", None, None, None]]
    result = parse_upload("表.xlsx", xlsx([notes, ("任务表", rows, ["A1:D1", "A2:D2", "A6:D6"])]))
    notice = result.notice
    assert (notice.doc_number, notice.year, notice.title) == ("沪普府办〔2025〕3号", 2025, "2025年普陀区政务公开工作要点")
    one, two = notice.all_tasks()
    assert (one.number, one.responsible_units, one.deadline) == (1, ["区府办", "各部门"], datetime.date(2025, 12, 31))
    assert (two.number, two.deadline) == (2, datetime.date(2025, 12, 31))
    assert "skipped_note" in [s.kind for s in result.skipped_rows]


def test_items_without_deadline_or_units_are_flagged_with_row_and_column():
    text = "序号\t工作要求\t责任单位\t时限\n1\t做好规划信息公开。\t\t\n2\t做好财政信息公开。\t县财政局\t按上级要求\n"
    result = parse_text(text, year=2024)
    [missing] = result.missing_deadlines
    assert missing.row == 2 and missing.column == 4 and "第1项任务没有时限" in missing.message
    kinds = [(w.kind, w.row) for w in result.warnings]
    assert ("no_units", 2) in kinds and ("deadline_unparsed", 3) in kinds
    assert [h.kind for h in result.hints] == ["no_units", "no_deadline", "deadline_unparsed"]


def test_metadata_in_a_cover_table_before_the_breakdown():
    cover = [["发文字号", "青政办〔2024〕7号"], ["成文日期", "2024-03-05"]]
    table = [["序号", "工作任务及要求", "责任部门"], ["1", "做好重要政策解读，加强政策咨询服务。", "县发改局"]]
    notice = parse_upload("表.docx", docx([cover, table], head=["2024年青田县政务公开工作要点"])).notice
    assert (notice.doc_number, notice.issue_date, notice.year) == ("青政办〔2024〕7号", datetime.date(2024, 3, 5), 2024)
    assert notice.title == "2024年青田县政务公开工作要点"


def test_requirement_cells_of_numbered_points_are_not_item_numbers():
    table = [["工作任务", "工作要求", "责任单位"],
             ["政策解读", "1.做好解读。\n2.加强咨询。", "县发改局"],
             ["回应关切", "1.回应舆情。\n2.及时发布。", "县委网信办"],
             ["平台建设", "1.办好网站。", "县数据局"]]
    tasks = parse_upload("表.docx", docx([table])).notice.all_tasks()
    assert [(t.number, t.title, t.requirement) for t in tasks] == [
        (1, "政策解读", "1.做好解读。\n2.加强咨询。"), (2, "回应关切", "1.回应舆情。\n2.及时发布。"), (3, "平台建设", "1.办好网站。")]
