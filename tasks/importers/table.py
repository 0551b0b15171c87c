"""The table-interpretation core: rows of cells with merge information → ParsedNotice.

Every reader (.docx, .xlsx, tab-separated text, PDF-extracted text, prose 工作要点) ends here, so
the rules for headers, headings, item numbers, units and deadlines live in one place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.breakdown import ParsedNotice, ParsedSection, ParsedSubsection, ParsedTask
from tasks.importers.grid import ROLE_LABELS, Row, header_map, is_repeat_header
from tasks.importers.result import ImportFailure, ImportIssue
from tasks.parsing import (
    NUMERAL_CHARS,
    chinese_numeral_to_int,
    int_to_chinese_numeral,
    normalize_text,
    resolve_deadline,
    split_unit_cell,
)

SECTION_RE = re.compile(f"^([{NUMERAL_CHARS}]+)[、.．]\\s*(.*)$", re.S)
SUBSECTION_RE = re.compile(f"^[（(]\\s*([{NUMERAL_CHARS}]+)\\s*[）)]\\s*(.*)$", re.S)
ITEM_RE = re.compile(r"^(\d{1,3})[.．、]\s*(?!\d)(.*)$", re.S)
ITEM_LOOSE_RE = re.compile(r"^(\d{1,3})(?:[.．、]\s*(?!\d)|\s+|$)(.*)$", re.S)
ITEM_PAREN_RE = re.compile(r"^[（(](\d{1,3})[）)]\s*(.*)$", re.S)
NOTE_RE = re.compile(r"^(备注|注[:：]|说明[:：]|附注)")
PARAGRAPH_RE = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S | re.I)
UNIT_ROLES = ("lead", "responsible", "cooperating")


def numbered(text: str, regex: re.Pattern) -> tuple[int, str] | None:
    match = regex.match(text)
    if not match:
        return None
    try:
        return chinese_numeral_to_int(match.group(1)), match.group(2).strip()
    except ValueError:
        return None


def item_number(text: str, *, loose: bool = False) -> tuple[int, str] | None:
    """"1.xxx" / "1、xxx" / "（1）xxx" → (1, "xxx"); ``loose`` also takes "16 xxx" and a bare "7"."""
    match = (ITEM_LOOSE_RE if loose else ITEM_RE).match(text) or ITEM_PAREN_RE.match(text)
    return (int(match.group(1)), match.group(2).strip()) if match else None


@dataclass
class _State:
    year: int | None
    notice: ParsedNotice
    warnings: list[ImportIssue] = field(default_factory=list)
    skipped: list[ImportIssue] = field(default_factory=list)
    section: ParsedSection | None = None
    subsection: ParsedSubsection | None = None
    last_number: int = 0
    used: set[int] = field(default_factory=set)
    generated_section: bool = False  # the current section has no number of its own in the source

    def open_section(self, number: int | None, title: str, row: Row) -> None:
        last = chinese_numeral_to_int(self.section.number) if self.section and self.section.number else 0
        if number is not None and number != last + 1:
            expected = int_to_chinese_numeral(last + 1) if last < 999 else ""
            self.warnings.append(row.issue(
                "section_gap", f"章节编号不连续：此处为“{int_to_chinese_numeral(number)}、”，应为“{expected}、”，"
                "前面可能缺少章节标题，请核对各事项所属章节"))
        self.generated_section = number is None
        self.section = ParsedSection(int_to_chinese_numeral(number or last + 1), normalize_text(title))
        self.notice.sections.append(self.section)
        self.subsection = None

    def open_subsection(self, number: int | None, title: str) -> None:
        if self.section is None:
            self.section = ParsedSection("", "")
            self.notice.sections.append(self.section)
        if number is None:
            number = len(self.section.subsections) + 1
        self.subsection = ParsedSubsection(int_to_chinese_numeral(number), normalize_text(title))
        self.section.subsections.append(self.subsection)

    def add_task(self, task: ParsedTask, row: Row) -> None:
        if task.number in self.used or task.number <= 0:
            new = self.last_number + 1
            while new in self.used:
                new += 1
            self.warnings.append(row.issue("number_duplicate", f"事项编号 {task.number} 重复，已改为 {new}"))
            task.number = new
        self.used.add(task.number)
        self.last_number = task.number
        if self.section is None:
            self.section = ParsedSection("", "")
            self.notice.sections.append(self.section)
        if self.subsection is None and self.section.subsections:
            # Items after a subsection ended but before the next section: keep them together.
            self.subsection = self.section.subsections[-1]
        (self.subsection.tasks if self.subsection else self.section.tasks).append(task)


def _columns(roles: dict[int, str], role: str) -> list[int]:
    return [i for i, r in roles.items() if r == role]


def _cell(row: Row, col: int) -> str:
    return row.cells[col].text if col < len(row.cells) and not row.cells[col].merged else ""


def _text(row: Row, cols: list[int]) -> str:
    return "\n".join(t for t in (_cell(row, c).strip() for c in cols) if t)


def _classify_row(row: Row, roles: dict[int, str]) -> str:
    distinct = row.distinct()
    if not distinct:
        return "blank"
    if is_repeat_header(row, roles):
        return "header"
    if NOTE_RE.match(normalize_text(distinct[0][1].text)):
        return "note"
    if len(distinct) == 1:
        col, cell = distinct[0]
        text = normalize_text(cell.text)
        spans = cell.cols_across > 1 or (col + 1 < len(row.cells) and all(c.across for c in row.cells[col + 1:]))
        if spans or numbered(text, SECTION_RE) or numbered(text, SUBSECTION_RE):
            if roles.get(col) in ("task", "number", "requirement", None) or spans:
                return "heading"
    return "item"


def _heading(state: _State, row: Row, text: str) -> None:
    text = normalize_text(text)
    if section := numbered(text, SECTION_RE):
        state.open_section(section[0], section[1], row)
    elif sub := numbered(text, SUBSECTION_RE):
        state.open_subsection(sub[0], sub[1])
    elif item_number(text):
        state.warnings.append(row.issue("heading_flattened", f"第三级标题“{text}”无法单独保存，其下事项归入上一级章节"))
    else:
        state.open_section(None, text, row)


def _split_paragraph_items(raw: str) -> list[tuple[int | None, str]]:
    """A requirement cell holding several numbered items as <p> paragraphs (pasted from the web)."""
    paragraphs = [p for p in PARAGRAPH_RE.findall(raw or "") if p.strip()]
    if len(paragraphs) < 2:
        return []
    items = []
    for paragraph in paragraphs:
        found = item_number(" ".join(paragraph.split()), loose=True)
        if not found:
            return []
        items.append((found[0], normalize_text(found[1])))
    return items


def _units(row: Row, roles: dict[int, str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {role: [] for role in UNIT_ROLES}
    for col, role in sorted(roles.items()):
        if role in UNIT_ROLES:
            for ref in split_unit_cell(_cell(row, col), default_role=role):
                if ref.text not in found[ref.role]:
                    found[ref.role].append(ref.text)
    return found


def _item_row(state: _State, row: Row, roles: dict[int, str]) -> None:
    number: int | None = None
    title = ""
    untitled = None  # a section/subsection opened by a bare numeral in the 序号 column
    for col in _columns(roles, "number"):
        raw = normalize_text(_cell(row, col))
        if raw.isdigit():
            number = int(raw)
        elif section := numbered(raw.rstrip("、.．") + "、", SECTION_RE):
            state.open_section(section[0], "", row)
            untitled = state.section
        elif sub := numbered(raw, SUBSECTION_RE):
            state.open_subsection(sub[0], "")
            untitled = state.subsection
    task_cols = _columns(roles, "task")
    for idx, col in enumerate(task_cols):
        cell = row.cells[col] if col < len(row.cells) else None
        if cell is None or cell.merged or not cell.text.strip():
            continue
        flat = normalize_text(cell.text)
        if untitled is not None and not untitled.title:
            untitled.title = flat
        elif section := numbered(flat, SECTION_RE):
            state.open_section(section[0], section[1], row)
        elif sub := numbered(flat, SUBSECTION_RE):
            state.open_subsection(sub[0], sub[1])
        elif found := item_number(" ".join(cell.text.split()), loose=True):
            number, title = found[0], normalize_text(found[1])
        elif cell.rows_down > 1 and (idx < len(task_cols) - 1 or _columns(roles, "requirement")):
            # A title merged down over several items groups them: a section, or a subsection
            # when the table already numbers its sections ("一、…" rows).
            if idx == 0 and (state.section is None or state.generated_section):
                state.open_section(None, flat, row)
            else:
                state.open_subsection(None, flat)
        else:
            title = flat
    raw_requirement = _text(row, _columns(roles, "requirement"))
    deadline_cols = _columns(roles, "deadline")
    deadline_text = normalize_text(_text(row, deadline_cols))
    units = _units(row, roles)
    pieces = _split_paragraph_items(raw_requirement) if number is None else []
    if not pieces:
        requirement = normalize_text(raw_requirement, keep_newlines=True)
        if number is None and (found := item_number(requirement)):
            number, requirement = found
        pieces = [(number, requirement)]
    if not (title or any(text for _n, text in pieces) or any(units.values()) or deadline_text):
        if number is not None:
            state.skipped.append(row.issue("skipped_blank", "只有编号没有内容的行，已跳过"))
        return
    deadline = resolve_deadline(deadline_text, state.year)
    for piece_number, requirement in pieces:
        task = ParsedTask(
            number=piece_number if piece_number is not None else state.last_number + 1,
            title=title if len(pieces) == 1 else "",
            requirement=requirement,
            lead_units=list(units["lead"]), responsible_units=list(units["responsible"]),
            cooperating_units=list(units["cooperating"]),
            deadline_text=deadline_text, deadline=deadline.date, source_row=row.number)
        state.add_task(task, row)
        if not any(units.values()):
            state.warnings.append(row.issue("no_units", f"第{task.number}项任务没有填写牵头单位或责任单位"))
        if not deadline.recognised:
            col = deadline_cols[0] if deadline_cols else None
            hint = "" if state.year else "（未能确定通知年份）"
            state.warnings.append(row.issue(
                "deadline_unparsed", f"第{task.number}项任务的时限“{deadline_text}”无法识别{hint}，请手工填写完成日期", col))


def _find_header(rows: list[Row]) -> tuple[int, dict[int, str]]:
    for index, row in enumerate(rows):
        roles = header_map(row)
        if roles:
            return index, roles
    raise ImportFailure("未找到表头：表格应有“工作任务”“工作要求”“责任单位”等列名")


def interpret(rows: list[Row], *, notice: ParsedNotice, year: int | None) -> tuple[
        ParsedNotice, list[ImportIssue], list[ImportIssue]]:
    """Read the rows of one breakdown table into ``notice`` (whose metadata is already set)."""
    header_index, roles = _find_header(rows)
    state = _State(year=year, notice=notice)
    for row in rows[:header_index]:
        if row.distinct():
            state.skipped.append(row.issue("skipped_title", "表头之前的标题行，已跳过"))
    body = rows[header_index + 1:]
    if body and (second := header_map(body[0])):
        roles = {col: (second.get(col) if not body[0].cells[col].merged else None) or role
                 for col, role in {**second, **roles}.items()}
        state.skipped.append(body[0].issue("skipped_header_repeat", "第二行表头，已合并"))
        body = body[1:]
    if not _columns(roles, "requirement"):
        task_cols = _columns(roles, "task")
        if task_cols:
            roles[task_cols[-1]] = "requirement"
    names = {col: ROLE_LABELS[role] for col, role in roles.items()}
    for row in body:
        if not row.column_names:
            row.column_names = [names.get(i, "") for i in range(len(row.cells))]
        kind = _classify_row(row, roles)
        if kind == "blank":
            state.skipped.append(row.issue("skipped_blank", "空行，已跳过"))
        elif kind == "header":
            state.skipped.append(row.issue("skipped_header_repeat", "重复的表头行，已跳过"))
        elif kind == "note":
            state.skipped.append(row.issue("skipped_note", "备注行，已跳过"))
        elif kind == "heading":
            _heading(state, row, row.distinct()[0][1].text)
        else:
            _item_row(state, row, roles)
    if not notice.all_tasks():
        raise ImportFailure("表格中没有识别到任何工作任务，请检查表格内容")
    notice.sections = [s for s in notice.sections if s.all_tasks() or s.subsections]
    return notice, state.warnings, state.skipped
