"""The checks of the annual report as pure functions: figures and texts in, findings out.

``figures`` maps the field codes of format.py to numbers (int, or Decimal for 收费金额; a missing code
counts as 0). ``sections`` maps the section keys to their texts, or is None where the texts are not
at hand (a workbook holding only the tables). Each check returns a list of ``Finding``; ``run_checks``
runs them all (with the evaluator's checks of evaluator.py). These are the only copy of the rules: the
edit page's live checks post the form to reports.views.annual.annual_check, which runs them here.

Errors block submitting and exporting; warnings are shown but do not block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from reports.annual import format as fmt

ERROR = "error"
WARNING = "warning"

MESSAGES = {
    "t3_balance": "表三“{column}”列：一（{new}）+ 二（{carried}）= {left}，而三（七）总计（{total}）+ 四（{carry_next}）= {right}，"
                  "两者应相等（一 + 二 = 三（七）总计 + 四）。",
    "t3_column_total": "表三“{column}”列：（七）总计填写为 {total}，但（一）至（六）各项之和为 {parts}。",
    "t3_row_total": "表三“{row}”行：总计填写为 {total}，但自然人与法人或其他组织各列之和为 {parts}。",
    "t4_total": "表四“{group}”：总计填写为 {total}，但结果维持、结果纠正、其他结果、尚未审结之和为 {parts}。",
    "carried_from_last_year": "表三“{column}”列：本年“上年结转”为 {carried}，与{year}年报告“结转下年度继续办理”的 {carry_next} 不一致。",
    "valid_documents": "表二“{row}”：上年现行有效 {last_valid} + 本年制发 {issued} − 本年废止 {repealed} = {expected}，"
                       "本年填写的现行有效件数为 {valid}，请核实（往年文件废止等情况可能造成差异）。",
    "prose_number": "“{heading}”中写有“{quote}”，与{what}的 {expected} 不一致。",
    "section_missing": "“{heading}”没有内容，六个部分都必须填写。",
    "section_five_none": "“五、存在的主要问题及改进情况”不能只写“{text}”，请写明存在的问题和改进措施。",
    "section_placeholder": "“{heading}”中还有未改写的“【待补充：…】”提示，请写成正式内容。",
    "section_copied": "“{heading}”与{year}年报告的内容完全相同，请结合本年度情况撰写。",
    "bad_count": "{name}应填写非负整数，现为“{value}”。",
    "bad_amount": "{name}应填写非负数（单位：万元），现为“{value}”。",
    "blank_cells": "{names}{more}还没有填写：没有发生的请填 0（空白与 0 不同），规章等不适用的填“/”。",
    "year_named": "“{heading}”中写有“{quote}”，而这是{year}年度的报告，请核实年份。",
    "year_missing": "“一、总体情况”没有写明报告年度“{year}年”。",
    "sentences_reused": "“{heading}”有{share}%的内容与{year}年报告的句子相同（套话除外），内容雷同是问责情形，请结合本年度情况撰写。",
    "tables_same": "表二、表三、表四的数字与{year}年报告完全相同，请核实是否填写了本年度数字。",
    "heading_misplaced": "“{heading}”中出现了另一部分的标题“{other}”，内容可能放错了位置。",
    "subheadings_order": "“{heading}”中的小标题顺序不对：“{later}”出现在“{earlier}”之前。",
    "section_five_vague": "“五、存在的主要问题及改进情况”没有写出改进措施（如“下一步”“整改”“加强”等），请写明如何改进。",
    "fees_not_stated": "本年度有申请人逾期未缴纳信息处理费（表三“（六）其他处理·2.”{count}件），"
                        "“六、其他需要报告的事项”应写明信息处理费的收取情况。",
    "fees_missing": "“六、其他需要报告的事项”没有说明信息处理费的收取情况（未收取的写明“本年度未收取信息处理费”）。",
}

# Sections 二, 三 and 四 are carried by their tables; their text is an optional lead-in.
TEXT_REQUIRED_SECTIONS = ("overview", "problems", "other")
PLACEHOLDER = "【待补充"
IMPROVEMENT_WORDS = ("改进", "整改", "措施", "下一步", "加强", "完善", "推进", "提升", "健全", "将")
NOTHING_WORDS = {"无", "暂无", "没有", "无问题", "不存在", "不存在问题", "无存在问题", "没有问题"}
_NOTHING_RE = re.compile(r"(?:本年度|本年|今年|本单位|本机关|我区|我局|我单位|目前|暂|均|工作中)*"
                         r"(?:无|没有|不存在|未发现|暂无)(?:存在的?|明显的?)?(?:主要)?(?:问题|不足)?(?:及改进情况)?")


@dataclass(frozen=True)
class Finding:
    level: str
    check: str
    message: str
    field: str  # a field code of format.py, or "section.<key>"

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def _finding(level: str, check: str, field: str, **values) -> Finding:
    return Finding(level, check, MESSAGES[check].format(**values), field)


# ---------------------------------------------------------------- values
def to_count(value) -> int:
    """A count as a cell or form holds it: blank → 0; raises ValueError unless a whole number ≥ 0."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "-", "—", "/", "－")):
        return 0
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        number = int(value)
    else:
        number = to_amount(value)
        if number != number.to_integral_value():
            raise ValueError(value)
        number = int(number)
    if number < 0:
        raise ValueError(value)
    return number


