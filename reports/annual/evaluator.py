"""Checks a third-party evaluator runs on a published annual report, as pure functions.

Texts in, findings out (the Finding and message templates of checks.py). Each is a warning unless the
report is plainly wrong: an evaluator's finding can be confirmed or dismissed with a reason, kept with
the report (AnnualReport.finding_notes).
"""
from __future__ import annotations

import re

from reports.annual import format as fmt
from reports.annual.checks import ERROR, WARNING, Finding, _finding, _n, _plain

# Sentences every report may share (the regulation's name, the usual opening); not counted as reuse.
BOILERPLATE = ("政府信息公开条例", "本报告", "统计期限", "如对本报告有疑问", "联系", "电子版", "网站上下载",
               "认真贯彻落实", "国务院办公厅", "政务公开工作要点")
MIN_SENTENCE = 12
REUSE_THRESHOLD = 40  # percent of a section's substantive text
TEXT_SECTIONS = ("overview", "problems", "other")
_YEAR_RE = re.compile(r"((?:截至|截止)?(20\d\d)年(?:\d{1,2}月(?:\d{1,2}日)?)?)")
_SENTENCE_RE = re.compile(r"[。！？；;!?\n]+")
_SUBHEADING_RE = re.compile(r"^\s*[（(]([一二三四五六七八九十]+)[)）]", re.MULTILINE)
_ORDER = "一二三四五六七八九十"


def check_year_named(sections: dict | None, year: int | None) -> list[Finding]:
    """Years named in the texts: the report's year, the year before (comparison) or after (plans)."""
    if sections is None or year is None:
        return []
    findings = []
    for key in TEXT_SECTIONS:
        seen = set()
        for quote, named in _YEAR_RE.findall(sections.get(key) or ""):
            if int(named) not in (year - 1, year, year + 1) or (quote.startswith(("截至", "截止")) and int(named) != year):
                if quote not in seen:
                    seen.add(quote)
                    findings.append(_finding(WARNING, "year_named", f"section.{key}",
                                             heading=fmt.SECTION_BY_KEY[key].heading, quote=quote, year=year))
    overview = sections.get("overview") or ""
    if overview.strip() and f"{year}年" not in overview:
        findings.append(_finding(WARNING, "year_missing", "section.overview", year=year))
    return findings


def sentences(text: str) -> list[str]:
    """The substantive sentences of a text (short ones and boilerplate left out), compared plainly."""
    result = []
    for sentence in _SENTENCE_RE.split(text or ""):
        plain = _plain(sentence)
        if len(plain) >= MIN_SENTENCE and not any(word in plain for word in BOILERPLATE):
            result.append(plain)
    return result


def check_sentences_reused(sections: dict | None, previous: dict | None, previous_year: int | None) -> list[Finding]:
    """The share of each text's sentences found word for word in last year's report (内容雷同)."""
    if sections is None or previous is None:
        return []
    last = set()
    for key in fmt.SECTION_KEYS:
        last.update(sentences(previous.get(key) or ""))
    findings = []
    for section in fmt.SECTIONS:
        current = sentences(sections.get(section.key) or "")
        total = sum(len(s) for s in current)
        if not total:
            continue
        share = round(100 * sum(len(s) for s in current if s in last) / total)
        if share >= REUSE_THRESHOLD and _plain(sections.get(section.key)) != _plain(previous.get(section.key)):
            findings.append(_finding(WARNING, "sentences_reused", f"section.{section.key}",
                                     heading=section.heading, share=share, year=previous_year))
    return findings


def check_tables_same(figures: dict, previous: dict | None, previous_year: int | None) -> list[Finding]:
    """Every figure as last year's (cells that are 0 or blank in both years left out)."""
    if previous is None:
        return []
    compared = [code for code in fmt.FIELD_CODES if _n(figures, code) or _n(previous, code)]
    if compared and all(_n(figures, code) == _n(previous, code) for code in compared):
        return [_finding(WARNING, "tables_same", compared[0], year=previous_year)]
    return []


def check_headings(sections: dict | None) -> list[Finding]:
    """No section's text holds another section's heading; its （一）（二）… sub-headings run in order."""
    if sections is None:
        return []
    findings = []
    for section in fmt.SECTIONS:
        text = sections.get(section.key) or ""
        for other in fmt.SECTIONS:
            if other.key != section.key and re.search(rf"(?:^|\n)\s*{other.number}[、.．]\s*{other.title}", text):
                findings.append(_finding(WARNING, "heading_misplaced", f"section.{section.key}",
                                         heading=section.heading, other=other.heading))
        numbers = [_ORDER.index(n) for n in _SUBHEADING_RE.findall(text) if n in _ORDER]
        for earlier, later in zip(numbers, numbers[1:], strict=False):
            if later < earlier:
                findings.append(_finding(WARNING, "subheadings_order", f"section.{section.key}",
                                         heading=section.heading, later=f"（{_ORDER[later]}）",
                                         earlier=f"（{_ORDER[earlier]}）"))
                break
    return findings


def check_fees_stated(sections: dict | None, figures: dict) -> list[Finding]:
    """六 says how 信息处理费 were charged; an error when the tables show fee notices were sent."""
    if sections is None:
        return []
    text = sections.get("other") or ""
    if "信息处理费" in text:
        return []
    count = _n(figures, "t3.other_no_fee.total")
    if count:
        return [_finding(ERROR, "fees_not_stated", "section.other", count=count)]
    if _plain(text):
        return [_finding(WARNING, "fees_missing", "section.other")]
    return []


def run_evaluator_checks(figures: dict, sections: dict | None, *, year: int | None, previous_figures: dict | None,
                         previous_sections: dict | None, previous_year: int | None) -> list[Finding]:
    return (check_year_named(sections, year)
            + check_sentences_reused(sections, previous_sections, previous_year)
            + check_tables_same(figures, previous_figures, previous_year)
            + check_headings(sections)
            + check_fees_stated(sections, figures))

