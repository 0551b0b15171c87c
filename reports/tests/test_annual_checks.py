"""Every check of the annual report, passing and failing (pure functions, no database)."""
from decimal import Decimal

from reports.annual import checks
from reports.tests.annual_samples import good_figures, good_sections, last_year_figures


def codes(findings):
    return [(f.level, f.check, f.field) for f in findings]


def test_the_sample_passes_every_check():
    assert checks.run_checks(good_figures(), good_sections(), previous_figures=last_year_figures(),
                             previous_sections={"overview": "去年的总体情况。"}, previous_year=2025) == []


def test_balance_passes_and_fails_per_column():
    figures = good_figures()
    assert checks.check_t3_balance(figures) == []
    figures["t3.new.natural"] += 1
    figures["t3.new.total"] += 1  # the row still adds up: only the balance of two columns breaks
    found = checks.check_t3_balance(figures)
    assert codes(found) == [("error", "t3_balance", "t3.carry_next.natural"),
                            ("error", "t3_balance", "t3.carry_next.total")]
    assert found[0].message == ("表三“自然人”列：一（41）+ 二（5）= 46，而三（七）总计（39）+ 四（6）= 45，"
                                "两者应相等（一 + 二 = 三（七）总计 + 四）。")


def test_column_total_is_the_sum_of_the_results():
    figures = good_figures()
    assert checks.check_t3_column_totals(figures) == []
    figures["t3.deny_secret.research"] = 2
    found = checks.check_t3_column_totals(figures)
    assert codes(found) == [("error", "t3_column_total", "t3.total.research")]
    assert found[0].message == "表三“科研机构”列：（七）总计填写为 1，但（一）至（六）各项之和为 3。"


def test_row_total_is_the_sum_of_the_applicant_columns():
    figures = good_figures()
    assert checks.check_t3_row_totals(figures) == []
    figures["t3.unable_make.legal"] = 5
    found = checks.check_t3_row_totals(figures)
    assert codes(found) == [("error", "t3_row_total", "t3.unable_make.total")]
    assert "“（四）无法提供·2.没有现成信息需要另行制作”行：总计填写为 0" in found[0].message
    assert "各列之和为 5" in found[0].message


def test_table_four_groups_add_up():
    figures = good_figures()
    assert checks.check_t4_totals(figures) == []
    figures["t4.suit_after_review.corrected"] = 1
    found = checks.check_t4_totals(figures)
    assert codes(found) == [("error", "t4_total", "t4.suit_after_review.total")]
    assert found[0].message == ("表四“行政诉讼·复议后起诉”：总计填写为 2，但结果维持、结果纠正、其他结果、尚未审结之和为 3。")


def test_carried_matches_last_years_carried_on():
    figures, last = good_figures(), last_year_figures()
    assert checks.check_carried_from_last_year(figures, last, 2025) == []
    assert checks.check_carried_from_last_year(figures, None, None) == []  # no report last year
    last["t3.carry_next.commercial"] = 3
    found = checks.check_carried_from_last_year(figures, last, 2025)
    assert codes(found) == [("error", "carried_from_last_year", "t3.carried.commercial")]
    assert found[0].message == "表三“商业企业”列：本年“上年结转”为 1，与2025年报告“结转下年度继续办理”的 3 不一致。"


def test_valid_documents_follow_from_last_year_as_a_warning():
    figures, last = good_figures(), last_year_figures()
    assert checks.check_valid_documents(figures, last) == []
    last["t2.normative.valid"] = 25
    found = checks.check_valid_documents(figures, last)
    assert codes(found) == [("warning", "valid_documents", "t2.normative.valid")]
    assert "上年现行有效 25 + 本年制发 4 − 本年废止 1 = 28，本年填写的现行有效件数为 23" in found[0].message


