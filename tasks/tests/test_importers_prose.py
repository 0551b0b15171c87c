"""Prose 工作要点 in the shapes offices publish: the item level is where the units attach."""
import datetime

from tasks.importers import parse_text

HEAD = "X区2022年政务公开工作要点\n"


def items(text, year=2022):
    result = parse_text(text, year=year)
    return result, [(t.number, t.title, t.requirement, t.lead_units, t.responsible_units, t.cooperating_units,
                     t.deadline_text, t.deadline) for t in result.notice.all_tasks()]


def test_labels_in_one_bracket_with_lead_responsible_and_deadline():
    text = HEAD + ("一、深化重点领域公开\n"
                   "1．做好规划公开。集中公开各类规划。（牵头单位：区发改局；责任单位：各街道；完成时限：长期坚持）\n"
                   "2．做好财政公开。公开预决算。（牵头单位：区财政局；配合单位：区审计局；完成时限：2022年10月底前）\n")
    result, found = items(text)
    assert found == [
        (1, "", "做好规划公开。集中公开各类规划。", ["区发改局"], ["各街道"], [], "长期坚持", None),
        (2, "", "做好财政公开。公开预决算。", ["区财政局"], [], ["区审计局"], "2022年10月底前", datetime.date(2022, 10, 31))]
    assert [(s.number, s.title) for s in result.notice.sections] == [("一", "深化重点领域公开")]


def test_a_bracket_after_each_sentence_group_makes_one_item_each():
    text = HEAD + ("一、加强重点工作公开\n"
                   "（一）做好重大项目公开。公开重点项目进展。〔区发改局负责落实〕及时公开征地信息。"
                   "（区自然资源局、区住建局分别负责落实）\n")
    result, found = items(text)
    [section] = result.notice.sections
    assert [(sub.number, sub.title) for sub in section.subsections] == [("一", "做好重大项目公开。")]
    assert [(n, req, resp) for n, _t, req, _l, resp, *_ in found] == [
        (1, "公开重点项目进展。", ["区发改局"]), (2, "及时公开征地信息。", ["区自然资源局", "区住建局"])]


def test_a_closing_sentence_names_the_unit_and_the_deadline():
    text = HEAD + ("一、规范依申请公开\n"
                   "1.规范办理政府信息公开申请，提升答复质量。区司法局负责落实，完成时限：2022年10月\n"
                   "2.做好年度报告。区政府办负责落实\n")
    _result, found = items(text)
    assert found[0][2:] == ("规范办理政府信息公开申请，提升答复质量。", [], ["区司法局"], [], "2022年10月",
                            datetime.date(2022, 10, 31))
    assert found[1][2:5] == ("做好年度报告。", [], ["区政府办"])


def test_label_lines_after_each_item():
    text = HEAD + ("一、加强平台建设\n"
                   "（一）加强政府网站建设。优化栏目设置。\n牵头单位：区大数据中心\n责任单位：区直各部门\n完成时限：每季度\n"
                   "（二）加强政务新媒体管理。\n责任单位：区委网信办\n")
    _result, found = items(text)
    assert found == [
        (1, "加强政府网站建设。", "优化栏目设置。", ["区大数据中心"], ["区直各部门"], [], "每季度", None),
        (2, "", "加强政务新媒体管理。", [], ["区委网信办"], [], "", None)]


def test_three_levels_with_items_at_the_numbered_level_and_sections_without_units_skipped():
    text = HEAD + ("一、总体要求\n（一）指导思想\n坚持以人民为中心。\n"
                   "二、重点任务\n（一）做好规划公开\n1.公开国土空间规划。（责任单位：区自然资源局）\n"
                   "2.公开专项规划。（责任单位：区发改局）\n（二）做好财政公开\n3.公开预决算。（责任单位：区财政局）\n")
    result, found = items(text)
    [section] = result.notice.sections
    assert (section.number, section.title) == ("二", "重点任务")
    assert [(s.number, s.title, [t.number for t in s.tasks]) for s in section.subsections] == [
        ("一", "做好规划公开", [1, 2]), ("二", "做好财政公开", [3])]
    assert [f[4] for f in found] == [["区自然资源局"], ["区发改局"], ["区财政局"]]


def test_items_without_a_subsection_level():
    text = HEAD + "一、政策解读\n1.做好政策解读。（责任单位：各部门）\n二、回应关切\n2.及时回应舆情。（责任单位：区委网信办）\n"
    result, found = items(text)
    assert [(s.number, [t.number for t in s.tasks]) for s in result.notice.sections] == [("一", [1]), ("二", [2])]


def test_a_blanket_rule_applies_to_the_items_after_it_with_a_hint():
    text = HEAD + ("一、基层政务公开\n以下事项均需各乡镇落实。\n1.公开村务信息。（牵头单位：区民政局）\n"
                   "2.公开惠农资金。（牵头单位：区农业农村局）\n二、其他\n3.做好培训。（责任单位：区政府办）\n")
    result, found = items(text)
    assert [(f[3], f[4]) for f in found] == [(["区民政局"], ["各乡镇"]), (["区农业农村局"], ["各乡镇"]),
                                            ([], ["区政府办"])]
    assert any(w.kind == "blanket_rule" and "以下事项均需各乡镇落实" in w.message for w in result.warnings)


def test_lead_units_before_the_comma_when_the_text_says_so():
    text = HEAD + ("一、稳增长\n（一）加强稳增长信息公开。及时发布相关政策。（责任单位：市发展改革委、市商务局，各区县政府。"
                   "逗号前为牵头单位，下同）\n（二）加强就业信息公开。公开就业政策。（责任单位：市人社局，各区县政府）\n")
    result, found = items(text)
    assert [(f[3], f[4]) for f in found] == [(["市发展改革委", "市商务局"], ["各区县政府"]),
                                            (["市人社局"], ["各区县政府"])]
    assert any(w.kind == "blanket_rule" for w in result.warnings)


def test_traditional_characters_become_simplified():
    text = ("2017年天津市政務公開重點工作安排\n一、以政務公開助力穩增長\n"
            "1.圍繞財政、金融政策，深入解讀政策背景。（市財政局、市發展改革委負責）\n")
    result, found = items(text, year=None)
    assert found[0][2] == "围绕财政、金融政策，深入解读政策背景。"
    assert found[0][4] == ["市财政局", "市发展改革委"]
    assert result.notice.title == "2017年天津市政务公开重点工作安排" and result.notice.year == 2017


def test_an_item_heading_on_its_own_line_is_the_items_title():
    text = HEAD + ("一、平台建设\n（一）加强政府网站建设\n优化栏目设置。加强内容保障。（责任单位：区数据局）\n"
                   "（二）规范新媒体。关停僵尸账号。（责任单位：区委网信办）\n")
    _result, found = items(text)
    assert [(f[1], f[2]) for f in found] == [("加强政府网站建设", "优化栏目设置。加强内容保障。"),
                                            ("规范新媒体。", "关停僵尸账号。")]