def to_amount(value) -> Decimal:
    """An amount in 万元: blank → 0; raises ValueError unless a number ≥ 0."""
    if value is None:
        return Decimal(0)
    text = str(value).strip().replace(",", "").replace("，", "")
    if text in ("", "-", "—", "/", "－"):
        return Decimal(0)
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not number.is_finite() or number < 0:
        raise ValueError(value)
    return number


def check_values(figures: dict) -> list[Finding]:
    """Every number a whole number ≥ 0; 收费金额 a number ≥ 0; "/" only where the form allows it."""
    from reports.annual.figures import CellError, parse_cell

    findings = []
    for spec in fmt.FIELDS:
        try:
            parse_cell(spec.code, figures.get(spec.code))
        except CellError as exc:
            findings.append(Finding(ERROR, "bad_amount" if spec.decimal else "bad_count", str(exc), spec.code))
    return findings


def check_blanks(figures: dict) -> list[Finding]:
    """A report to submit has every cell filled: 0 where nothing happened, "/" where not applicable."""
    from reports.annual.figures import blank_codes

    blanks = blank_codes(figures)
    if not blanks:
        return []
    names = "、".join(fmt.FIELD_BY_CODE[c].display for c in blanks[:3])
    more = f"等{len(blanks)}处" if len(blanks) > 3 else ""
    return [_finding(ERROR, "blank_cells", blanks[0], names=names, more=more)]


def _n(figures: dict, code: str) -> int:
    try:
        return to_count(figures.get(code))
    except ValueError:
        return 0


# ---------------------------------------------------------------- table 三
def check_t3_balance(figures: dict) -> list[Finding]:
    """Every column: 一 + 二 = 三（七）总计 + 四."""
    findings = []
    for col in fmt.T3_COLUMNS:
        new, carried = _n(figures, fmt.t3_code("new", col.code)), _n(figures, fmt.t3_code("carried", col.code))
        total, carry_next = _n(figures, fmt.t3_code("total", col.code)), _n(figures, fmt.t3_code("carry_next", col.code))
        if new + carried != total + carry_next:
            findings.append(_finding(ERROR, "t3_balance", fmt.t3_code("carry_next", col.code), column=col.text,
                                     new=new, carried=carried, left=new + carried, total=total,
                                     carry_next=carry_next, right=total + carry_next))
    return findings


def check_t3_column_totals(figures: dict) -> list[Finding]:
    """Every column: （七）总计 = （一）+（二）+ the items of （三）（四）（五）（六）."""
    findings = []
    for col in fmt.T3_COLUMNS:
        parts = sum(_n(figures, fmt.t3_code(row, col.code)) for row in fmt.T3_TOTAL_PARTS)
        total = _n(figures, fmt.t3_code("total", col.code))
        if parts != total:
            findings.append(_finding(ERROR, "t3_column_total", fmt.t3_code("total", col.code), column=col.text,
                                     total=total, parts=parts))
    return findings


def check_t3_row_totals(figures: dict) -> list[Finding]:
    """Every row: 总计 = 自然人 + the five 法人或其他组织 columns."""
    findings = []
    for row in fmt.T3_ROWS:
        parts = sum(_n(figures, fmt.t3_code(row.code, col.code)) for col in fmt.T3_APPLICANT_COLUMNS)
        total = _n(figures, fmt.t3_code(row.code, "total"))
        if parts != total:
            findings.append(_finding(ERROR, "t3_row_total", fmt.t3_code(row.code, "total"), row=row.display,
                                     total=total, parts=parts))
    return findings


# ---------------------------------------------------------------- table 四
def check_t4_totals(figures: dict) -> list[Finding]:
    """行政复议, 未经复议直接起诉, 复议后起诉: 维持 + 纠正 + 其他 + 尚未审结 = 总计."""
    findings = []
    for group in fmt.T4_GROUPS:
        parts = sum(_n(figures, fmt.t4_code(group.code, col.code)) for col in fmt.T4_PARTS)
        total = _n(figures, fmt.t4_code(group.code, "total"))
        if parts != total:
            name = group.text if group.code == "review" else f"行政诉讼·{group.text}"
            findings.append(_finding(ERROR, "t4_total", fmt.t4_code(group.code, "total"), group=name,
                                     total=total, parts=parts))
    return findings


