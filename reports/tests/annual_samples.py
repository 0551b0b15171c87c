"""Sample annual-report figures and texts for the annual report tests (pure data, no database)."""
from decimal import Decimal

from reports.annual import format as fmt

# Table 三 rows that hold numbers in the sample, per applicant column (natural, commercial, research,
# nonprofit, legal, other); the total column and the （七）总计 row are derived.
_T3_SAMPLE = {
    "new": (40, 10, 1, 2, 3, 4),
    "carried": (5, 1, 0, 0, 0, 0),
    "open": (20, 5, 1, 1, 1, 2),
    "partial": (5, 1, 0, 0, 1, 0),
    "deny_third_party": (2, 0, 0, 0, 0, 0),
    "unable_not_held": (8, 2, 0, 1, 0, 1),
    "none_repeat": (3, 0, 0, 0, 0, 0),
    "other_other": (1, 1, 0, 0, 0, 0),
    "carry_next": (6, 2, 0, 0, 1, 1),
}


def good_figures() -> dict:
    """Figures that pass every check: 一 60 new + 二 6 carried = 56 done + 10 carried on."""
    figures = fmt.empty_figures()
    for row, values in _T3_SAMPLE.items():
        for col, value in zip(fmt.T3_APPLICANT_COLUMNS, values, strict=True):
            figures[fmt.t3_code(row, col.code)] = value
    for col in fmt.T3_APPLICANT_COLUMNS:
        figures[fmt.t3_code("total", col.code)] = sum(
            figures[fmt.t3_code(r, col.code)] for r in fmt.T3_TOTAL_PARTS)
    for row in fmt.T3_ROWS:
        figures[fmt.t3_code(row.code, "total")] = sum(
            figures[fmt.t3_code(row.code, c.code)] for c in fmt.T3_APPLICANT_COLUMNS)
    figures.update({
        "t2.rules.issued": 0, "t2.rules.repealed": 0, "t2.rules.valid": 3,
        "t2.normative.issued": 4, "t2.normative.repealed": 1, "t2.normative.valid": 23,
        "t2.licensing.decisions": 1250, "t2.penalty.decisions": 86, "t2.coercion.decisions": 3,
        "t2.fees.amount": Decimal("12.35"),
        "t4.review.upheld": 2, "t4.review.corrected": 1, "t4.review.other": 0, "t4.review.pending": 1,
        "t4.review.total": 4,
        "t4.suit_direct.upheld": 1, "t4.suit_direct.total": 1,
        "t4.suit_after_review.pending": 2, "t4.suit_after_review.total": 2,
    })
    return figures


def last_year_figures() -> dict:
    """Last year's figures that agree with good_figures(): carried on = this year's 上年结转."""
    figures = fmt.empty_figures()
    for col, value in zip(fmt.T3_APPLICANT_COLUMNS, _T3_SAMPLE["carried"], strict=True):
        figures[fmt.t3_code("carry_next", col.code)] = value
        figures[fmt.t3_code("new", col.code)] = value
    figures["t3.carry_next.total"] = figures["t3.new.total"] = sum(_T3_SAMPLE["carried"])
    figures.update({"t2.rules.valid": 3, "t2.normative.valid": 20})
    return figures


def good_sections() -> dict:
    return {
        "overview": "2026年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。全年制发行政规范性文件4件，"
                    "本年新收政府信息公开申请60件，上年结转6件。",
        "proactive": "",
        "requests": "本年度共收到政府信息公开申请60件，其中予以公开30件，部分公开7件，不予公开2件，无法提供12件，"
                    "不予处理3件，其他处理2件，结转下年度继续办理10件。",
        "review": "",
        "problems": "一是主动公开的及时性有待提高；二是政策解读形式较为单一。下一步将加强培训，丰富解读形式。",
        "other": "本年度未收取信息处理费。按照年度政务公开工作要点，各项任务均已落实。",
    }
