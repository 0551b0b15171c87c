"""parse_text on the five real notices in ../shared/seeds, and on small pasted texts."""
import datetime
from pathlib import Path

import pytest

from tasks.breakdown import ParsedNotice
from tasks.importers import ImportFailure, parse_text

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def seed(name: str):
    return parse_text((SEEDS / name).read_text(encoding="utf-8"))


def tasks_by_number(notice):
    return {t.number: t for t in notice.all_tasks()}


def test_gulou2022_table_with_sections_in_the_first_column():
    result = seed("gulou2022_taskbreakdown.txt")
    notice = result.notice
    assert (notice.doc_number, notice.year, notice.issuer, notice.issue_date) == (
        "鼓政办〔2022〕46号", 2022, "福州市鼓楼区人民政府办公室", datetime.date(2022, 7, 8))
    assert notice.title == "福州市鼓楼区人民政府办公室关于印发2022年全区政务公开工作主要任务分解表的通知"
    assert result.cited_documents == ["国办发〔2022〕8号", "闽政办函〔2022〕28号", "榕政办〔2022〕73号"]
    assert len(notice.sections) == 14
    assert [t.number for t in notice.all_tasks()] == list(range(1, 32))
    assert [s.number for s in notice.sections][-3:] == ["十二", "十三", "十四"]
    assert notice.sections[2].title == "加强涉及扩大有效投资的信息公开"
    assert [len(s.tasks) for s in notice.sections] == [4, 1, 3, 3, 3, 1, 2, 1, 1, 2, 1, 2, 2, 5]
    items = tasks_by_number(notice)
    three = items[3]
    assert three.to_json() == {
        "number": 3, "title": "",
        "requirement": "建立市场主体反映投资和工程建设项目审批问题的办理和反馈机制，及时回应和解决“堵点”问题，推动优化投资和建设环境。",
        "lead_units": ["区发改局", "区建设局"], "responsible_units": ["区直各有关部门", "十街镇"],
        "cooperating_units": [], "deadline_text": "", "deadline": None}
    assert items[1].lead_units == [] and items[1].responsible_units == ["区直各有关部门"]
    assert (items[11].lead_units, items[11].responsible_units) == (
        ["鼓楼公安分局", "区卫健局"], ["区数字办", "区疾控中心", "十街镇"])
    assert (items[14].requirement, items[14].lead_units) == ("动态公开技能培训政策规定及经办流程。", ["区人社局"])
    assert items[19].lead_units == ["区行政服务中心", "区“智慧鼓楼”服务中心"]
    assert items[26].requirement.startswith("务实推进政务公开专区建设")
    assert "2022年底前，完成行政服务中心政务公开专区建设" in items[26].requirement
    assert (items[31].requirement, items[31].responsible_units) == (
        "对上一年度工作要点落实情况开展“回头看”，未完成的要督促整改。", ["区直有关单位", "十街镇"])
    assert result.warnings == []
    assert [i.kind for i in result.skipped_rows].count("skipped_header_repeat") == 5


def test_fuzhou2021_titles_subsections_and_notes():
    result = seed("fuzhou2021_taskbreakdown.txt")
    notice = result.notice
    assert (notice.doc_number, notice.year, notice.issue_date) == ("榕政办〔2021〕53号", 2021, datetime.date(2021, 6, 4))
    assert len(notice.all_tasks()) == 37
    assert [(s.number, len(s.subsections)) for s in notice.sections] == [("一", 4), ("二", 3), ("三", 3), ("四", 3)]
    assert all(s.tasks == [] for s in notice.sections)
    assert notice.sections[0].title == "紧扣“十四五”开好局起好步深化政务公开"
    assert notice.sections[0].subsections[0].title == "做好各类规划主动公开"
    items = tasks_by_number(notice)
    one = items[1]
    assert one.title == "主动公开“十四五”规划纲要、国土空间规划、专项规划和区域规划等。"
    assert one.requirement == "通过市、县（市）区政府门户网站设立专题，并在政府信息公开专栏集中展示。"
    assert one.responsible_units == ["市直各有关单位", "各县（市）区政府", "高新区管委会"]
    assert items[3].lead_units == ["市大数据委（负责专题建设）"]
    assert items[21].title == "密切关注、及时回应重点舆情"
    assert items[21].requirement.startswith("重点关注涉及疫情防控") and items[21].lead_units == ["市委网信办"]
    assert (items[23].lead_units, items[23].responsible_units) == (["市司法局（负责市政府规章）"], [])
    assert items[27].lead_units == ["市政府办公厅", "市大数据委（负责市直部门信息公开专栏改版）"]
    assert items[31].lead_units == ["市行政（市民）服务中心管委会（负责市级线下专区建设）"]
    assert items[31].responsible_units == ["各县（市）区政府"]
    assert items[34].requirement.endswith("严格依照规定的标准、程序、方式计收信息处理费。")
    assert items[5].title == "及时公开建设高标准市场体系行动方案的落实举措。" and items[5].requirement == ""
    assert [w.kind for w in result.warnings] == []


