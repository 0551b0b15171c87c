"""The table-interpretation core: rows of cells with merge information → ParsedNotice.

Every reader (.docx, .xlsx, tab-separated text, PDF-extracted text, prose 工作要点) ends here, so
the rules for headers, headings, item numbers, units and deadlines live in one place.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from tasks.breakdown import ParsedNotice, ParsedSection, ParsedSubsection, ParsedTask
from tasks.importers.columns import ColumnInfo, apply_mapping, exact_role, guess_roles, header_role
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
NOTE_RE = re.compile(r"^(备注|注[:：]|说明[:：]|附注|注\s*\d|填表说明)")
BLANKET_HEADING_RE = re.compile(r"^(.{2,60}?)(?:负责落实|负责|落实|牵头)的(?:工作)?(?:任务|事项)")
TITLE_RE = re.compile(r"(分解表|工作要点|任务清单|台账|责任清单|分工表|任务表|方案|一览表)$|^附件\s*\d*$|^附表\s*\d*$")
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
    issue_date: datetime.date | None = None
    number_columns: list[int] = field(default_factory=list)
    last_task: ParsedTask | None = None
    titles_group: bool = True  # title cells merged down over several items are group headings
    blanket: list[str] = field(default_factory=list)  # units a section heading gives all its items
    sub_points: bool = False  # requirement cells begin "1." in row after row: points, not item numbers

    def open_section(self, number: int | None, title: str, row: Row) -> None:
        last = chinese_numeral_to_int(self.section.number) if self.section and self.section.number else 0
        if number is not None and number != last + 1:
            expected = int_to_chinese_numeral(last + 1) if last < 999 else ""
            self.warnings.append(row.issue(
                "section_gap", f"章节编号不连续：此处为“{int_to_chinese_numeral(number)}、”，应为“{expected}、”，"
                "前面可能缺少章节标题，请核对各事项所属章节"))
        self.generated_section = number is None
        self.section = ParsedSection(int_to_chinese_numeral(number or last + 1), normalize_text(title))
        self.blanket = []
        if found := BLANKET_HEADING_RE.match(normalize_text(title)):
            self.blanket = [ref.text for ref in split_unit_cell(found.group(1))]
            self.warnings.append(row.issue("blanket_rule", f"章节标题“{normalize_text(title)}”：其下各事项的责任单位加上"
                                                           f"{'、'.join(self.blanket)}"))
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
        self.last_task = task
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


def _is_title(row: Row) -> bool:
    distinct = row.distinct()
    return len(distinct) == 1 and bool(TITLE_RE.search(normalize_text(distinct[0][1].text).rstrip("：:")))


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


def _spread(row: Row, col: int) -> str:
    """A unit or 时限 cell, including one merged down from the rows above (it covers this item too)."""
    if col >= len(row.cells):
        return ""
    cell = row.cells[col]
    if not cell.merged:
        return cell.text
    if cell.across:
        return ""
    left = row.cells[col - 1] if col else None
    if left is not None and left.merged and left.text == cell.text:
        return ""  # a block merged across and down: read once, in its first column
    return cell.text


def _units(row: Row, roles: dict[int, str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {role: [] for role in UNIT_ROLES}
    for col, role in sorted(roles.items()):
        if role in UNIT_ROLES and col < len(row.cells) and row.cells[col].units is not None:
            found[role] += [n for n in row.cells[col].units if n not in found[role]]
        elif role in UNIT_ROLES:
            for ref in split_unit_cell(_spread(row, col), default_role=role):
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
        elif (found := item_number(raw, loose=True)) and not found[1]:
            number = found[0]  # "1." / "1、" / "（1）" in the 序号 column
        elif section := numbered(raw.rstrip("、.．") + "、", SECTION_RE):
            state.open_section(section[0], "", row)
            untitled = state.section
        elif sub := numbered(raw, SUBSECTION_RE):
            state.open_subsection(sub[0], "")
            untitled = state.subsection
    task_cols = _columns(roles, "task")
    for idx, col in enumerate(task_cols):
        cell = row.cells[col] if col < len(row.cells) else None
        if cell is not None and cell.merged and not cell.across and not state.titles_group \
                and not title and cell.text.strip() and col == task_cols[-1]:
            flat = normalize_text(cell.text)
            if not (numbered(flat, SECTION_RE) or numbered(flat, SUBSECTION_RE) or item_number(flat)):
                title = flat  # a title merged down over items that each carry it
            continue
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
        elif cell.rows_down > 1 and state.titles_group and (idx < len(task_cols) - 1 or _columns(roles, "requirement")):
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
    deadline_text = normalize_text("\n".join(t for t in (_spread(row, c).strip() for c in deadline_cols) if t))
    if re.fullmatch(r"[—\-－/／无]+", deadline_text):
        deadline_text = ""
    units = _units(row, roles)
    units["responsible"] += [n for n in state.blanket if n not in units["responsible"] + units["lead"]]
    if number is None and not title and _continues(state, row, raw_requirement):
        _join(state, row, normalize_text(raw_requirement, keep_newlines=True), units, deadline_text)
        return
    pieces = _split_paragraph_items(raw_requirement) if number is None else []
    if not pieces:
        requirement = normalize_text(raw_requirement, keep_newlines=True)
        if number is None and not state.sub_points and (found := item_number(requirement)):
            number, requirement = found
        pieces = [(number, requirement)]
    if not (title or any(text for _n, text in pieces) or any(units.values()) or deadline_text):
        if number is not None:
            state.skipped.append(row.issue("skipped_blank", "只有编号没有内容的行，已跳过"))
        return
    deadline = resolve_deadline(deadline_text, state.year, issue_date=state.issue_date)
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
        if not deadline_text:
            col = deadline_cols[0] if deadline_cols else None
            state.warnings.append(row.issue(
                "no_deadline", f"第{task.number}项任务没有时限：可选用反馈日期、年底或“持续推进”", col))
        if not deadline.recognised:
            col = deadline_cols[0] if deadline_cols else None
            hint = "" if state.year else "（未能确定通知年份）"
            state.warnings.append(row.issue(
                "deadline_unparsed", f"第{task.number}项任务的时限“{deadline_text}”无法识别{hint}，请手工填写完成日期", col))


def _numbers_restart(rows: list[Row], roles: dict[int, str]) -> bool:
    """Do the requirement cells start "1." again and again? Then "1.…2.…" are points inside an item."""
    cols = _columns(roles, "requirement")
    firsts = [found[0] for row in rows if len(row.distinct()) >= 2
              if (found := item_number(normalize_text(_text(row, cols))))]
    return len(firsts) >= 3 and firsts.count(1) * 2 > len(firsts)


def _titles_group(rows: list[Row], roles: dict[int, str]) -> bool:
    """Do the 工作任务 cells group items (most span several rows), or title each item (most span one,
    and the few merged ones give their title to each item they cover)?"""
    task_cols = _columns(roles, "task")
    if not task_cols or "requirement" not in roles.values():
        return True
    col = task_cols[-1]
    origins = [row.cells[col] for row in rows if col < len(row.cells) and not row.cells[col].merged
               and row.cells[col].text.strip() and len(row.distinct()) >= 2 and not header_map(row)]
    origins = [c for c in origins if not (numbered(normalize_text(c.text), SECTION_RE)
                                          or numbered(normalize_text(c.text), SUBSECTION_RE))]
    if not origins:
        return True
    return sum(1 for c in origins if c.rows_down > 1) * 2 >= len(origins)


def _continues(state: _State, row: Row, raw_requirement: str) -> bool:
    """A row with an empty 序号 cell after an item: the rest of an item split over a page break
    (or a 序号 cell merged down over the item's second row)."""
    if not state.number_columns or state.last_task is None:
        return False
    cells = [row.cells[c] for c in state.number_columns if c < len(row.cells)]
    if not cells or any(c.text.strip() and not c.merged for c in cells):
        return False
    text = normalize_text(raw_requirement)
    if not text or item_number(text) or numbered(text, SECTION_RE) or numbered(text, SUBSECTION_RE):
        return False
    if any(c.merged for c in cells):
        return True
    return state.last_task.source_row is not None and not state.last_task.requirement.endswith(("。", "；", ";"))


def _join(state: _State, row: Row, text: str, units: dict[str, list[str]], deadline_text: str) -> None:
    task = state.last_task
    separator = "\n" if task.requirement.endswith(("。", "；", ";", "：")) else ""
    task.requirement = (task.requirement + separator + text).strip()
    for role, key in (("lead", "lead_units"), ("responsible", "responsible_units"),
                      ("cooperating", "cooperating_units")):
        names = getattr(task, key)
        names += [n for n in units[role] if n not in names]
    if deadline_text and not task.deadline_text:
        task.deadline_text = deadline_text
        task.deadline = resolve_deadline(deadline_text, state.year, issue_date=state.issue_date).date
    state.warnings.append(row.issue("continuation_joined", f"编号为空的续行已并入第{task.number}项任务"))


def _find_header(rows: list[Row]) -> tuple[int | None, dict[int, str]]:
    for index, row in enumerate(rows):
        roles = header_map(row)
        if roles:
            return index, roles
    return _pseudo_header(rows)


def _pseudo_header(rows: list[Row]) -> tuple[int | None, dict[int, str]]:
    """A first row of short words over columns that hold long text or numbers below: a header in
    words the vocabulary lacks ("编码 / 工作事项说明 / 承担 / 节点"). Its words are kept for the mapping."""
    data = [(i, row) for i, row in enumerate(rows) if len(row.distinct()) >= 2]
    if len(data) < 2:
        return None, {}
    index, first = data[0]
    words = [normalize_text(c.text) for _i, c in first.distinct()]
    if any(len(w) > 10 or re.search(r"[，。；、,;]|^\d+$", w) or numbered(w, SECTION_RE) for w in words):
        return None, {}
    below = [normalize_text(c.text) for _i, row in data[1:4] for _c, c in row.distinct()]
    if not any(len(t) > 15 or t.isdigit() for t in below):
        return None, {}
    return index, {col: header_role(cell.text) or "" for col, cell in first.distinct()}


def _data_rows(rows: list[Row]) -> list[Row]:
    return [row for row in rows if len(row.distinct()) >= 2]


def _detect_columns(rows: list[Row], mapping) -> tuple[int | None, dict[int, str], list[ColumnInfo], int]:
    """Header row, column roles, the ColumnInfo list, and how many header rows there are."""
    header_index, found = _find_header(rows)
    header_rows = 0
    headers: list[str] = []
    body = rows
    if header_index is not None:
        header_rows = 1
        headers = [c.text if not c.merged else "" for c in rows[header_index].cells]
        body = rows[header_index + 1:]
        if body and (second := header_map(body[0])):
            for col, role in second.items():
                if role and not body[0].cells[col].merged and (not found.get(col) or found.get(col) in
                                                                ("lead", "responsible", "cooperating", "task")):
                    found[col] = role
                    headers += [""] * (col + 1 - len(headers))
                    headers[col] = (headers[col] + " " + body[0].cells[col].text).strip()
            header_rows = 2
            body = body[1:]
    width = max((len(r.cells) for r in rows), default=0)
    known = {col: role for col, role in found.items() if role}
    data = _data_rows(body)
    columns = [[row.cells[c].text if c < len(row.cells) and not row.cells[c].merged else "" for row in data]
               for c in range(width)]
    roles = guess_roles(columns, known) if data else dict(known)
    roles, chosen = apply_mapping(roles, headers, width, mapping)
    if not [r for r in roles.values() if r in ("task", "requirement")]:
        task_like = [c for c, r in roles.items() if r in ("note", "ignore") and c not in chosen]
        if task_like and not mapping:
            roles[task_like[0]] = "requirement"
    if "requirement" not in roles.values():
        task_cols = _columns(roles, "task")
        if task_cols:
            roles[task_cols[-1]] = "requirement"
    _longest_text_is_the_requirement(roles, columns, chosen)

    def guessed(c: int) -> bool:
        if c in chosen or roles.get(c, "ignore") == "ignore":
            return False
        exact = exact_role(headers[c] if c < len(headers) else "")
        return c not in known or (exact != roles[c] and not (exact == "task" and roles[c] == "requirement"))

    infos = [ColumnInfo(c, normalize_text(headers[c]) if c < len(headers) else "", roles.get(c, "ignore"),
                        guessed=guessed(c)) for c in range(width)]
    return header_index, {c: r for c, r in roles.items() if r not in ("ignore",)}, infos, header_rows


def _longest_text_is_the_requirement(roles: dict[int, str], columns: list[list[str]], chosen: set[int]) -> None:
    """A "说明" or "事项" column holding by far the longest text is the requirement, whatever its
    header word says; the column taken for the requirement becomes the title."""
    lengths = {c: sum(len(t) for t in texts) / max(sum(1 for t in texts if t.strip()), 1)
               for c, texts in enumerate(columns)}
    if not lengths:
        return
    longest = max(lengths, key=lengths.get)
    requirement = _columns(roles, "requirement")
    best = max((lengths.get(c, 0) for c in requirement), default=0)
    if longest in chosen or roles.get(longest) not in ("note", "ignore", "task") or lengths[longest] < 2 * best + 10:
        return
    for c in requirement:
        if c not in chosen:
            roles[c] = "task"
    roles[longest] = "requirement"


def interpret(rows: list[Row], *, notice: ParsedNotice, year: int | None, mapping=None) -> tuple[
        ParsedNotice, list[ImportIssue], list[ImportIssue], list[ColumnInfo]]:
    """Read the rows of one breakdown table into ``notice`` (whose metadata is already set)."""
    if not _data_rows(rows) and not any(r.distinct() for r in rows):
        raise ImportFailure("表格中没有识别到任何工作任务，请检查表格内容")
    header_index, roles, infos, header_rows = _detect_columns(rows, mapping)
    state = _State(year=year, notice=notice, issue_date=notice.issue_date)
    start = 0 if header_index is None else header_index + header_rows
    for index, row in enumerate(rows[:start]):
        if index < (header_index or 0) and row.distinct():
            state.skipped.append(row.issue("skipped_title", "表头之前的标题行，已跳过"))
        elif index > (header_index or 0):
            state.skipped.append(row.issue("skipped_header_repeat", "第二行表头，已合并"))
    names = {col: ROLE_LABELS[role] for col, role in roles.items()}
    for info in infos:
        if info.guessed:
            shown = f"表头“{info.header}”" if info.header else "无表头"
            state.warnings.append(ImportIssue.at(
                "column_guessed", f"{shown}，按内容识别为“{info.label}”，如有误请指定各列的含义",
                row=(header_index + 1) if header_index is not None else None, column=info.index + 1,
                where=rows[header_index].where if header_index is not None else ""))
    state.number_columns = _columns(roles, "number")
    state.titles_group = _titles_group(rows[start:], roles)
    state.sub_points = _numbers_restart(rows[start:], roles)
    body = rows[start:]
    seen_data = header_index is not None
    for row in body:
        if not row.column_names:
            row.column_names = [names.get(i, "") for i in range(len(row.cells))]
        kind = _classify_row(row, roles)
        if not seen_data and kind == "heading" and _is_title(row):
            state.skipped.append(row.issue("skipped_title", "表格标题行，已跳过"))
            continue
        if kind == "heading" and _is_title(row) and not numbered(normalize_text(row.distinct()[0][1].text), SECTION_RE):
            kind = "title"
        seen_data = seen_data or kind == "item"
        if kind == "blank":
            state.skipped.append(row.issue("skipped_blank", "空行，已跳过"))
        elif kind == "header":
            state.skipped.append(row.issue("skipped_header_repeat", "重复的表头行，已跳过"))
        elif kind == "note":
            state.skipped.append(row.issue("skipped_note", "备注行，已跳过"))
        elif kind == "title":
            state.skipped.append(row.issue("skipped_title", "表格标题行，已跳过"))
        elif kind == "heading":
            _heading(state, row, row.distinct()[0][1].text)
        else:
            _item_row(state, row, roles)
    if not notice.all_tasks():
        raise ImportFailure("表格中没有识别到任何工作任务，请检查表格内容")
    for section in notice.sections:
        section.subsections = [sub for sub in section.subsections if sub.tasks]
    notice.sections = [s for s in notice.sections if s.all_tasks()]
    return notice, state.warnings, state.skipped, infos
