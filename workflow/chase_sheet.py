"""督办通知单 (催办单): one chase of one unit as a Word document in 公文 layout, to print or to send.

``chase_sheet(chase, user=…, today=…)`` gathers what the sheet says from the database (the chases of the
same round: same unit, day, author and message, as far as the user may see them); ``build_chase_document``
is pure and turns that into a python-docx Document through ``core.docx``:

    督办通知单 (title)
    <unit's full name>：
        截至<chase date>，你单位以下N项任务已超过完成时限（逾期天数按工作日计算）：
    [序号 | 文件 | 事项 | 工作任务 | 完成时限 | 逾期工作日 | 当前状态]   header row repeated on every page
        <the chase's message>
        请于<requested date>前完成，并在系统中报送落实情况和佐证材料。
                                                                   <office's name>
                                                                   2026年11月29日

Days overdue are working days on the day of the chase (``workflow.calendar.days_overdue``); the requested
date defaults to ``REPLY_WORKING_DAYS`` working days after the chase.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.dates import cn_date
from core.docx import cell_text, gongwen_document, paragraph, title
from workflow.calendar import WorkCalendar, add_working_days, days_overdue
from workflow.models import Chase

REPLY_WORKING_DAYS = 5
TITLE = "督办通知单"
COLUMNS = [("序号", 12), ("文件", 26), ("事项", 14), ("工作任务", 42), ("完成时限", 22), ("逾期工作日", 22),
           ("当前状态", 18)]  # widths in mm (each holds its header on one line beside Word's 1.9 mm cell margins): 156 mm, the type
# area of A4 with the margins of GB/T 9704


@dataclass
class SheetLine:
    doc_number: str
    item_number: int
    task: str
    deadline: str
    days_overdue: int
    status: str


@dataclass
class ChaseSheetData:
    unit_name: str
    office_name: str
    message: str
    chased_on: datetime.date
    reply_by: datetime.date
    lines: list[SheetLine] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"督办通知单_{self.unit_name}_{self.chased_on:%Y%m%d}.docx"


def office_name(chase: Chase) -> str:
    """Who signs: the chasing government's 政府办, else the author's unit, else the government's name."""
    author = chase.created_by
    government = getattr(author, "government", None) if author else None
    if government is None and author is not None and author.unit_id:
        government = author.unit.government
    if government is not None and government.office_unit_id:
        return government.office_unit.name
    if author is not None and author.unit_id:
        return author.unit.name
    return f"{government.name}办公室" if government is not None else ""


def round_of(chase: Chase, chases):
    """The chases sent with ``chase`` (one round: same unit, day, author and message), from ``chases``."""
    return (chases.filter(unit_id=chase.unit_id, created_on=chase.created_on, created_by_id=chase.created_by_id,
                          message=chase.message)
            .select_related("assignment__notice", "item__notice")
            .order_by("assignment__notice__doc_number", "item__number", "id"))


def default_reply_by(chased_on: datetime.date, *, calendar: WorkCalendar | None = None) -> datetime.date:
    """THE requested date a sheet proposes: REPLY_WORKING_DAYS working days after the chase."""
    return add_working_days(chased_on, REPLY_WORKING_DAYS, calendar=calendar or WorkCalendar())


def chase_sheet(chase: Chase, *, chases, reply_by: datetime.date | None = None) -> ChaseSheetData:
    """What the 督办通知单 of ``chase`` says; ``chases`` is the user's visible chases (the scope)."""
    calendar = WorkCalendar()
    lines = []
    for c in round_of(chase, chases):
        row = c.assignment
        item = c.item
        if row is not None:
            deadline = "持续推进" if row.is_ongoing else cn_date(c.due_date or row.due_date)
            status = row.status_display
            doc_number = row.notice.doc_number
        else:  # a lower government chased on an upper item
            deadline = item.deadline_display or cn_date(c.due_date)
            status = "—"
            doc_number = item.notice.doc_number
        late = days_overdue(c.due_date, c.created_on, calendar=calendar) if c.due_date else 0
        lines.append(SheetLine(doc_number=doc_number, item_number=item.number, task=item.short_text,
                               deadline=deadline, days_overdue=late, status=status))
    return ChaseSheetData(unit_name=chase.unit.name, office_name=office_name(chase), message=chase.message,
                          chased_on=chase.created_on, lines=lines,
                          reply_by=reply_by or default_reply_by(chase.created_on, calendar=calendar))


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def _no_split(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def build_chase_document(sheet: ChaseSheetData):
    """The 督办通知单 as a python-docx Document (pure)."""
    doc = gongwen_document()
    doc.core_properties.title = f"{TITLE}（{sheet.unit_name}）"
    doc.core_properties.author = sheet.office_name
    title(doc, TITLE)
    paragraph(doc, "")
    paragraph(doc, f"{sheet.unit_name}：", indent=False)
    paragraph(doc, f"截至{cn_date(sheet.chased_on)}，你单位以下{len(sheet.lines)}项任务已超过完成时限"
                   "（逾期天数按工作日计算）：")

    table = doc.add_table(rows=1 + len(sheet.lines), cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, (_name, width) in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), COLUMNS, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    layout = OxmlElement("w:tblLayout")  # Word and LibreOffice keep the grid's widths
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, (_name, width) in zip(row.cells, COLUMNS, strict=True):
            cell.width = Mm(width)
        _no_split(row)
    _repeat_header(table.rows[0])
    for cell, (name, _width) in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell_text(cell, name, bold=True)
    for index, line in enumerate(sheet.lines, start=1):
        values = [index, line.doc_number, f"第{line.item_number}项", line.task, line.deadline, line.days_overdue,
                  line.status]
        for col, (cell, value) in enumerate(zip(table.rows[index].cells, values, strict=True)):
            cell_text(cell, value, align=WD_ALIGN_PARAGRAPH.LEFT if col == 3 else WD_ALIGN_PARAGRAPH.CENTER)

    for text in [p.strip() for p in sheet.message.splitlines() if p.strip()]:
        paragraph(doc, text)
    paragraph(doc, f"请于{cn_date(sheet.reply_by)}前完成，并在系统中报送落实情况和佐证材料。")
    paragraph(doc, "")
    for text in (sheet.office_name, cn_date(sheet.chased_on)):
        signature = paragraph(doc, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        signature.paragraph_format.right_indent = Pt(16 * 4)  # 右空四字 (GB/T 9704 7.3.5.1)
    return doc
