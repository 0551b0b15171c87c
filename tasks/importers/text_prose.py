"""A 工作要点 written as prose, in the shapes offices publish, turned into rows for the table core.

Paragraphs are numbered on up to four levels ("一、" / "（一）" / "1." / "（1）"). Units are attached
to the text in several ways: "（责任单位：…）" / "（牵头单位：…；责任单位：…；完成时限：…）" after a
paragraph, "〔区财政局负责落实〕" or "（市交通委负责落实）" after each sentence group, a closing sentence
"区司法局负责落实，完成时限：2022年10月", separate lines "牵头单位：…" / "责任单位：…" / "完成时限：…",
or a line of units ending in "牵头落实" / "负责落实" after each paragraph.

The item level is decided by where those units attach, not by a fixed numeral style: the level
whose paragraphs carry them is the item level and the levels above it are sections and
subsections; where one paragraph carries several attachments, each sentence group before an
attachment is an item and the paragraph's first sentence is the subsection title. A blanket rule
("以下事项均需各乡镇落实", "逗号前为牵头单位，下同") applies to what follows, with a hint.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from tasks.importers.grid import Cell, Row
from tasks.importers.result import ImportIssue
from tasks.importers.text_pdf import FOOTER_RE, join_lines
from tasks.parsing import (
    chinese_numeral_to_int,
    int_to_chinese_numeral,
    is_complete_unit_name,
    is_group_phrase,
    normalize_text,
    split_unit_cell,
)

_CN = "一二三四五六七八九十"
LEVELS = [
    (1, re.compile(f"^([{_CN}]{{1,3}})\\s*[、.．]\\s*(.*)$", re.S)),
    (2, re.compile(f"^[（(]\\s*([{_CN}]{{1,3}})\\s*[）)]\\s*[、.．]?\\s*(.*)$", re.S)),
    (3, re.compile(r"^(\d{1,3})\s*[.．、](?!\d{1,3}(?:\D|$))\s*(.*)$", re.S)),
    (4, re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*(.*)$", re.S)),
]
_LABELS = ("牵头单位", "牵头部门", "责任单位", "责任部门", "配合单位", "配合部门", "协办单位", "责任科室",
           "牵头科室", "配合科室", "主责单位", "参与单位", "完成时限", "时限要求", "完成时间", "时限", "责任主体")
_LABEL_RE = re.compile(f"({'|'.join(_LABELS)})\\s*[:：]")
_LABEL_ROLE = {"牵头": "lead", "配合": "cooperating", "协办": "cooperating", "参与": "cooperating"}
_ROLE_END = (r"(?:(?:按照|按)?(?:各自)?(?:职能|职责)?(?:分工)?(?:分别|共同|具体)?"
             r"(?:牵头负责|牵头落实|负责落实|参照落实|参照执行|牵头|负责|配合|落实))")
# "……。区司法局负责落实，完成时限：2022年10月。" at the end of a paragraph.
_TAIL_RE = re.compile(f"(?<=[。；])\\s*([^。；]{{2,80}}?{_ROLE_END})\\s*(?:[，,；;]\\s*((?:完成时限|时限)[:：][^。]*))?[。.]?$")
# A line holding nothing but units and a role word: "市发改委牵头落实".
_UNIT_LINE_RE = re.compile(f"^[^。；，,：:]{{2,80}}{_ROLE_END}[。.]?$")
_BLANKET_RE = re.compile(r"以下(?:事项|任务|工作)?(?:均需|均由|均要|均|需|由)([^。，,]{2,40}?)(?:负责|落实|承担|参照)")
_COMMA_RULE_RE = re.compile(r"[。；;，,]?\s*(?:逗号|顿号|分号)前(?:的)?(?:单位)?为牵头单位[^）)〕】]*")
_NOT_ITEMS_RE = re.compile(r"总体要求|指导思想|工作目标|基本原则|总体目标|目标任务$")
MAX_TITLE = 60


@dataclass
class _Block:
    level: int              # 1..4, 0 for an unnumbered paragraph
    number: int
    line: int
    lines: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)   # "牵头单位：…" lines after the paragraph


@dataclass
class _Attachment:
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    deadline: str = ""


def _level(text: str) -> tuple[int, int, str] | None:
    for level, regex in LEVELS:
        if match := regex.match(text):
            raw = match.group(1)
            try:
                number = int(raw) if raw.isdigit() else chinese_numeral_to_int(raw)
            except ValueError:
                return None
            return level, number, match.group(2).strip()
    return None


def _split_flattened(lines: list[str]) -> list[str]:
    """Text whose paragraphs were run together on long lines: break before the numbering."""
    out: list[str] = []
    marker = re.compile(f"(?<=[。；）)\\s])\\s*(?=[{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[）)]|\\d{{1,2}}[.．](?!\\d))")
    for line in lines:
        if len(line) > 300:
            out += [part for part in marker.split(line) if part.strip()]
        else:
            out.append(line)
    return out


def find_prose_start(lines: list[str]) -> int | None:
    """Index of the "一、" line that opens the key points, when units are attached below it."""
    flat = [line.strip() for line in _split_flattened(lines)]
    text = "\n".join(flat)
    if not (any(_attachments(f) for f in flat) or _LABEL_RE.search(text) or any(_UNIT_LINE_RE.match(f) for f in flat)
            or any(_TAIL_RE.search(f) for f in flat)):
        return None
    for index, line in enumerate(flat):
        found = _level(line)
        if found and found[0] == 1 and found[1] == 1:
            return index
    for index, line in enumerate(flat):
        if _level(line):
            return index
    return None


def _units_of(text: str, default: str, comma_rule: bool) -> _Attachment:
    attachment = _Attachment()
    text = text.strip().rstrip("。.；;")
    parts = _LABEL_RE.split(text)
    chunks: list[tuple[str, str]] = [("", parts[0])] + list(zip(parts[1::2], parts[2::2], strict=False))
    for label, body in chunks:
        body = body.strip().strip("；;，,。 ")
        if not body:
            continue
        if label in ("完成时限", "时限要求", "完成时间", "时限"):
            attachment.deadline = body
            continue
        role = next((r for word, r in _LABEL_ROLE.items() if label.startswith(word)), None) if label else None
        role = role or ("responsible" if label else default)
        for ref in split_unit_cell(body, role, lead_before_comma=comma_rule and role == "responsible"):
            getattr(attachment, ref.role).append(ref.text)
    return attachment


def _merge(into: _Attachment, other: _Attachment) -> None:
    for key in ("lead", "responsible", "cooperating"):
        names = getattr(into, key)
        names += [n for n in getattr(other, key) if n not in names]
    into.deadline = into.deadline or other.deadline


def _blocks(lines: list[str], start: int) -> list[_Block]:
    blocks: list[_Block] = []
    for index in range(start, len(lines)):
        text = lines[index].strip()
        if not text:
            continue
        if FOOTER_RE.search(text):
            break
        found = _level(text)
        if found:
            blocks.append(_Block(found[0], found[1], index + 1, [found[2]] if found[2] else []))
        elif blocks and not _BLANKET_RE.search(text) and (
                _LABEL_RE.match(text) or (_UNIT_LINE_RE.match(text) and len(text) <= 80)):
            blocks[-1].labels.append(text)
        elif blocks and blocks[-1].labels:  # text after a unit line: the next unnumbered item
            blocks.append(_Block(0, 0, index + 1, [text]))
        elif blocks:
            blocks[-1].lines.append(text)
    return blocks


@dataclass
class _Item:
    text: str
    attachment: _Attachment
    line: int


_OPEN, _CLOSE = "（(〔【", "）)〕】"


def _attachments(line: str) -> list[tuple[int, int, str]]:
    """Bracketed groups (nesting kept) that attach units: "（责任单位：…）", "〔X负责落实〕", "（各市〔州〕…
    按照职能分别落实）". Returns (start, end, inner text), end past a following "。"."""
    found: list[tuple[int, int, str]] = []
    depth, start = 0, -1
    for i, ch in enumerate(line):
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                inner = line[start + 1:i].strip()
                if _LABEL_RE.match(inner) or (re.search(_ROLE_END + "$", inner)
                                              and _unitish(re.sub(_ROLE_END + "$", "", inner))):
                    end = i + 1
                    while end < len(line) and line[end] in "。.；; ":
                        end += 1
                    found.append((start, end, inner))
    return found


