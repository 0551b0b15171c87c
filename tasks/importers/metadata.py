"""Notice metadata from the lines before the table: 文号, title, issuer, 成文日期, cited documents.

文号 in any bracket style, alone on a line or after a label ("发文字号：长府办〔2024〕12号"); the date
as "2024年3月5日", "2024-03-05", "2024/3/5", "二〇二四年三月五日", or after a label ("成文日期：…",
"发布时间：…", a fallback); the title as "…关于…的通知" over up to four lines, else the document's own
title line ("2024年XX区政务公开工作要点"); the issuer from the signature above the date, the letterhead
or the title; the year from the 文号, else the date, else the title.
"""
from __future__ import annotations

import datetime
import re

from tasks.breakdown import ParsedNotice
from tasks.parsing import DocNumberError, find_doc_numbers, normalize_text, parse_doc_number

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN_NUMBER = r"[〇○零Ｏ一二三四五六七八九十]"
DATE_RES = (
    re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
    re.compile(f"({_CN_NUMBER}{{4}})年({_CN_NUMBER}{{1,2}})月({_CN_NUMBER}{{1,3}})日"),
)
ISSUER_RE = re.compile(r"^[\u4e00-\u9fff（）()]{4,40}(办公室|办公厅|人民政府|委员会|管委会|领导小组|局|中心|政府)$")
TITLE_END_RE = re.compile(r"(通知|意见|方案|要点|分解表|函|决定|规划|安排|清单|任务分解|计划|台账|分工)$")
_DOC_LABEL_RE = re.compile(r"(?:发文字号|发文号|文号|字号)\s*[:：]?\s*(.+)$")
_DATE_LABEL_RE = re.compile(r"(成文日期|印发日期|发文日期|发布日期|发布时间|(?<![时限])日期(?=[:：])|(?<![完成])时间(?=[:：]))"
                            r"\s*[:：]?\s*(.+)$")
_DOC_START_RE = re.compile(r"^([\u4e00-\u9fff]{1,12}[〔\[［（(【](?:19|20)\d\d[〕\]］）)】]第?\d{1,5}号)")
_JUNK_RE = re.compile(r"[?？\u3000\s•·]+")


def _flat(line: str) -> str:
    return _JUNK_RE.sub("", line or "")


_LABEL_ONLY_RE = re.compile(r"^(发文字号|发文号|文号|成文日期|印发日期|发文日期|发布日期|发布时间)[:：]?$")


def _flat_lines(lines: list[str]) -> list[str]:
    """Lines without spaces; a label alone on its line ("发文字号：" then the number) joined to its value."""
    flat = [_flat(line) for line in lines]
    for index, line in enumerate(flat):
        if _LABEL_ONLY_RE.match(line):
            following = next((k for k in range(index + 1, min(index + 4, len(flat))) if flat[k]), None)
            if following is not None and not _LABEL_ONLY_RE.match(flat[following]):
                flat[index] = line.rstrip(":：") + "：" + flat[following]
                flat[following] = ""
    return flat


def _cn_number(text: str) -> int:
    if all(ch in _CN_DIGIT for ch in text):
        return int("".join(str(_CN_DIGIT[ch]) for ch in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)


def parse_date(text: str) -> datetime.date | None:
    """The first date written in ``text``, in any of the styles above; None if there is none."""
    for regex in DATE_RES:
        if match := regex.search(text):
            try:
                parts = [int(g) if g.isdigit() else _cn_number(g) for g in match.groups()]
                return datetime.date(*parts)
            except ValueError:
                continue
    return None


def _doc_number(flat: list[str]) -> str | None:
    for line in flat[:40]:
        if match := _DOC_LABEL_RE.search(line):
            found = find_doc_numbers(match.group(1))
            if found:
                return found[0]
        try:
            return parse_doc_number(line).text
        except DocNumberError:
            pass
    for line in flat[:40]:  # a title row holding the number and more ("沪普府办〔2025〕3号 2025年5月20日")
        if match := _DOC_START_RE.match(line):
            try:
                return parse_doc_number(match.group(1)).text
            except DocNumberError:
                continue
    return None


def fill_metadata(notice: ParsedNotice, lines: list[str], *, year: int | None = None) -> list[str]:
    """Set doc number, title, issuer, issue date and year on ``notice`` from head lines.

    Returns the doc numbers the text cites (the notice's own number excluded).
    """
    flat = _flat_lines(lines)
    notice.doc_number = _doc_number(flat)
    notice.title = _title(flat)
    labelled: datetime.date | None = None
    for index, line in enumerate(flat):
        if label := _DATE_LABEL_RE.search(line):
            if labelled is None or label.group(1) in ("成文日期", "印发日期", "发文日期"):
                labelled = parse_date(label.group(2)) or labelled
            continue
        date = parse_date(line)
        if date is None or line.startswith(("（", "(", "《")):
            continue
        start = min((m.start() for regex in DATE_RES if (m := regex.search(line))), default=0)
        prefix = line[:start]
        before = prefix or next((f for f in reversed(flat[:index]) if f), "")
        before = re.split(r"[。：:，,；;）)]", before)[-1]
        if ISSUER_RE.match(before) and (not prefix or ISSUER_RE.match(prefix)):
            notice.issuer, notice.issue_date = before, date
            break
        if notice.issue_date is None and not prefix and len(line) <= 20:
            notice.issue_date = date
    if notice.issue_date is None and labelled is not None:
        notice.issue_date = labelled
    if not notice.issuer:
        notice.issuer = _issuer(flat, notice.title)
    if notice.doc_number:
        notice.year = parse_doc_number(notice.doc_number).year
    elif notice.issue_date:
        notice.year = notice.issue_date.year
    elif notice.title and (found := re.search(r"((?:19|20)\d\d)\s*年", notice.title)):
        notice.year = int(found.group(1))
    else:
        notice.year = year
    cited = find_doc_numbers("\n".join(lines))
    return [number for number in cited if number != notice.doc_number]


def _issuer(flat: list[str], title: str | None) -> str | None:
    for line in flat[:10]:
        if line.endswith("文件") and ISSUER_RE.match(line[:-2]):
            return line[:-2]
    if title and "关于" in title and ISSUER_RE.match(title.split("关于", 1)[0]):
        return title.split("关于", 1)[0]
    return None


def _title(flat: list[str]) -> str | None:
    for index, line in enumerate(flat[:60]):
        if line.endswith(("：", ":")):
            break  # reached the recipients: the title is above them, or is the document's own
        if "关于" not in line or line.startswith(("（", "(", "《", "为", "根据", "按照")) or len(line) > 80:
            continue
        parts = [line]
        following = [f for f in flat[index + 1:index + 8] if f]
        for nxt in following[:3]:
            if TITLE_END_RE.search(parts[-1]) or nxt.endswith(("：", ":")) or _DOC_LABEL_RE.search(nxt):
                break
            parts.append(nxt)
        title = normalize_text("".join(parts))
        return title if TITLE_END_RE.search(title) else normalize_text(line)
    # No "关于…" title: the document's own title line, the one naming a year first.
    lines = [re.sub(r"^(19|20)\d\d年\d{1,2}月\d{1,2}日", "", line) for line in flat[:80]]
    candidates = [line for line in lines if 6 <= len(line) <= 60 and TITLE_END_RE.search(line)
                  and not line.startswith(("（", "(", "《", "为", "根据", "按照", "附件")) and not re.search(r"[，,。；]", line)]
    dated = [line for line in candidates if re.search(r"(19|20)\d\d年", line)]
    chosen = (dated or candidates or [None])[0]
    return normalize_text(chosen) if chosen else None
