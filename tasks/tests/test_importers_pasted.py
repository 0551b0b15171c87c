"""Tables pasted as text: ragged tabs from Word or the web, " | " pipe rows, one cell per line."""
import datetime

from tasks.importers import parse_text
from tasks.importers.metadata import parse_date


def summary(result):
    return [(t.number, t.title, t.requirement, t.lead_units, t.responsible_units, t.cooperating_units,
             t.deadline_text) for t in result.notice.all_tasks()]


def test_pipe_rows_whose_merged_cells_are_missing_on_the_left():
    text = ("工作任务 | 具体要求 | 责任部门 |\n"
            "一、做好财政信息公开。 | 1.积极推进预算、决算公开。 | 财务科 |\n"
            "二、做好网站专栏公开。 | 2.及时更新网站概况信息。 | 办公室 |\n"
            "3.及时反馈网民意见。 | 各科室 | |\n"
            "4.及时更新微信公众号信息。 | 办公室牵头,各科室配合 | |\n")
    result = parse_text(text, year=2023)
    assert [(s.number, s.title, [t.number for t in s.tasks]) for s in result.notice.sections] == [
        ("一", "做好财政信息公开。", [1]), ("二", "做好网站专栏公开。", [2, 3, 4])]
    assert summary(result)[3] == (4, "", "及时更新微信公众号信息。", ["办公室"], [], ["各科室"], "")
    assert result.source_kind == "text-rows"


def test_cells_one_per_line_between_bar_lines_with_a_number_column_the_header_lacks():
    cells = ["工作任务", "具体要求", "责任科室", "时限要求",
             "规范性文件公开", "1", "对行政规范性文件进行全面清理。", "办公室", "年底前",
             "主动公开基础工作", "2", "严格规范政府信息公开专栏。", "各科室", "持续推进",
             "3", "规范做好年度报告编制发布工作。", "办公室", "持续推进",
             "依申请公开", "4", "依法办理政府信息公开申请。", "各科室", "持续推进"]
    result = parse_text("\n|\n".join(cells) + "\n|\n", year=2023)
    assert summary(result) == [
        (1, "规范性文件公开", "对行政规范性文件进行全面清理。", [], ["办公室"], [], "年底前"),
        (2, "主动公开基础工作", "严格规范政府信息公开专栏。", [], ["各科室"], [], "持续推进"),
        (3, "主动公开基础工作", "规范做好年度报告编制发布工作。", [], ["办公室"], [], "持续推进"),
        (4, "依申请公开", "依法办理政府信息公开申请。", [], ["各科室"], [], "持续推进")]
    assert [(c.header, c.label) for c in result.columns] == [
        ("工作任务", "工作任务"), ("", "序号"), ("具体要求", "工作要求"), ("责任科室", "责任单位"), ("时限要求", "时限")]


def test_libreoffice_text_export_one_cell_per_line_with_a_dash_for_none():
    text = ("任务分解表\n工作任务\n牵头单位\n责任单位\n"
            "一、深化政务公开\n(一)做好规划公开。\n1.公开国民经济和社会发展规划纲要。\n改革发展局\n——\n"
            "2.公开重点专项规划。\n改革发展局、规划和自然资源局\n建设局、公共服务局\n")
    result = parse_text(text, year=2021)
    [section] = result.notice.sections
    assert (section.number, section.subsections[0].title) == ("一", "做好规划公开。")
    assert summary(result) == [
        (1, "", "公开国民经济和社会发展规划纲要。", ["改革发展局"], [], [], ""),
        (2, "", "公开重点专项规划。", ["改革发展局", "规划和自然资源局"], ["建设局", "公共服务局"], [], "")]


