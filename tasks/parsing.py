"""Small pure helpers for the text of notices: doc numbers, deadlines, unit cells, numerals.

No database access. Every phrase handled here was met in ../shared/seeds; the tests list them.
"""
from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

# ---------------------------------------------------------------- text normalisation

CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201f\u2026\u2014"
_CJK_RE = re.compile(f"[{CJK}]")
_TAG_RE = re.compile(r"</?\s*(p|br|span|div|strong|b|font)\b[^>]*>", re.IGNORECASE)
_WS = " \t\r\n\u3000\u00a0\u2002\u2003\u2009"
_GAP_RE = re.compile(f"(?<=[{CJK}0-9A-Za-z])[{_WS}]+(?=[{CJK}])|(?<=[{CJK}])[{_WS}]+(?=[0-9A-Za-z])")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalize_text(s: str | None, *, keep_newlines: bool = False) -> str:
    """Remove the whitespace that PDF/Word extraction put inside Chinese text.

    Whitespace between two CJK characters (punctuation included) and between CJK and digits
    ("2022 年" → "2022年") goes; whitespace between Latin words stays as one space. HTML
    paragraph tags pasted from web pages are dropped. With ``keep_newlines`` paragraph breaks
    survive as single "\\n".
    """
    if not s:
        return ""
    s = _TAG_RE.sub("\n", s)
    if keep_newlines:
        lines = [normalize_text(line) for line in s.splitlines()]
        return "\n".join(line for line in lines if line)
    s = _GAP_RE.sub("", s)
    return re.sub(f"[{_WS}]+", " ", s).strip()


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


# ---------------------------------------------------------------- Chinese numerals

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}
NUMERAL_CHARS = "零〇一二两三四五六七八九十百"


def chinese_numeral_to_int(text: str) -> int:
    """"十四" → 14, "二十" → 20, "一百零五" → 105. Raises ValueError on anything else."""
    text = (text or "").strip()
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        raise ValueError(f"不是中文数字：{text!r}")
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0:
                raise ValueError(f"不是中文数字：{text!r}")
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)


def int_to_chinese_numeral(n: int) -> str:
    """14 → "十四", 20 → "二十", 105 → "一百零五" (1..999)."""
    if not 1 <= n <= 999:
        raise ValueError(f"超出范围：{n}")
    names = "零一二三四五六七八九"
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += names[hundreds] + "百"
        if rest and tens == 0:
            return out + "零" + names[ones]
    if tens:
        out += ("" if tens == 1 and not hundreds else names[tens]) + "十"
    if ones:
        out += names[ones]
    return out


# ---------------------------------------------------------------- doc numbers

DOC_NUMBER_HINT = "文号格式不正确，应类似“鼓政办〔2022〕46号”"
_OPEN, _CLOSE = "〔\\[［（(【", "〕\\]］）)】"
_DOC_CORE = (f"([\u4e00-\u9fff]{{1,12}})\\s*[{_OPEN}]\\s*((?:19|20)\\d\\d)\\s*[{_CLOSE}]"
             f"\\s*第?\\s*(\\d{{1,5}})\\s*号")
_DOC_FULL_RE = re.compile(f"^{_DOC_CORE}$")
_DOC_FIND_RE = re.compile(_DOC_CORE)
_LEAD_WORDS = ("贯彻落实", "根据", "按照", "依据", "依照", "参照", "转发", "印发", "落实", "贯彻", "执行",
               "见", "和", "及", "与", "即", "详见")
# Words a letterhead or a sentence puts before a doc number on the line above it.
_CUT_AFTER = ("文件", "办公室", "办公厅", "人民政府", "委员会", "通知", "意见", "方案")


class DocNumberError(ValueError):
    """A doc number that cannot be read; ``str(exc)`` is the Chinese message."""


@dataclass(frozen=True)
class DocNumber:
    issuer_code: str
    year: int
    serial: int

    @property
    def text(self) -> str:
        return f"{self.issuer_code}〔{self.year}〕{self.serial}号"

    def __str__(self) -> str:
        return self.text


def parse_doc_number(text: str) -> DocNumber:
    """"鼓政办〔2022〕46 号", "国办发[2022]8号" … → DocNumber; anything else → DocNumberError."""
    cleaned = re.sub(f"[{_WS}]+", "", (text or "").translate(_FULLWIDTH_DIGITS))
    match = _DOC_FULL_RE.match(cleaned)
    if not match or int(match.group(3)) == 0:
        raise DocNumberError(DOC_NUMBER_HINT)
    return DocNumber(match.group(1), int(match.group(2)), int(match.group(3)))