def _unitish(text: str) -> bool:
    refs = split_unit_cell(text)
    return bool(refs) and all(len(r.name) <= 30 and (is_complete_unit_name(r.name) or is_group_phrase(r.name))
                              for r in refs)


def _segments(block: _Block, comma_rule: bool) -> tuple[list[_Item], str, bool]:
    """A block's items (text before each attachment), its leading title and whether it held units."""
    items: list[_Item] = []
    buffer: list[str] = []
    for raw in block.lines:
        line = normalize_text(raw)
        position = 0
        for start, end, inner in _attachments(line):
            buffer.append(line[position:start])
            items.append(_Item(normalize_text(join_lines(buffer)).strip(),
                               _units_of(inner, "responsible", comma_rule), block.line))
            buffer, position = [], end
        rest = line[position:]
        tail = _TAIL_RE.search(rest)
        if tail and _unitish(re.sub(_ROLE_END + "$", "", tail.group(1))):
            buffer.append(rest[:tail.start()])
            attachment = _units_of(tail.group(1), "responsible", comma_rule)
            if tail.group(2):
                _merge(attachment, _units_of(tail.group(2), "responsible", comma_rule))
            items.append(_Item(normalize_text(join_lines(buffer)).strip(), attachment, block.line))
            buffer = []
        elif rest:
            buffer.append(rest)
    rest = normalize_text(join_lines(buffer)).strip()
    label_attachment = _Attachment()
    for label in block.labels:
        _merge(label_attachment, _units_of(label, "responsible", comma_rule))
    attached = bool(items) or bool(block.labels)
    if block.labels:
        if items and not rest:
            _merge(items[-1].attachment, label_attachment)
        else:
            items.append(_Item(rest, label_attachment, block.line))
            rest = ""
    if rest:
        items.append(_Item(rest, _Attachment(), block.line))
    title = ""
    if len(items) > 1 or (len(block.lines) > 1 and attached and len(block.lines[0]) <= 40
                          and not _attachments(block.lines[0])):
        first = items[0].text if items else ""
        head = normalize_text(block.lines[0])
        # A heading line holds no sentence end before its last character: a line that does is a
        # wrapped paragraph (PDF text), not a heading of its own.
        if len(block.lines) > 1 and len(head) <= 40 and first.startswith(head) and not any(
                mark in head[:-1] for mark in "。；！？"):
            title = normalize_text(block.lines[0])
        elif 0 < first.find("。") < MAX_TITLE and first.find("。") < len(first) - 1:
            title = first[:first.find("。") + 1]
        if title:
            items[0].text = items[0].text[len(title):].strip()
    return [i for i in items if i.text or any((i.attachment.lead, i.attachment.responsible))], title, attached