# ---------------------------------------------------------------- across years
def check_carried_from_last_year(figures: dict, previous: dict | None, previous_year: int | None) -> list[Finding]:
    """This year's 上年结转 equals last year's 结转下年度继续办理, column by column."""
    if previous is None:
        return []
    findings = []
    for col in fmt.T3_COLUMNS:
        carried = _n(figures, fmt.t3_code("carried", col.code))
        carry_next = _n(previous, fmt.t3_code("carry_next", col.code))
        if carried != carry_next:
            findings.append(_finding(ERROR, "carried_from_last_year", fmt.t3_code("carried", col.code),
                                     column=col.text, carried=carried, year=previous_year, carry_next=carry_next))
    return findings


def check_valid_documents(figures: dict, previous: dict | None) -> list[Finding]:
    """Last year's 现行有效件数 + 本年制发 − 本年废止 against this year's (a warning)."""
    if previous is None:
        return []
    findings = []
    for row in fmt.T2_BLOCKS[0].rows:
        if fmt.NOT_APPLICABLE in (figures.get(f"t2.{row.code}.valid"), previous.get(f"t2.{row.code}.valid")):
            continue  # "/": the row does not apply (e.g. 规章 for a district)
        last_valid = _n(previous, f"t2.{row.code}.valid")
        issued, repealed = _n(figures, f"t2.{row.code}.issued"), _n(figures, f"t2.{row.code}.repealed")
        valid = _n(figures, f"t2.{row.code}.valid")
        expected = last_valid + issued - repealed
        if expected != valid:
            findings.append(_finding(WARNING, "valid_documents", f"t2.{row.code}.valid", row=row.text,
                                     last_valid=last_valid, issued=issued, repealed=repealed, expected=expected,
                                     valid=valid))
    return findings


# ---------------------------------------------------------------- texts
def _plain(text: str) -> str:
    return re.sub(r"[\s。.，,；;！!：:、]+", "", text or "")


def check_sections_present(sections: dict | None) -> list[Finding]:
    if sections is None:
        return []
    return [_finding(ERROR, "section_missing", f"section.{key}", heading=fmt.SECTION_BY_KEY[key].heading)
            for key in TEXT_REQUIRED_SECTIONS if not _plain(sections.get(key, ""))]


def check_section_five(sections: dict | None) -> list[Finding]:
    """Section 五 must say what the problems are, not just 无."""
    if sections is None:
        return []
    text = (sections.get("problems") or "").strip()
    plain = _plain(text)
    if not plain:
        return []
    if plain in NOTHING_WORDS or _NOTHING_RE.fullmatch(plain):
        return [_finding(ERROR, "section_five_none", "section.problems", text=text.rstrip("。."))]
    if not any(word in plain for word in IMPROVEMENT_WORDS):
        return [_finding(WARNING, "section_five_vague", "section.problems")]
    return []


def check_placeholders(sections: dict | None) -> list[Finding]:
    """Drafts mark what the drafter must still write with 【待补充：…】."""
    if sections is None:
        return []
    return [_finding(ERROR, "section_placeholder", f"section.{s.key}", heading=s.heading)
            for s in fmt.SECTIONS if PLACEHOLDER in (sections.get(s.key) or "")]


def check_sections_copied(sections: dict | None, previous: dict | None, previous_year: int | None) -> list[Finding]:
    """A warning for each section whose text is the same as last year's."""
    if sections is None or previous is None:
        return []
    findings = []
    for section in fmt.SECTIONS:
        text = _plain(sections.get(section.key, ""))
        if text and text == _plain(previous.get(section.key, "")):
            findings.append(_finding(WARNING, "section_copied", f"section.{section.key}", heading=section.heading,
                                     year=previous_year))
    return findings


def _sum(*codes):
    return lambda figures: sum(_n(figures, c) for c in codes)


def _group_sum(group_code: str):
    group = next(g for g in fmt.T3_GROUPS if g.code == group_code)
    return _sum(*(fmt.t3_code(item.code, "total") for item in group.items))


