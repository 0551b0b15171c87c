"""Small pure helpers for the text of notices. No database access.

One module per concern: ``text`` (whitespace, traditional → simplified), ``numerals`` (十四 ↔ 14),
``docnumbers`` (文号), ``deadlines`` (时限: the one vocabulary), ``units`` (unit cells). Every name is
importable from ``tasks.parsing`` too.
"""
from tasks.parsing.deadlines import (
    ONGOING_WORDS,
    OPEN_WORDS,
    RECURRING_WORDS,
    Deadline,
    find_dates,
    is_open_ended,
    resolve_deadline,
    weekdays_after,
)
from tasks.parsing.docnumbers import (
    DOC_NUMBER_HINT,
    DocNumber,
    DocNumberError,
    find_doc_numbers,
    parse_doc_number,
)
from tasks.parsing.numerals import NUMERAL_CHARS, chinese_numeral_to_int, int_to_chinese_numeral
from tasks.parsing.text import CJK, is_cjk, normalize_text, to_simplified
from tasks.parsing.units import (
    UNIT_SUFFIXES,
    UnitRef,
    is_complete_unit_name,
    is_group_phrase,
    join_unit_lines,
    split_unit_cell,
    split_unit_tokens,
)

__all__ = [
    "CJK", "DOC_NUMBER_HINT", "NUMERAL_CHARS", "ONGOING_WORDS", "OPEN_WORDS", "RECURRING_WORDS", "UNIT_SUFFIXES",
    "Deadline", "DocNumber", "DocNumberError", "UnitRef", "chinese_numeral_to_int", "find_dates",
    "find_doc_numbers", "int_to_chinese_numeral", "is_cjk", "is_complete_unit_name", "is_group_phrase",
    "is_open_ended", "join_unit_lines", "normalize_text", "parse_doc_number", "resolve_deadline",
    "split_unit_cell", "split_unit_tokens", "to_simplified", "weekdays_after",
]