def find_doc_numbers(text: str) -> list[str]:
    """Every doc number cited in body text, normalised, in order of first appearance."""
    flat = normalize_text((text or "").translate(_FULLWIDTH_DIGITS))
    found: list[str] = []
    for match in _DOC_FIND_RE.finditer(flat):
        code = match.group(1)
        for word in _CUT_AFTER:
            if word in code:
                code = code.rsplit(word, 1)[1] or code
        for word in sorted(_LEAD_WORDS, key=len, reverse=True):
            if code.startswith(word) and len(code) > len(word) + 1:
                code = code[len(word):]
                break
        number = DocNumber(code, int(match.group(2)), int(match.group(3))).text
        if number not in found and int(match.group(3)):
            found.append(number)
    return found


# ---------------------------------------------------------------- deadlines

ONGOING_WORDS = ("持续推进", "长期坚持", "长期", "常态化", "持续", "常年", "经常性", "及时", "实时", "随时",
                 "每月", "每季度", "每年", "定期")
_NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_YEAR = r"((?:19|20)\d\d)年"
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


@dataclass(frozen=True)
class Deadline:
    date: datetime.date | None
    ongoing: bool = False
    recognised: bool = True
    working_days: int | None = None


def _num(text: str) -> int:
    return int(text) if text.isdigit() else chinese_numeral_to_int(text)


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _find_dates(text: str, year: int | None) -> list[datetime.date]:
    """All the dates a deadline phrase names, relative to ``year`` where it gives none."""
    found: list[datetime.date] = []
    patterns = [
        (re.compile(f"(?:{_YEAR})?{_NUM}月{_NUM}[日号]"), "day"),
        (re.compile(f"(?:{_YEAR})?{_NUM}月(上旬|中旬|下旬)"), "dekad"),
        (re.compile(f"(?:{_YEAR})?{_NUM}月(?:底|末|份|)(?![0-9一二三四五六七八九十])"), "month"),
        (re.compile(f"(?:{_YEAR})?(?:第)?([一二三四1-4])季度"), "quarter"),
        (re.compile(r"(?:((?:19|20)\d\d)年?)?(上半年|下半年|年底|年末|年内|全年|年中)"), "year_part"),
        (re.compile(f"{_YEAR}(?![0-9一二三四五六七八九十上下第])"), "year"),
    ]
    taken: list[tuple[int, int]] = []
    for regex, kind in patterns:
        for m in regex.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            y = int(m.group(1)) if m.group(1) else year
            if y is None:
                continue
            try:
                if kind == "day":
                    date = datetime.date(y, _num(m.group(2)), _num(m.group(3)))
                elif kind == "dekad":
                    month = _num(m.group(2))
                    day = {"上旬": 10, "中旬": 20}.get(m.group(3))
                    date = datetime.date(y, month, day) if day else _month_end(y, month)
                elif kind == "month":
                    month = _num(m.group(2))
                    if text[m.end():m.end() + 1] == "前" and text[m.end() - 1] == "月":
                        date = _month_end(y, month - 1) if month > 1 else datetime.date(y - 1, 12, 31)
                    else:
                        date = _month_end(y, month)
                elif kind == "quarter":
                    month, day = _QUARTER_END[_num(m.group(2))]
                    date = datetime.date(y, month, day)
                elif kind == "year_part":
                    date = datetime.date(y, *({"上半年": (6, 30), "年中": (6, 30)}.get(m.group(2), (12, 31))))
                else:
                    date = datetime.date(y, 12, 31)
            except ValueError:
                continue
            taken.append((m.start(), m.end()))
            found.append(date)
    return found


def resolve_deadline(text: str | None, year: int | None, *,
                     fallback: datetime.date | None = None) -> Deadline:
    """Turn a 时限 phrase into a date relative to the notice year; see the tests for the phrases."""
    flat = re.sub(f"[{_WS}]+", "", (text or "").translate(_FULLWIDTH_DIGITS))
    if not flat:
        return Deadline(fallback, ongoing=False, recognised=True)
    dates = _find_dates(flat, year)
    if dates:
        return Deadline(max(dates))
    working = re.search(f"{_NUM}个?工作日", flat)
    if working:
        return Deadline(None, working_days=_num(working.group(1)))
    if re.search(f"{_NUM}个?(小时|日|天)[内之]", flat) or any(word in flat for word in ONGOING_WORDS):
        return Deadline(None, ongoing=True)
    return Deadline(fallback, recognised=False)


# ---------------------------------------------------------------- units

UNIT_SUFFIXES = ("局", "办", "委", "厅", "院", "会", "部", "中心", "政府", "单位", "部门", "镇", "乡", "街道",
                 "处", "室", "所", "站", "队", "馆", "署", "社", "团", "联", "协", "校", "园", "司", "行", "组",
                 "集团", "科", "股", "区", "县", "市", "企业", "机构", "机关", "公安", "法院", "小组", "管委会")
