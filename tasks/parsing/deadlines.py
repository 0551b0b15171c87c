"""时限: THE one vocabulary of deadline phrases, used by the importer, the forms and the services.

``resolve_deadline(text, year, *, issue_date=None, add_working_days=None, fallback=None)`` turns the
phrase of a 时限 cell into a ``Deadline``:

- a date, relative to the notice year where the phrase gives none: "10月底前", "2024年6月底前",
  "二〇二二年十二月底前", "11月15日", "上半年" (06-30), "下半年" / "年底前" (12-31), "第三季度" (09-30),
  "6月中旬", "全年" (12-31); several dates ("7月底前提出…，10月底前完成") → the last one;
- "10个工作日内" / "30日内": counted from the issue date (when the phrase is not tied to an event such
  as "收到申请之日起"), with a pluggable working-day function (default: Monday–Friday, since parsing
  is pure; the app passes its holiday calendar);
- recurring ("每季度", "每月", "每年", "定期", "按季度" …) and open-ended ("持续推进", "长期坚持", "及时",
  "常态化" …) phrases have no date and ``open_ended`` True: they must never fall due on the notice's
  report-back date. ``is_open_ended(text)`` is the one test for that;
- "" → the ``fallback`` (the report-back date, where the caller has one);
- anything else → ``recognised`` False with the fallback.
"""
from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from tasks.parsing.numerals import chinese_numeral_to_int
from tasks.parsing.text import _FULLWIDTH_DIGITS, _WS

# Phrases of work that recurs: each period has its own due point, none is "the" deadline.
RECURRING_WORDS = ("每季度", "每季", "每月", "每周", "每年", "每半年", "每日", "每天", "定期", "按季度", "按季",
                   "按月", "按周", "按年度", "逐月", "逐季", "季度末", "月度", "季度")
# Phrases of work that is open-ended: no date, open all year, reviewed at year end.
OPEN_WORDS = ("持续推进", "长期坚持", "长期", "常态化", "持续", "常年", "经常性", "及时", "实时", "随时", "即时",
              "动态", "适时", "同步", "逐步", "不断", "常抓不懈", "立行立改")
# Both kinds: neither ever takes the report-back date.
ONGOING_WORDS = OPEN_WORDS + RECURRING_WORDS

_NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_YEAR = r"((?:19|20)\d\d)年"
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
_CN_YEAR_RE = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})(?=年)")
# "收到申请之日起15个工作日内", "接到…后2个工作日内": counted from an event, not from the notice.
_EVENT_RE = re.compile(r"(收到|接到|受理|发生|作出|形成|出台|印发后|制定后|之日|起|后)[^，。；]*?$")


@dataclass(frozen=True)
class Deadline:
    date: datetime.date | None
    ongoing: bool = False          # no date, open-ended or recurring: never the report-back date
    recognised: bool = True
    working_days: int | None = None
    recurring: bool = False        # "每季度", "定期": ongoing as well

    @property
    def open_ended(self) -> bool:
        return self.ongoing


def weekdays_after(start: datetime.date, days: int) -> datetime.date:
    """The default working-day rule: Monday to Friday, no holidays (the app passes its calendar)."""
    current = start
    while days > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _num(text: str) -> int:
    return int(text) if text.isdigit() else chinese_numeral_to_int(text)


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


_PATTERNS = [
    (re.compile(f"(?:{_YEAR})?{_NUM}月{_NUM}[日号]"), "day"),
    (re.compile(f"(?:{_YEAR})?{_NUM}月(上旬|中旬|下旬)"), "dekad"),
    (re.compile(f"(?:{_YEAR})?{_NUM}月(?:底|末|份|)(?![0-9一二三四五六七八九十])"), "month"),
    (re.compile(f"(?:{_YEAR})?(?:第)?([一二三四1-4])季度"), "quarter"),
    (re.compile(r"(?:((?:19|20)\d\d)年?)?(上半年|下半年|年底|年末|年内|全年|年中)"), "year_part"),
    (re.compile(f"{_YEAR}(?![0-9一二三四五六七八九十上下第])"), "year"),
]