# A keyword, up to ten characters that are not a number, a clause break or a sub-count word, then a
# number with a counting unit. The keyword must not follow an applicant type (a per-column figure).
_GAP = r"(?:(?!其中|维持|纠正|审结|直接|复议后|自然人|法人)[^\d，,。；;：:！!？?\n]){0,10}?"
_NUMBER = r"(\d+)\s*(?:件|条|个|宗|起|次|份)"
PROSE_RULES = (
    (r"(?:新收|收到|受理)" + _GAP + r"申请", "表三“一、本年新收政府信息公开申请数量”总计", _sum("t3.new.total")),
    (r"上年(?:度)?结转", "表三“二、上年结转政府信息公开申请数量”总计", _sum("t3.carried.total")),
    (r"予以公开", "表三“（一）予以公开”总计", _sum("t3.open.total")),
    (r"部分公开", "表三“（二）部分公开”总计", _sum("t3.partial.total")),
    (r"不予公开", "表三“（三）不予公开”各项总计之和", _group_sum("deny")),
    (r"无法提供", "表三“（四）无法提供”各项总计之和", _group_sum("unable")),
    (r"不予处理", "表三“（五）不予处理”各项总计之和", _group_sum("none")),
    (r"其他处理", "表三“（六）其他处理”各项总计之和", _group_sum("other")),
    (r"办结", "表三“（七）总计”", _sum("t3.total.total")),
    (r"结转下一?年度?", "表三“四、结转下年度继续办理”总计", _sum("t3.carry_next.total")),
    (r"行政复议", "表四“行政复议”总计", _sum("t4.review.total")),
    (r"行政诉讼", "表四“行政诉讼”两项总计之和", _sum("t4.suit_direct.total", "t4.suit_after_review.total")),
    (r"(?:制发|印发|出台)" + _GAP + r"规范性文件", "表二“行政规范性文件”本年制发件数", _sum("t2.normative.issued")),
    (r"废止" + _GAP + r"规范性文件", "表二“行政规范性文件”本年废止件数", _sum("t2.normative.repealed")),
)
_PROSE_PATTERNS = tuple((re.compile(f"({keyword}{_GAP}){_NUMBER}"), what, value)
                        for keyword, what, value in PROSE_RULES)
PROSE_SECTIONS = ("overview", "requests")
# Counts of other channels a text may quote next to the keywords (办结留言230条, 受理咨询…).
OTHER_CHANNELS = ("留言", "信件", "咨询", "诉求", "热线", "来信", "来电", "提案", "建议", "工单", "投诉", "舆情")


def prose_numbers(text: str) -> list[tuple[str, int, str, object]]:
    """(quote, number, what it refers to, value function) for every figure the text quotes."""
    quotes = []
    for pattern, what, value in _PROSE_PATTERNS:
        for match in pattern.finditer(text or ""):
            before = (text or "")[max(0, match.start() - 4):match.start()]
            if any(word in before for word in ("自然人", "法人", "企业", "组织", "机构")):
                continue
            if any(word in match.group(1) for word in OTHER_CHANNELS):
                continue  # a figure about web messages, hotline calls … is not the applications table's
            quotes.append((match.group(0), int(match.group(2)), what, value))
    return quotes


def check_prose_numbers(sections: dict | None, figures: dict) -> list[Finding]:
    """Figures quoted in the prose of sections 一 and 三 against the tables (warnings: wording varies)."""
    if sections is None:
        return []
    findings = []
    for key in PROSE_SECTIONS:
        for quote, number, what, value in prose_numbers(sections.get(key, "")):
            expected = value(figures)
            if number != expected:
                findings.append(_finding(WARNING, "prose_number", f"section.{key}",
                                         heading=fmt.SECTION_BY_KEY[key].heading, quote=quote, what=what,
                                         expected=expected))
    return findings


# ---------------------------------------------------------------- all together
def run_checks(figures: dict, sections: dict | None = None, *, previous_figures: dict | None = None,
               previous_sections: dict | None = None, previous_year: int | None = None,
               year: int | None = None, complete: bool = False) -> list[Finding]:
    """Every check, errors first in the order of the report.

    ``complete``: the report is meant to be filled in whole (a report in the system), so blank cells
    are errors; a workbook as sent in may leave 0 cells blank. ``year``: the report's year, for the
    evaluator's check of the years named in the texts.
    """
    from reports.annual.evaluator import run_evaluator_checks

    findings = (
        check_values(figures)
        + (check_blanks(figures) if complete else [])
        + check_t3_balance(figures)
        + check_t3_column_totals(figures)
        + check_t3_row_totals(figures)
        + check_t4_totals(figures)
        + check_carried_from_last_year(figures, previous_figures, previous_year)
        + check_valid_documents(figures, previous_figures)
        + check_sections_present(sections)
        + check_section_five(sections)
        + check_placeholders(sections)
        + check_sections_copied(sections, previous_sections, previous_year)
        + check_prose_numbers(sections, figures)
        + run_evaluator_checks(figures, sections, year=year, previous_figures=previous_figures,
                               previous_sections=previous_sections, previous_year=previous_year)
    )
    return sorted(findings, key=lambda f: f.level != ERROR)
