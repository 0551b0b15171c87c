"""The checks an evaluator runs: each with a passing and a failing case (pure functions, no database)."""
from reports.annual import evaluator
from reports.annual.checks import check_prose_numbers, check_section_five
from reports.tests.annual_samples import good_figures, good_sections, last_year_figures


def checks_of(findings):
    return [(f.level, f.check, f.field) for f in findings]


def test_years_named_in_the_text_are_the_reports_year():
    assert evaluator.check_year_named(good_sections(), 2026) == []
    texts = good_sections() | {"overview": "2022年，本机关认真贯彻落实条例。截至2026年11月29日，共制发文件4件。"}
    found = evaluator.check_year_named(texts, 2022)
    assert checks_of(found) == [("warning", "year_named", "section.overview")]
    assert found[0].message == "“一、总体情况”中写有“截至2026年11月29日”，而这是2022年度的报告，请核实年份。"
    assert checks_of(evaluator.check_year_named(good_sections(), 2025))[-1] == ("warning", "year_missing", "section.overview")


def test_sentences_reused_from_last_year_are_flagged_but_boilerplate_is_not():
    this_year = good_sections()
    last = {"overview": "2025年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。", "problems": "去年的问题很多。"}
    assert evaluator.check_sentences_reused(this_year, last, 2025) == []
    copied = good_sections() | {"problems": "一是主动公开的及时性有待提高；二是政策解读形式较为单一。下一步将加强培训，丰富解读形式。另有新情况。"}
    found = evaluator.check_sentences_reused(copied, {"problems": good_sections()["problems"]}, 2025)
    assert checks_of(found) == [("warning", "sentences_reused", "section.problems")]
    assert "内容雷同是问责情形" in found[0].message and "%的内容与2025年报告的句子相同" in found[0].message


def test_tables_identical_to_last_year_ignoring_cells_zero_in_both():
    assert evaluator.check_tables_same(good_figures(), last_year_figures(), 2025) == []
    found = evaluator.check_tables_same(good_figures(), good_figures(), 2025)
    assert found[0].message == "表二、表三、表四的数字与2025年报告完全相同，请核实是否填写了本年度数字。"
    empty = {code: 0 for code in good_figures()}
    assert evaluator.check_tables_same(empty, empty, 2025) == []


def test_section_titles_in_place_and_in_order():
    assert evaluator.check_headings(good_sections()) == []
    texts = good_sections() | {"overview": "（一）主动公开。内容。\n（三）平台建设。\n（二）依申请公开。\n五、存在的主要问题及改进情况\n问题。"}
    found = checks_of(evaluator.check_headings(texts))
    assert ("warning", "heading_misplaced", "section.overview") in found
    assert ("warning", "subheadings_order", "section.overview") in found


def test_section_five_needs_substance():
    assert check_section_five(good_sections()) == []
    for text in ("无", "本年度无存在问题", "本单位暂无问题。", "目前未发现明显问题"):
        found = check_section_five({"problems": text})
        assert checks_of(found) == [("error", "section_five_none", "section.problems")], text
    assert checks_of(check_section_five({"problems": "公开的及时性还不够，个别栏目更新慢。"})) == [
        ("warning", "section_five_vague", "section.problems")]


def test_section_six_states_the_fees_when_fees_were_charged():
    figures = good_figures()
    assert evaluator.check_fees_stated(good_sections(), figures) == []
    charged = figures | {"t3.other_no_fee.total": 2}
    found = evaluator.check_fees_stated(good_sections() | {"other": "无"}, charged)
    assert checks_of(found) == [("error", "fees_not_stated", "section.other")]
    assert "“六、其他需要报告的事项”应写明信息处理费的收取情况" in found[0].message
    assert checks_of(evaluator.check_fees_stated(good_sections() | {"other": "无"}, figures)) == [
        ("warning", "fees_missing", "section.other")]


def test_prose_numbers_are_matched_only_against_the_figure_they_name():
    figures = good_figures()
    texts = {"overview": "全年通过门户网站办结留言230条，受理咨询15件。", "requests": ""}
    assert check_prose_numbers(texts, figures) == []
    texts = {"overview": "全年办结政府信息公开申请230件。", "requests": ""}
    found = check_prose_numbers(texts, figures)
    assert len(found) == 1 and "与表三“（七）总计”的 56 不一致" in found[0].message