def _date_of(kind: str, m: re.Match, y: int, text: str) -> datetime.date:
    if kind == "day":
        return datetime.date(y, _num(m.group(2)), _num(m.group(3)))
    if kind == "dekad":
        month = _num(m.group(2))
        day = {"上旬": 10, "中旬": 20}.get(m.group(3))
        return datetime.date(y, month, day) if day else _month_end(y, month)
    if kind == "month":
        month = _num(m.group(2))
        if text[m.end():m.end() + 1] == "前" and text[m.end() - 1] == "月":
            return _month_end(y, month - 1) if month > 1 else datetime.date(y - 1, 12, 31)
        return _month_end(y, month)
    if kind == "quarter":
        return datetime.date(y, *_QUARTER_END[_num(m.group(2))])
    if kind == "year_part":
        return datetime.date(y, *({"上半年": (6, 30), "年中": (6, 30)}.get(m.group(2), (12, 31))))
    return datetime.date(y, 12, 31)


def find_dates(text: str, year: int | None) -> list[datetime.date]:
    """All the dates a deadline phrase names, relative to ``year`` where it gives none."""
    found: list[datetime.date] = []
    taken: list[tuple[int, int]] = []
    for regex, kind in _PATTERNS:
        for m in regex.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            y = int(m.group(1)) if m.group(1) else year
            if y is None:
                continue
            if kind == "quarter" and text[max(m.start() - 1, 0):m.start()] == "每":
                continue
            try:
                date = _date_of(kind, m, y, text)
            except (ValueError, KeyError):
                continue
            taken.append((m.start(), m.end()))
            found.append(date)
    return found


def flatten(text: str | None) -> str:
    """The phrase with whitespace removed, full-width digits and 〇-written years made Arabic."""
    flat = re.sub(f"[{_WS}]+", "", (text or "").translate(_FULLWIDTH_DIGITS))
    return _CN_YEAR_RE.sub(lambda m: m.group(1).translate(_CN_DIGITS), flat)


def is_open_ended(text: str | None) -> bool:
    """The one rule: does this 时限 phrase mean work with no single due date (ongoing or recurring)?"""
    return resolve_deadline(text, 2000).ongoing


def resolve_deadline(text: str | None, year: int | None, *, fallback: datetime.date | None = None,
                     issue_date: datetime.date | None = None,
                     add_working_days: Callable[[datetime.date, int], datetime.date] | None = None) -> Deadline:
    """Turn a 时限 phrase into a Deadline relative to the notice year (see the module docstring)."""
    flat = flatten(text)
    if not flat or flat in ("—", "——", "-", "/", "无", "／"):
        return Deadline(fallback, ongoing=False, recognised=True)
    recurring = flat.startswith(("每", "定期", "按月", "按季", "按年", "逐月", "逐季")) or (
        any(word in flat for word in RECURRING_WORDS[:8]))
    dates = [] if recurring else find_dates(flat, year)
    if dates:
        return Deadline(max(dates))
    working = re.search(f"{_NUM}个?工作日", flat)
    calendar_days = re.search(f"{_NUM}个?(?:自然)?[日天](?:内|之内|以内)", flat)
    counted = working or calendar_days
    if counted and not recurring:
        days = _num(counted.group(1))
        if _EVENT_RE.search(flat[:counted.start()]) or re.search(r"小时", flat):
            return Deadline(None, ongoing=True, working_days=days if working else None)
        if issue_date is None:
            return Deadline(None, working_days=days if working else None)
        if working:
            due = (add_working_days or weekdays_after)(issue_date, days)
            return Deadline(due, working_days=days)
        return Deadline(issue_date + datetime.timedelta(days=days))
    if recurring or any(word in flat for word in RECURRING_WORDS):
        return Deadline(None, ongoing=True, recurring=True)
    if re.search(f"{_NUM}个?(小时|日|天)[内之]", flat) or any(word in flat for word in OPEN_WORDS):
        return Deadline(None, ongoing=True)
    return Deadline(fallback, recognised=False)