def test_prose_numbers_match_the_tables():
    figures, sections = good_figures(), good_sections()
    assert checks.check_prose_numbers(sections, figures) == []
    sections["requests"] = sections["requests"].replace("予以公开30件", "予以公开31件")
    sections["overview"] += "全年发生行政复议案件5件。"
    found = checks.check_prose_numbers(sections, figures)
    assert codes(found) == [("warning", "prose_number", "section.overview"),
                            ("warning", "prose_number", "section.requests")]
    assert found[0].message == "“一、总体情况”中写有“行政复议案件5件”，与表四“行政复议”总计的 4 不一致。"
    assert "“予以公开31件”，与表三“（一）予以公开”总计的 30 不一致" in found[1].message


def test_prose_sub_counts_are_not_mistaken_for_totals():
    sections = {"overview": "", "requests": "自然人予以公开20件；行政复议决定维持2件。"}
    assert checks.check_prose_numbers(sections, good_figures()) == []


def test_required_sections_are_present():
    assert checks.check_sections_present(good_sections()) == []
    assert checks.check_sections_present(None) == []  # a workbook without texts
    sections = good_sections() | {"overview": "  \n", "other": ""}
    found = checks.check_sections_present(sections)
    assert codes(found) == [("error", "section_missing", "section.overview"),
                            ("error", "section_missing", "section.other")]
    assert found[0].message == "“一、总体情况”没有内容，六个部分都必须填写。"


def test_section_five_is_not_just_none():
    assert checks.check_section_five(good_sections()) == []
    for text in ("无", "无。", " 暂无 "):
        found = checks.check_section_five(good_sections() | {"problems": text})
        assert codes(found) == [("error", "section_five_none", "section.problems")]
    assert "不能只写“无”" in checks.check_section_five({"problems": "无。"})[0].message


def test_draft_placeholders_must_be_replaced():
    assert checks.check_placeholders(good_sections()) == []
    sections = good_sections() | {"other": "（一）收取信息处理费情况。【待补充：收费情况】"}
    found = checks.check_placeholders(sections)
    assert codes(found) == [("error", "section_placeholder", "section.other")]
    assert found[0].message == "“六、其他需要报告的事项”中还有未改写的“【待补充：…】”提示，请写成正式内容。"


def test_text_copied_from_last_year_is_a_warning():
    sections = good_sections()
    assert checks.check_sections_copied(sections, {"problems": "去年的问题。"}, 2025) == []
    last = {"problems": sections["problems"].replace("。", "。 \n")}  # same words, other spacing
    found = checks.check_sections_copied(sections, last, 2025)
    assert codes(found) == [("warning", "section_copied", "section.problems")]
    assert found[0].message == "“五、存在的主要问题及改进情况”与2025年报告的内容完全相同，请结合本年度情况撰写。"


def test_values_must_be_whole_numbers_and_amounts_numbers():
    assert checks.check_values(good_figures()) == []
    figures = good_figures() | {"t3.open.natural": "五", "t2.fees.amount": "-1", "t4.review.upheld": 1.5}
    found = checks.check_values(figures)
    assert [f.field for f in found] == ["t2.fees.amount", "t3.open.natural", "t4.review.upheld"]
    assert found[0].message == "表二“行政事业性收费”本年收费金额（单位：万元）不能为负数，现为“-1”。"
    assert found[1].message == "表三“（一）予以公开”行“自然人”列应填写非负整数，现为“五”。"


def test_value_parsing():
    assert checks.to_count("") == 0 and checks.to_count(None) == 0 and checks.to_count(3.0) == 3
    assert checks.to_count(" 12 ") == 12 and checks.to_count("—") == 0
    assert checks.to_amount("12.35") == Decimal("12.35") and checks.to_amount(1.5) == Decimal("1.5")
    for bad in ("abc", "-2", "1.5", True):
        try:
            checks.to_count(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_errors_come_before_warnings():
    figures = good_figures() | {"t4.review.total": 9}
    sections = good_sections()
    found = checks.run_checks(figures, sections, previous_figures=last_year_figures() | {"t2.rules.valid": 9},
                              previous_sections=sections, previous_year=2025)
    levels = [f.level for f in found]
    assert levels == sorted(levels, key=lambda level: level != "error")
    assert "error" in levels and "warning" in levels