def test_ragged_tab_rows_from_a_web_page():
    text = ("序号\t工作任务\t工作要求\t责任单位\t时限\n"
            "1\t政策解读\t做好重要政策解读。\t区发改局\t6月底前\n"
            "2\t做好政策咨询服务。\t区政府办\t持续推进\n")
    result = parse_text(text, year=2024)
    two = result.notice.all_tasks()[1]
    assert (two.number, two.requirement, two.responsible_units, two.deadline_text) == (
        2, "做好政策咨询服务。", ["区政府办"], "持续推进")


def test_traditional_pasted_table_is_read_in_simplified():
    text = "序號\t工作任務\t責任單位\t完成時限\n1\t做好政務公開。\t區發改局\t10月底前\n"
    [task] = parse_text(text, year=2024).notice.all_tasks()
    assert (task.requirement, task.responsible_units, task.deadline) == (
        "做好政务公开。", ["区发改局"], datetime.date(2024, 10, 31))


def test_metadata_in_the_shapes_notices_write_it():
    head = ("• 发文字号：长府办〔2024〕12号\n• 发布日期：2024-04-28\n2024年长宁区政务公开工作要点\n"
            "序号\t工作要求\t责任单位\n1\t做好政务公开。\t区府办\n")
    notice = parse_text(head).notice
    assert (notice.doc_number, notice.issue_date, notice.year, notice.title) == (
        "长府办〔2024〕12号", datetime.date(2024, 4, 28), 2024, "2024年长宁区政务公开工作要点")
    signed = ("榕政办[2021]第53号\n福州市人民政府办公厅关于印发\n2021年政务公开工作要点的通知\n各县（市）区人民政府：\n"
              "福州市人民政府办公厅\n二〇二一年六月四日\n序号\t工作要求\t责任单位\n1\t做好政务公开。\t市政府办公厅\n")
    notice = parse_text(signed).notice
    assert (notice.doc_number, notice.issuer, notice.issue_date) == (
        "榕政办〔2021〕53号", "福州市人民政府办公厅", datetime.date(2021, 6, 4))
    assert notice.title == "福州市人民政府办公厅关于印发2021年政务公开工作要点的通知"
    untitled = parse_text("2022年XX区政务公开工作要点\n序号\t工作要求\t责任单位\n1\t做好公开。\t区府办\n").notice
    assert (untitled.year, untitled.doc_number, untitled.title) == (2022, None, "2022年XX区政务公开工作要点")


def test_dates_in_every_style():
    for text in ("2024年3月5日", "2024-03-05", "2024/3/5", "二〇二四年三月五日", "发布时间：2024-03-05"):
        assert parse_date(text) == datetime.date(2024, 3, 5), text
    assert parse_date("二〇二二年十二月三十一日") == datetime.date(2022, 12, 31)


def test_labels_on_their_own_line_as_web_pages_copy_them():
    text = ("发文字号\n\n冠政办发〔2021〕9号\n\n成文日期\n\n2021-06-28\n\n2021年冠县政务公开工作要点\n"
            "序号\t工作要求\t责任单位\n1\t做好政务公开。\t县政府办公室\n")
    notice = parse_text(text).notice
    assert (notice.doc_number, notice.issue_date, notice.year) == ("冠政办发〔2021〕9号", datetime.date(2021, 6, 28), 2021)


def test_pdf_text_with_synonym_headers_and_title_beside_the_requirement():
    text = ("青政办〔2023〕12 号\n\n序号 重点任务 具体工作要求 牵头部门 完成期限\n\n一、加强公开平台建设\n\n"
            "1 规范网民留言办理。 做好网民留言办理工作。 县数据局 持续推进\n\n"
            "2 推进政府网站集约化。 强化政务新媒体矩阵建设。 县数据局 10月底前\n")
    result = parse_text(text)
    assert summary(result) == [
        (1, "规范网民留言办理。", "做好网民留言办理工作。", ["县数据局"], [], [], "持续推进"),
        (2, "推进政府网站集约化。", "强化政务新媒体矩阵建设。", ["县数据局"], [], [], "10月底前")]