def test_licheng2018_units_before_the_requirement():
    notice = seed("licheng2018_taskbreakdown.txt").notice
    assert (notice.doc_number, notice.year, notice.issue_date) == ("泉鲤政办〔2018〕77号", 2018, datetime.date(2018, 6, 27))
    assert len(notice.all_tasks()) == 38 and len(notice.sections) == 4
    subsections = [sub.number for s in notice.sections for sub in s.subsections]
    assert subsections == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四"]
    items = tasks_by_number(notice)
    assert items[1].title == "政府工作要做到公开透明"
    assert items[1].responsible_units == ["高新区管委会", "各街道办事处", "区政府各部门", "各驻鲤市属单位"]
    assert items[1].requirement.startswith("坚持以公开为常态") and items[1].requirement.endswith("政策落地见效。")
    assert items[4].title == "推动人大代表建议和政协委员提案办理结果公开" and items[4].lead_units == []
    assert items[5].lead_units == ["鲤城工商分局", "区委编办（区审改办）"]
    assert items[15].lead_units == ["区委宣传部", "鲤城公安分局"]
    assert items[16].responsible_units[-1] == "鲤城公安分局"
    assert items[21].lead_units == ["区政府网管中心"] and "在2个工作日内对转办的投诉问题" in items[21].requirement
    assert (items[29].lead_units, items[29].responsible_units) == (["区数字办"], ["区政府各部门", "各驻鲤市属单位"])
    assert items[33].title == "贯彻落实新修订的《中华人民共和国政府信息公开条例》"
    assert items[36].responsible_units[2] == "区直各有关部门"
    assert items[38].requirement.startswith("区直各有关部门要履行行业监管职责")
    assert items[38].responsible_units == ["区直各有关部门"]


def test_huli2022_tab_separated_rows_from_a_web_page():
    result = seed("huli2022_taskbreakdown.txt")
    notice = result.notice
    assert (notice.doc_number, notice.issue_date) == ("厦湖府办函〔2022〕80号", datetime.date(2022, 7, 28))
    assert [t.number for t in notice.all_tasks()] == list(range(1, 29))
    assert [(s.number, len(s.tasks)) for s in notice.sections] == [("一", 12), ("三", 9), ("六", 1), ("七", 4), ("八", 2)]
    assert notice.sections[3].title == "持续加强公开平台建设"
    items = tasks_by_number(notice)
    assert (items[1].lead_units, items[1].cooperating_units, items[1].deadline) == (["区政府办"], ["司法局"], None)
    assert items[1].deadline_text == "持续推进"
    assert (items[2].lead_units, items[2].cooperating_units) == (["司法局"], ["各街道办", "区直各部门"])
    assert items[2].deadline == datetime.date(2022, 10, 31)
    assert items[6].lead_units == ["工信局", "审批局"]
    assert items[7].requirement.startswith("严格执行疫情防控信息发布各项制度") and items[7].responsible_units == ["防控办"]
    assert "措施特别是大规模增值税" in items[12].requirement
    assert items[16].title.startswith("重点提升食品药品监管") and items[16].deadline == datetime.date(2022, 9, 30)
    assert items[18].deadline == datetime.date(2022, 12, 31)
    assert items[23].requirement.startswith("进一步提升政府网站集约化建设水平")
    assert items[24].requirement.startswith("规范高效办理“我为政府网站找错”平台网民留言。")
    assert items[24].responsible_units == ["各街道办", "区直各部门"]
    assert items[26].requirement.endswith("积极推进政府公报通过省政府微信公众号拓展传播。")
    assert "<p>" not in items[27].requirement
    assert [w.kind for w in result.warnings] == ["section_gap", "section_gap"]
    assert result.warnings[0].row == 40 and "三、" in result.warnings[0].message