_GROUP_RE = re.compile(r"各|有关单位|有关部门|相关部门|相关单位|属单位|^[一二三四五六七八九十\d]+个?街镇$")
_SEPARATORS = "、，,；;/／"
_ROLE_LABELS = {"牵头单位": "lead", "牵头部门": "lead", "牵头": "lead", "责任单位": "responsible",
                "责任部门": "responsible", "配合单位": "cooperating", "配合部门": "cooperating",
                "配合": "cooperating", "协办单位": "cooperating"}
_ROLE_SUFFIXES = (("牵头", "lead"), ("配合", "cooperating"), ("协办", "cooperating"), ("负责", "responsible"))


@dataclass(frozen=True)
class UnitRef:
    text: str
    name: str
    note: str = ""
    role: str = "responsible"


def is_group_phrase(name: str) -> bool:
    """Phrases that stand for many units: 区直各有关部门, 十街镇, 各县（市）区政府 …"""
    return bool(_GROUP_RE.search(name or ""))


def _paren_depth(s: str) -> int:
    return s.count("（") + s.count("(") - s.count("）") - s.count(")")


def _last_token(s: str) -> str:
    return re.split(f"[{_SEPARATORS}\\s]", s)[-1]


def is_complete_unit_name(token: str) -> bool:
    """Does a (part of a) cell end where a unit name can end? "区疾控" and "高新区管" do not."""
    token = token.strip().rstrip("。")
    if not token or _paren_depth(token) != 0:
        return False
    if re.search(r"[（(](市|区|县|市、区|县、区)[）)]$", token):
        return False
    if token.endswith(("）", ")")):
        return True
    return token.endswith(UNIT_SUFFIXES) or is_group_phrase(token)


def join_unit_lines(lines: list[str]) -> list[str]:
    """Re-join unit names that PDF extraction broke over two lines; returns one string per line kept."""
    out: list[str] = []
    for raw in lines:
        line = re.sub(f"[{_WS}]+", " ", raw).strip()
        if not line:
            continue
        if out:
            prev = out[-1]
            last = _last_token(prev)
            joins = (_paren_depth(prev) > 0 or line[0] in "（(）)"
                     or (prev[-1] not in _SEPARATORS and not is_complete_unit_name(last))
                     or (prev[-1] not in _SEPARATORS and re.match(r"各(有关|相关)?(部门|单位)", line)))
            if joins:
                out[-1] = prev + line
                continue
        out.append(line)
    return out


def split_unit_tokens(text: str) -> list[str]:
    tokens, current, depth = [], "", 0
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(depth - 1, 0)
        if depth == 0 and (ch in _SEPARATORS or ch in _WS):
            tokens.append(current)
            current = ""
        else:
            current += ch
    tokens.append(current)
    return [t.strip().rstrip("。.") for t in tokens if t.strip().rstrip("。.")]


def _split_note(token: str) -> tuple[str, str]:
    match = re.match(r"^(.+?)[（(]([^（）()]*)[）)]$", token)
    if not match or match.group(2) in ("市", "区", "县", "市、区", "县、区"):
        return token, ""
    return match.group(1), match.group(2)


def split_unit_cell(text: str | None, default_role: str = "responsible") -> list[UnitRef]:
    """Split a 牵头单位/责任单位 cell into units, reading 牵头/配合/负责 markers; see the tests."""
    if not text or not text.strip():
        return []
    text = _TAG_RE.sub("\n", text)
    joined = "\n".join(join_unit_lines(text.splitlines()))
    refs: list[UnitRef] = []
    pending: list[str] = []
    role = default_role

    def flush(as_role: str) -> None:
        for token in pending:
            name, note = _split_note(token)
            if note in ("牵头", "配合", "负责"):
                as_role = dict(_ROLE_SUFFIXES)[note]
                token, note = name, ""
            refs.append(UnitRef(token, name, note, as_role))
        pending.clear()

    for token in split_unit_tokens(joined.replace("：", ":")):
        label, _, rest = token.partition(":")
        if rest or token.endswith(":"):
            flush(role)
            role = _ROLE_LABELS.get(label, role)
            token = rest
            if not token:
                continue
        for word, word_role in _ROLE_SUFFIXES:
            if token.endswith(word) and len(token) > len(word) and _paren_depth(token) == 0:
                pending.append(token[: -len(word)].removesuffix("单位"))
                flush(word_role)
                break
        else:
            pending.append(token)
    flush(role)
    seen: set[tuple[str, str]] = set()
    unique = []
    for ref in refs:
        if (ref.text, ref.role) not in seen:
            seen.add((ref.text, ref.role))
            unique.append(ref)
    return unique
