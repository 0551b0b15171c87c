"""Notice metadata from the lines before the table: 文号, title, issuer, 成文日期, cited documents."""
from __future__ import annotations

import datetime
import re

from tasks.breakdown import ParsedNotice
from tasks.parsing import DocNumberError, find_doc_numbers, normalize_text, parse_doc_number

DATE_LINE_RE = re.compile(r"^((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日$")
ISSUER_RE = re.compile(r"^[\u4e00-\u9fff（）()]{4,40}(办公室|办公厅|人民政府|委员会|管委会|局|中心)$")
TITLE_END_RE = re.compile(r"(通知|意见|方案|要点|分解表|函|决定|规划|安排)$")


def _flat(line: str) -> str:
    return re.sub(r"\s+", "", line or "")


def fill_metadata(notice: ParsedNotice, lines: list[str], *, year: int | None = None) -> list[str]:
    """Set doc number, title, issuer, issue date and year on ``notice`` from head lines.

    Returns the doc numbers the text cites (the notice's own number excluded).
    """
    flat = [_flat(line) for line in lines]
    for line in flat[:40]:
        try:
            notice.doc_number = parse_doc_number(line).text
            break
        except DocNumberError:
            continue
    notice.title = _title(flat)
    for index, line in enumerate(flat):
        match = DATE_LINE_RE.match(line)
        if not match:
            continue
        before = [f for f in flat[:index] if f][-1:] or [""]
        try:
            date = datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            continue
        if ISSUER_RE.match(before[0]):
            notice.issuer, notice.issue_date = before[0], date
            break
        if notice.issue_date is None:
            notice.issue_date = date
    if not notice.issuer:
        for line in flat[:10]:
            if line.endswith("文件") and ISSUER_RE.match(line[:-2]):
                notice.issuer = line[:-2]
                break
    if notice.doc_number:
        notice.year = parse_doc_number(notice.doc_number).year
    elif notice.issue_date:
        notice.year = notice.issue_date.year
    else:
        notice.year = year
    cited = find_doc_numbers("\n".join(lines))
    return [number for number in cited if number != notice.doc_number]


def _title(flat: list[str]) -> str | None:
    for index, line in enumerate(flat[:60]):
        if line.endswith(("：", ":")):
            return None  # reached the recipients: no title above them
        if "关于" not in line or line.startswith(("（", "(", "《", "为", "根据")):
            continue
        parts = [line]
        following = [f for f in flat[index + 1:index + 8] if f]
        for nxt in following[:3]:
            if TITLE_END_RE.search(parts[-1]) or nxt.endswith(("：", ":")):
                break
            parts.append(nxt)
        title = normalize_text("".join(parts))
        return title if TITLE_END_RE.search(title) else normalize_text(line)
    return None