def test_gulou2020_prose_key_points():
    result = seed("gulou2020_keypoints.txt")
    notice = result.notice
    assert (notice.doc_number, notice.issue_date) == ("鼓政办〔2020〕65号", datetime.date(2020, 10, 29))
    assert notice.title == "福州市鼓楼区人民政府办公室关于印发鼓楼区2020年政务公开工作要点的通知"
    assert [len(s.tasks) for s in notice.sections] == [3, 2, 3, 3, 4, 3]
    assert [t.number for t in notice.all_tasks()] == list(range(1, 19))
    items = tasks_by_number(notice)
    assert items[1].title == "以权责清单为依托，加强权力配置信息公开。"
    assert items[1].responsible_units == ["区直各有关单位", "各街镇"]
    assert items[2].requirement.endswith("确保权力运行到哪里，公开和监督就延伸到哪里。")
    assert "于2020年10月底前编制完成" in items[2].requirement
    assert items[2].responsible_units == ["区政府办", "数字办", "区直各有关单位", "各街镇"]
    assert items[12].title == "落实政府信息公开主动公开新要求。"
    assert items[14].responsible_units == ["区政府办", "区数字办", "区委宣传部", "区直各有关单位", "各街镇"]
    assert items[18].responsible_units == [] and items[18].title == "规范考核评估。"
    assert [(w.kind, w.row) for w in result.warnings] == [("no_units", 71), ("no_units", 73), ("no_units", 75)]


def test_json_round_trip_of_a_seed():
    notice = seed("fuzhou2021_taskbreakdown.txt").notice
    assert ParsedNotice.from_json(notice.to_json()).to_json() == notice.to_json()


def test_pasted_tabs_with_deadline_before_units_and_the_year_argument():
    text = ("序号\t工作任务\t完成时限\t责任单位\n"
            "一、公开平台\t\t\t\n"
            "1\t办好政府公报\t9月底前\t区政府办\n"
            "\t\t\t\n"
            "2\t规范网民留言办理\t常态化\t\n"
            "备注：本表由区政府办负责解释\t\t\t\n")
    result = parse_text(text, year=2023)
    one, two = result.notice.all_tasks()
    assert (one.number, one.requirement, one.deadline, one.responsible_units) == (
        1, "办好政府公报", datetime.date(2023, 9, 30), ["区政府办"])
    assert (two.deadline, two.responsible_units) == (None, [])
    assert [w.kind for w in result.warnings] == ["no_units"]
    assert [s.kind for s in result.skipped_rows] == ["skipped_blank", "skipped_note"]


@pytest.mark.parametrize("text, message", [
    ("", "没有可导入的内容：文本为空"),
    ("   \n\n", "没有可导入的内容：文本为空"),
    ("这只是一段普通的文字。\n没有表格。", "未识别到任务分解表"),
    ("工作任务\t工作要求\t责任单位\n\t\t\n", "表格中没有识别到任何工作任务"),
])
def test_text_failures(text, message):
    with pytest.raises(ImportFailure) as exc:
        parse_text(text)
    assert message in exc.value.message


def test_pdf_text_with_a_number_column_and_a_deadline_before_the_units():
    text = ("鼓政办〔2023〕12 号\n\n附件\n\n序号 工作任务 工作要求 完成时限 责任单位\n\n一、加强公开平台建设\n\n"
            "1 规范网民留言办理。 持续推进 区数字办\n\n2 推进政府网站集约化，强化\n\n政务新媒体矩阵建设。\n\n"
            "10月底前\n\n区数字办、区疾\n\n控中心\n\n二、强化指导监督\n\n3 做好年度报告。 年底前 区政府办牵头，各街镇配合\n")
    result = parse_text(text)
    assert result.source_kind == "text-pdf" and result.notice.year == 2023
    one, two, three = result.notice.all_tasks()
    assert (one.number, one.requirement, one.deadline_text, one.responsible_units) == (
        1, "规范网民留言办理。", "持续推进", ["区数字办"])
    assert (two.requirement, two.deadline, two.responsible_units) == (
        "推进政府网站集约化，强化政务新媒体矩阵建设。", datetime.date(2023, 10, 31), ["区数字办", "区疾控中心"])
    assert (three.lead_units, three.cooperating_units, three.deadline) == (
        ["区政府办"], ["各街镇"], datetime.date(2023, 12, 31))
    assert [s.title for s in result.notice.sections] == ["加强公开平台建设", "强化指导监督"]