def split_title(text: str) -> tuple[str, str]:
    """The first sentence is the item's short title when it is short."""
    end = text.find("。")
    if 0 < end < MAX_TITLE and end < len(text) - 1:
        return text[:end + 1], text[end + 1:]
    return "", text


def _heading_text(lines: list[str]) -> str:
    """A heading's own words: its first line, and the next ones while a PDF wrapped it (not the
    sentences under it: a preamble, a blanket rule)."""
    if not lines:
        return ""
    parts = [lines[0]]
    for line in lines[1:]:
        joined = normalize_text("".join(parts))
        if joined.endswith(("。", "；", "：", ":")) or len(line) > 20 or "。" in line[:-1] or _BLANKET_RE.search(line):
            break
        parts.append(line)
    return normalize_text(join_lines(parts))


ROLES = ["number", "task", "requirement", "lead", "responsible", "cooperating", "deadline"]


def prose_rows(lines: list[str], start: int, issues: list[ImportIssue] | None = None) -> list[Row]:
    """Rows for the table core: a synthetic header, heading rows, one row per item."""
    issues = issues if issues is not None else []
    lines = _split_flattened(lines)
    names = ["序号", "工作任务", "工作要求", "牵头单位", "责任单位", "配合单位", "时限"]
    rows = [Row([Cell(name) for name in names], number=start, synthetic=True, column_names=names)]
    blocks = _blocks(lines, start)
    comma_rule = False
    parsed: list[tuple[_Block, list[_Item], str, bool]] = []
    for block in blocks:
        text = join_lines(block.lines)
        if _COMMA_RULE_RE.search(text) or any(_COMMA_RULE_RE.search(label) for label in block.labels):
            comma_rule = True
            block.lines = [_COMMA_RULE_RE.sub("", line) for line in block.lines]
            block.labels = [_COMMA_RULE_RE.sub("", label) for label in block.labels]
            issues.append(ImportIssue.at("blanket_rule", "按“逗号前为牵头单位”的说明，各事项逗号前的单位记为牵头单位",
                                         row=block.line))
        parsed.append((block, *_segments(block, comma_rule)))
    attached_levels = Counter(b.level for b, _items, _title, attached in parsed if attached)
    if not attached_levels:
        return rows
    multi = sum(1 for b, items, _t, attached in parsed if attached and len(items) > 1)
    item_level = attached_levels.most_common(1)[0][0]
    segment_mode = multi >= 1 or item_level == 0
    if item_level == 0:
        item_level = max((b.level for b, *_ in parsed if b.level), default=1) + 1
        container = item_level - 1
    else:
        container = item_level if segment_mode else None
    heading_levels = sorted({b.level for b, *_ in parsed if 0 < b.level < item_level or b.level == container})
    section_level = heading_levels[0] if heading_levels else None
    sub_level = heading_levels[1] if len(heading_levels) > 1 else None
    given = [b.number for b, *_ in parsed if b.level == item_level and not segment_mode]
    keep_numbers = given == sorted(set(given)) and bool(given) and item_level == 3
    number = 0
    blanket: list[str] = []
    skip_section = False
    for block, items, title, attached in parsed:
        text = normalize_text(join_lines(block.lines))
        if block.level in (section_level, sub_level) and block.level != 0:
            is_section = block.level == section_level
            heading = title or (_heading_text(block.lines) if not items or not attached else "")
            if block.level == container and not title and attached:
                heading = ""
            if is_section:
                blanket = []
                skip_section = bool(_NOT_ITEMS_RE.search(heading or text)) and not attached
            mark = f"{int_to_chinese_numeral(block.number)}、" if is_section else f"（{int_to_chinese_numeral(block.number)}）"
            rows.append(Row([Cell(mark + (heading if block.level != container else heading),
                                  cols_across=len(ROLES))] + [Cell(merged=True, across=True) for _ in ROLES[1:]],
                            number=block.line, synthetic=True, column_names=names))
            if block.level != container:
                if found := _BLANKET_RE.search(text):
                    blanket = [ref.text for ref in split_unit_cell(found.group(1))]
                    issues.append(ImportIssue.at("blanket_rule", f"“{found.group(0)}”：其后各事项均加上{'、'.join(blanket)}",
                                                 row=block.line))
                continue
        elif found := _BLANKET_RE.search(text) if block.level not in (item_level, 0) else None:
            blanket = [ref.text for ref in split_unit_cell(found.group(1))]
            issues.append(ImportIssue.at("blanket_rule", f"“{found.group(0)}”：其后各事项均加上{'、'.join(blanket)}",
                                         row=block.line))
            continue
        if skip_section or not (block.level == item_level or block.level == container or block.level == 0):
            continue
        if segment_mode and block.level == container and block.level and not title and items:
            title, items[0].text = split_title(items[0].text)
            rows[-1].cells[0].text += title
        for item in items:
            number = block.number if keep_numbers else number + 1
            task_title, requirement = ("", item.text)
            if item_level == 2 and not segment_mode:
                # "（一）加强政府网站建设" on its own line, or the first short sentence, is the title.
                task_title, requirement = (title, item.text) if title and len(items) == 1 else split_title(item.text)
            units = item.attachment
            responsible = units.responsible + [n for n in blanket if n not in units.responsible]
            rows.append(Row([Cell(str(number)), Cell(task_title), Cell(requirement), Cell("、".join(units.lead), units=units.lead),
                             Cell("、".join(responsible), units=responsible),
                             Cell("、".join(units.cooperating), units=units.cooperating),
                             Cell(units.deadline)], number=item.line, synthetic=True, column_names=names))
    return rows
