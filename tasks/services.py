"""Writes that touch several models: saving a parsed notice, assigning units, recording progress."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from core.filenames import shorten_filename
from tasks.breakdown import ParsedNotice, ParsedTask
from tasks.changes import change_set_record, rows_snapshot
from tasks.ledger import copied_values, ledger_refresh
from tasks.models import Assignment, ChangeSet, Evidence, Item, Notice, ProgressReport, Section
from tasks.parsing import DocNumber, DocNumberError, parse_doc_number, resolve_deadline
from tasks.signals import review_requested
from units.models import Alias, Unit, UnitGroup, normalise_name

ROLE_RANK = {Assignment.Role.LEAD: 0, Assignment.Role.RESPONSIBLE: 1, Assignment.Role.COOPERATING: 2}
_NOTE_RE = re.compile(r"[（(]([^（）()]*)[）)]$")


@dataclass
class Mention:
    """A unit or group phrase as written in an item's unit cells, resolved where possible."""

    text: str
    role: str
    target: Unit | UnitGroup | None

    @property
    def note(self) -> str:
        match = _NOTE_RE.search(self.text)
        if match and normalise_name(self.text) != self.text:
            return match.group(1)
        return ""


def resolve_name(text: str, mapping: dict | None = None, *, government) -> Unit | UnitGroup | None:
    """The unit or group a name stands for in ``government``: an explicit mapping first, then names and aliases."""
    if mapping and text in mapping:
        return mapping[text]
    return Alias.objects.resolve(text, government)


def item_mentions(item: Item, mapping: dict | None = None) -> list[Mention]:
    mentions = []
    for role, texts in ((Assignment.Role.LEAD, item.lead_units_text),
                        (Assignment.Role.RESPONSIBLE, item.responsible_units_text),
                        (Assignment.Role.COOPERATING, item.cooperating_units_text)):
        for text in texts:
            mentions.append(Mention(text=text, role=role,
                                    target=resolve_name(text, mapping, government=item.notice.government)))
    return mentions


def unresolved_names(texts: list[str], mapping: dict | None = None, *, government) -> list[str]:
    return [t for t in dict.fromkeys(texts) if resolve_name(t, mapping, government=government) is None]


def _desired_assignments(item: Item, mapping: dict | None) -> dict[int, dict]:
    """unit id → the row it should have; the strongest role wins when a unit is named twice."""
    desired: dict[int, dict] = {}
    for mention in item_mentions(item, mapping):
        if mention.target is None:
            raise ValidationError(f"第{item.number}项：无法识别单位“{mention.text}”，请先在单位名录中添加或设为别名。")
        if isinstance(mention.target, UnitGroup):
            units = [u for u in mention.target.members.all() if u.is_active]
            via_group = mention.target
        else:
            units = [mention.target]
            via_group = None
        for unit in units:
            current = desired.get(unit.pk)
            # A unit named directly beats the same unit reached through a group phrase.
            if current and (ROLE_RANK[current["role"]] < ROLE_RANK[mention.role]
                            or (ROLE_RANK[current["role"]] == ROLE_RANK[mention.role] and not current["via_group"])):
                continue
            desired[unit.pk] = {"unit": unit, "role": mention.role, "via_group": via_group,
                                "written_as": mention.text, "scope_note": mention.note}
    return desired


@transaction.atomic
def item_sync_assignments(*, item: Item, mapping: dict | None = None, keep_reported: bool = False) -> list[Assignment]:
    """Make the item's ledger rows match its unit cells and copy the item's, notice's and unit's values
    onto them (tasks.ledger.copied_values). A row that holds reports is never dropped: refused, or kept
    when `keep_reported` (a group membership change must not lose a unit's reports)."""
    desired = _desired_assignments(item, mapping)
    existing = {a.unit_id: a for a in item.assignments.select_related("unit")}
    for unit_id, row in existing.items():
        if unit_id not in desired:
            if row.reports.exists():
                if keep_reported:
                    continue
                raise ValidationError(f"单位“{row.unit}”已报送落实情况，不能从第{item.number}项中移除。")
            row.delete()
    result = []
    for unit_id, spec in desired.items():
        row = existing.get(unit_id) or Assignment(item=item, unit=spec["unit"])
        row.role = spec["role"]
        row.via_group = spec["via_group"]
        row.written_as = spec["written_as"]
        row.scope_note = spec["scope_note"]
        row.notice_id = item.notice_id
        for name, value in copied_values(item, spec["unit"]).items():
            setattr(row, name, value)
        row.save()
        result.append(row)
    return result


def notice_doc_number(text: str, *, exclude_pk=None, taken_hint: str = "") -> DocNumber:
    """THE check of a notice's 文号: parsed (issuer code, year, serial) and not taken by another notice.
    ValidationError with the Chinese reason; `taken_hint` ends the "already exists" message (e.g.
    "，不能重复导入")."""
    try:
        doc = parse_doc_number(text)
    except DocNumberError as exc:
        raise ValidationError(str(exc)) from exc
    if Notice.objects.filter(doc_number=doc.text).exclude(pk=exclude_pk).exists():
        raise ValidationError(f"文号“{doc.text}”的通知已存在{taken_hint}。")
    return doc


def notice_doc_fields(doc: DocNumber) -> dict:
    """The Notice fields a 文号 fills in."""
    return {"doc_number": doc.text, "issuer_code": doc.issuer_code, "doc_year": doc.year, "doc_serial": doc.serial}


@transaction.atomic
def notice_create(*, doc_number: str, taken_hint: str = "", **fields) -> Notice:
    """THE way a notice is created from a 文号 (form, import, look-back): checked, filled in, saved."""
    doc = notice_doc_number(doc_number, taken_hint=taken_hint)
    notice = Notice(**notice_doc_fields(doc), **fields)
    notice.full_clean()
    notice.save()
    return notice


@transaction.atomic
def notice_save(*, notice: Notice, created_by=None) -> Notice:
    """Save a notice's own fields and bring its ledger rows in step (work year, report-back date as the
    due date of items without their own deadline), in the same transaction."""
    before = rows_snapshot(notices=[notice])
    notice.save()
    ledger_refresh(notices=[notice])
    change_set_record(notice=notice, before=before, kind=ChangeSet.Kind.EDIT, created_by=created_by)
    return notice


def _task_to_item(task: ParsedTask, *, notice: Notice, section: Section | None) -> Item:
    return Item.objects.create(
        notice=notice, section=section, number=task.number, title=task.title, requirement=task.requirement,
        lead_units_text=task.lead_units, responsible_units_text=task.responsible_units,
        cooperating_units_text=task.cooperating_units, deadline_text=task.deadline_text, deadline=task.deadline,
        is_ongoing=task.deadline is None and resolve_deadline(task.deadline_text, notice.work_year).ongoing,
    )


@transaction.atomic
def notice_import(*, parsed: ParsedNotice, government, meta: dict | None = None, created_by=None,
                  mapping: dict | None = None, work_year: int | None = None) -> Notice:
    """Save a parsed notice of ``government`` with its sections, items and ledger rows in one transaction;
    unit names resolve in that government's directory."""
    meta = meta or {}
    if not parsed.doc_number:
        raise ValidationError("缺少文号，无法保存通知。")
    doc = notice_doc_number(parsed.doc_number)  # the 文号 is checked before anything else
    if not parsed.all_tasks():
        raise ValidationError("任务分解表中没有任何事项。")
    numbers = [t.number for t in parsed.all_tasks()]
    if len(numbers) != len(set(numbers)):
        raise ValidationError("事项序号有重复。")
    if government is None:
        raise ValidationError("请先为账号设置所属政府，再导入通知。")
    notice = notice_create(
        government=government, doc_number=parsed.doc_number, title=parsed.title or "", issuer=parsed.issuer or "",
        issue_date=parsed.issue_date, work_year=work_year or parsed.year or doc.year,
        recipients=meta.get("recipients", ""), cited_documents=meta.get("cited_documents", []),
        report_back_date=_date_or_none(meta.get("report_back_date")), publicity=meta.get("publicity", ""),
        body=meta.get("body", ""), created_by=created_by,
    )
    position = 0
    for parsed_section in parsed.sections:
        position += 1
        section = Section.objects.create(notice=notice, number=parsed_section.number, title=parsed_section.title,
                                         position=position)
        for task in parsed_section.tasks:
            _task_to_item(task, notice=notice, section=section)
        for parsed_sub in parsed_section.subsections:
            position += 1
            sub = Section.objects.create(notice=notice, parent=section, number=parsed_sub.number,
                                         title=parsed_sub.title, position=position)
            for task in parsed_sub.tasks:
                _task_to_item(task, notice=notice, section=sub)
    for item in notice.items.select_related("notice__government"):
        item_sync_assignments(item=item, mapping=mapping)
    change_set_record(notice=notice, before={}, kind=ChangeSet.Kind.IMPORT, created_by=created_by)
    return notice


def _date_or_none(value):
    if not value:
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def notice_to_parsed(notice: Notice) -> ParsedNotice:
    """The notice as the breakdown-table JSON contract describes it."""
    from tasks.breakdown import ParsedSection, ParsedSubsection

    items_by_section: dict[int | None, list[Item]] = {}
    for item in notice.items.filter(withdrawn_on__isnull=True).order_by("number"):
        items_by_section.setdefault(item.section_id, []).append(item)

    def to_task(item: Item) -> ParsedTask:
        return ParsedTask(number=item.number, title=item.title, requirement=item.requirement,
                          lead_units=list(item.lead_units_text), responsible_units=list(item.responsible_units_text),
                          cooperating_units=list(item.cooperating_units_text), deadline_text=item.deadline_text,
                          deadline=item.deadline)

    sections = list(notice.sections.all())
    parsed_sections = []
    for section in (s for s in sections if s.parent_id is None):
        subs = [s for s in sections if s.parent_id == section.pk]
        parsed_sections.append(ParsedSection(
            number=section.number, title=section.title,
            subsections=[ParsedSubsection(number=s.number, title=s.title,
                                          tasks=[to_task(i) for i in items_by_section.get(s.pk, [])])
                         for s in subs],
            tasks=[to_task(i) for i in items_by_section.get(section.pk, [])],
        ))
    loose = items_by_section.get(None, [])
    if loose:
        parsed_sections.append(ParsedSection(number="", title="", tasks=[to_task(i) for i in loose]))
    return ParsedNotice(doc_number=notice.doc_number, year=notice.work_year, issuer=notice.issuer or None,
                        issue_date=notice.issue_date, title=notice.title or None, sections=parsed_sections)


@transaction.atomic
def progress_record(*, assignment: Assignment, author, text: str, status: str, reported_on: datetime.date,
                    links: list[str] | None = None, files: list | None = None, na_reason: str = "",
                    completed_on: datetime.date | None = None, submit_for_review: bool = False,
                    corrects: ProgressReport | None = None,
                    shared_evidence: list[Evidence] | None = None) -> ProgressReport:
    """Record a progress report and move the ledger row to the status it reports.

    submit_for_review (set by progress_submit, the path users take): a done-claim waits for
    review; the row becomes 待审核 and counts as done only once accepted. A report made while the latest
    one waits for review or was returned is a correction of it: a new version linked to it, both kept.
    shared_evidence: files already stored for another row's report of the same submission (progress_submit_many),
    attached to this report too without copying them.
    """
    from tasks.archive import ensure_year_open

    ensure_year_open(assignment)
    if status == Assignment.Status.NOT_APPLICABLE and not na_reason.strip():
        raise ValidationError({"na_reason": "选择“不涉及”时必须说明理由。"})
    if not text.strip() and status != Assignment.Status.NOT_APPLICABLE:
        raise ValidationError({"text": "请填写落实情况。"})
    evidence_check(assignment=assignment, status=status, has_new_evidence=bool(links or files or shared_evidence))
    latest = assignment.reports.order_by("-id").first()
    open_review = (ProgressReport.Review.PENDING, ProgressReport.Review.RETURNED)
    if corrects is None and latest is not None and latest.review_status in open_review:
        corrects = latest
    if latest is not None and latest.review_status == ProgressReport.Review.PENDING:
        latest.review_status = ProgressReport.Review.SUPERSEDED
        latest.save(update_fields=["review_status"])
    pending = submit_for_review and status == Assignment.Status.DONE
    done_on = (completed_on or reported_on) if status == Assignment.Status.DONE else None
    report = ProgressReport.objects.create(
        assignment=assignment, author=author, reported_on=reported_on,
        text=text.strip() or f"不涉及：{na_reason.strip()}", resulting_status=status, completed_on=done_on,
        corrects=corrects,
        review_status=ProgressReport.Review.PENDING if pending else ProgressReport.Review.NOT_REQUIRED,
    )
    url_limit = Evidence._meta.get_field("url").max_length
    for url in links or []:
        if len(url) > url_limit:
            raise ValidationError({"links": f"佐证链接不能超过 {url_limit} 个字符：“{url[:60]}…”。"})
        Evidence.objects.create(report=report, url=url)
    evidence_save_files(report=report, files=files or [])
    for evidence in shared_evidence or []:
        Evidence.objects.create(report=report, file=evidence.file.name, original_name=evidence.original_name,
                                size=evidence.size, content_type=evidence.content_type)
    assignment.status = Assignment.Status.PENDING_REVIEW if pending else status
    assignment.last_reported_on = reported_on
    assignment.na_reason = na_reason.strip() if status == Assignment.Status.NOT_APPLICABLE else ""
    assignment.completed_on = None if pending else done_on
    assignment.return_reason = ""
    assignment.version += 1
    assignment.save()
    return report


def evidence_check(*, assignment: Assignment, status: str, has_new_evidence: bool) -> None:
    """THE evidence rule: optional, unless the office requires it on the item (Item.evidence_required); then a
    done-claim needs a file or link, in this report or an earlier one on the row (nothing is asked twice)."""
    item = assignment.item
    if (status != Assignment.Status.DONE or not item.evidence_required or has_new_evidence
            or Evidence.objects.filter(report__assignment=assignment).exists()):
        return
    raise ValidationError({"files": f"第{item.number}项要求上传佐证：{item.evidence_reason}。"
                                    "标记“已完成”时请上传佐证文件或填写佐证链接。"})


@transaction.atomic
def progress_submit(*, assignment: Assignment, author, status: str, **fields) -> ProgressReport:
    """A user's progress report: a done-claim by anyone who may not review the row waits for review, and
    tasks.signals.review_requested tells the workflow app (which notifies the reviewers)."""
    needs_review = (status == Assignment.Status.DONE
                    and not Assignment.objects.reviewable_by(author).filter(pk=assignment.pk).exists())
    report = progress_record(assignment=assignment, author=author, status=status, submit_for_review=needs_review,
                             **fields)
    if needs_review:
        review_requested.send(sender=ProgressReport, report=report, assignment=assignment)
    return report


@transaction.atomic
def progress_submit_many(*, assignments: list[Assignment], author, status: str, files: list | None = None,
                         links: list[str] | None = None, **fields) -> list[ProgressReport]:
    """Report once for several rows of one unit with the same 工作要求 (填报一次，同步到相同要求的事项): one
    progress report per row, all or none. The uploads are stored once, on the first row's report, and the
    other reports point at the same stored files; links are repeated on each. Each report is audited and
    reviewed as if submitted on its own (progress_submit)."""
    first = assignments[0]
    for other in assignments[1:]:
        if other.unit_id != first.unit_id or other.item.requirement.strip() != first.item.requirement.strip():
            raise ValidationError(f"第{other.item_number}项不是本单位工作要求相同的事项，不能同时填报。")
        if other.is_closed():
            raise ValidationError(f"第{other.item_number}项已{other.status_display}，不能同时填报。")
    has_evidence = bool(links or files)
    for row in assignments:  # every row's requirement before anything is written
        evidence_check(assignment=row, status=status, has_new_evidence=has_evidence)
    reports = [progress_submit(assignment=first, author=author, status=status, links=links, files=files, **fields)]
    stored = list(reports[0].evidence.filter(url=""))
    try:
        for row in assignments[1:]:
            reports.append(progress_submit(assignment=row, author=author, status=status, links=links, files=[],
                                           shared_evidence=stored, **fields))
    except BaseException:
        for evidence in stored:  # the transaction drops the rows; drop the files written for them too
            evidence.file.storage.delete(evidence.file.name)
        raise
    return reports


def evidence_save_files(*, report: ProgressReport, files: list) -> list[Evidence]:
    """Store the uploads as the report's evidence, all or nothing: when one fails (a name the file system
    refuses, a full disk, a database error) the files already written are removed and nothing is kept;
    the caller's transaction rolls the rows back. A storage failure becomes a Chinese ValidationError."""
    name_limit = Evidence._meta.get_field("original_name").max_length
    written: list[tuple] = []
    saved = []
    try:
        for upload in files:
            evidence = Evidence(report=report, original_name=shorten_filename(upload.name, max_chars=name_limit),
                                size=upload.size, content_type=(getattr(upload, "content_type", "") or "")[:100])
            try:
                evidence.file.save(upload.name, upload, save=False)
            except OSError as exc:
                raise ValidationError(f"文件“{evidence.original_name}”保存失败（{exc.strerror or '存储错误'}），"
                                      "本次填报的文件均未保存，请稍后重试或联系管理员。") from exc
            written.append((evidence.file.storage, evidence.file.name))
            evidence.save()
            saved.append(evidence)
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    return saved


# ---------------------------------------------------------------- import: unknown unit names (issue 3)
# The import preview asks the office what each unknown name stands for; these functions carry out the
# answers and remember them as aliases, inside the same transaction as the notice itself.

@dataclass
class NameChoice:
    """The office's answer for one unknown unit name (all spellings sharing one lookup form)."""

    texts: list[str]                      # the spellings as the table writes them
    action: str                           # "map" | "unit" | "group"
    target: Unit | UnitGroup | None = None  # "map": the existing unit or group
    name: str = ""                        # "unit": full name
    short_name: str = ""                  # "unit": short name
    kind: str = Unit.Kind.DEPARTMENT      # "unit": kind
    members: tuple[Unit, ...] = ()        # "group": member units

    @property
    def key(self) -> str:
        return normalise_name(self.texts[0]) if self.texts else ""


def alias_remember(*, text: str, target: Unit | UnitGroup) -> Alias | None:
    """Remember ``text`` (as written) as another name of ``target`` in its government; None where it already is
    its name."""
    key = normalise_name(text)
    if not key:
        return None
    is_unit = isinstance(target, Unit)
    if (is_unit and key in (target.name, target.short_name)) or (not is_unit and key == target.phrase):
        return None
    current = Alias.objects.resolve(key, target.government)
    if current is not None:
        if current == target:
            return None
        raise ValidationError(f"写法“{key}”已对应“{current}”，不能再对应“{target}”。")
    return Alias.objects.create(government_id=target.government_id, text=key, unit=target if is_unit else None,
                                group=None if is_unit else target)


def name_choice_apply(*, choice: NameChoice, government) -> Unit | UnitGroup:
    """Create the unit or group the choice asks for in ``government`` (or take the existing one) and remember
    the spellings there."""
    key = choice.key
    if choice.action == "map":
        if choice.target is None:
            raise ValidationError(f"请为“{key}”选择对应的单位或单位组。")
        if choice.target.government_id != government.pk:
            raise ValidationError(f"“{choice.target}”不是本级政府的单位或单位组。")
        target = choice.target
    elif choice.action == "unit":
        name, short_name = choice.name.strip() or key, choice.short_name.strip() or key
        clash = Unit.objects.filter(Q(name__in=[name, short_name]) | Q(short_name__in=[name, short_name]),
                                    government=government).first()
        if clash:
            raise ValidationError(f"单位“{clash.name}”（简称“{clash.short_name}”）已存在，"
                                  f"请将“{key}”对应到该单位，或换一个名称。")
        if choice.kind not in Unit.Kind.values:
            raise ValidationError(f"新建单位“{name}”的类别无效。")
        target = Unit.objects.create(government=government, name=name, short_name=short_name, kind=choice.kind)
    elif choice.action == "group":
        if not choice.members:
            raise ValidationError(f"请为泛称“{key}”选择至少一个成员单位。")
        if any(m.government_id != government.pk for m in choice.members):
            raise ValidationError(f"泛称“{key}”的成员单位必须是本级政府的单位。")
        if UnitGroup.objects.filter(phrase=key, government=government).exists():
            raise ValidationError(f"单位组“{key}”已存在。")
        target = UnitGroup.objects.create(government=government, phrase=key, description="导入分解表时新建")
        target.members.set(choice.members)
    else:
        raise ValidationError(f"请为“{key}”选择处理方式。")
    for text in choice.texts:
        alias_remember(text=text, target=target)
    return target


@transaction.atomic
def notice_import_with_choices(*, parsed: ParsedNotice, government, choices: list[NameChoice],
                               meta: dict | None = None, created_by=None, work_year: int | None = None,
                               upper_notice: Notice | None = None) -> Notice:
    """Carry out the choices for unknown names, then save the notice: all or nothing.

    With ``upper_notice`` the notice is derived from the upper government's table (下发 / 分解): the unit
    cells are rewritten to this government's own names and each item is linked to the upper item it copies.
    """
    mapping: dict[str, Unit | UnitGroup] = {}
    for choice in choices:
        target = name_choice_apply(choice=choice, government=government)
        mapping.update({text: target for text in choice.texts})
    if upper_notice is not None:
        from tasks.chain import parsed_rename_units

        parsed_rename_units(parsed=parsed, government=government, mapping=mapping)
    notice = notice_import(parsed=parsed, government=government, meta=meta, created_by=created_by, mapping=mapping,
                           work_year=work_year)
    if upper_notice is not None:
        from tasks.chain import notice_link_to_upper

        notice_link_to_upper(notice=notice, upper=upper_notice, by_number=True)
    return notice




# ---------------------------------------------------------------- re-import (issue 11)

_RENUMBER_OFFSET = 1_000_000


def _item_from_task(item: Item, task: ParsedTask, *, work_year: int) -> None:
    item.number, item.title, item.requirement = task.number, task.title, task.requirement
    item.lead_units_text, item.responsible_units_text = task.lead_units, task.responsible_units
    item.cooperating_units_text, item.deadline_text, item.deadline = (task.cooperating_units, task.deadline_text,
                                                                      task.deadline)
    item.is_ongoing = task.deadline is None and resolve_deadline(task.deadline_text, work_year).ongoing


def _reimport_sections(notice: Notice, parsed: ParsedNotice) -> dict[int, Section]:
    """Bring the notice's sections in line with the parsed table, matched by their numbers; returns
    id(parsed task) → its section. Sections no item uses any more (withdrawn ones included) go."""
    existing = {(s.parent.number if s.parent_id else None, s.number): s
                for s in notice.sections.select_related("parent")}
    kept, where = set(), {}
    position = 0

    def take(parent: Section | None, number: str, title: str) -> Section:
        nonlocal position
        position += 1
        section = existing.get((parent.number if parent else None, number))
        if section is None or section.pk in kept:
            section = Section(notice=notice)
        section.parent, section.number, section.title, section.position = parent, number, title, position
        section.save()
        kept.add(section.pk)
        return section

    for parsed_section in parsed.sections:
        section = take(None, parsed_section.number, parsed_section.title)
        where.update({id(t): section for t in parsed_section.tasks})
        for parsed_sub in parsed_section.subsections:
            sub = take(section, parsed_sub.number, parsed_sub.title)
            where.update({id(t): sub for t in parsed_sub.tasks})
    in_use = set(notice.items.filter(withdrawn_on__isnull=False).values_list("section_id", flat=True))
    for section in existing.values():
        if section.pk not in kept and section.pk not in in_use and not section.subsections.exclude(
                pk__in=[s.pk for s in existing.values() if s.pk not in kept and s.pk not in in_use]).exists():
            section.delete()
    return where


@transaction.atomic
def notice_reimport(*, notice: Notice, parsed: ParsedNotice, today: datetime.date, choices: list | None = None,
                    meta: dict | None = None, work_year: int | None = None, created_by=None):
    """Update a stored notice to a re-imported table, all or nothing; returns the NoticeDiff applied.

    Unchanged items and the ledger rows of units still named keep their progress; changed items are
    rewritten in place (their rows re-synced, a unit that reported keeps its row); removed items are
    deleted, or kept as withdrawn (撤销, ``withdrawn_on``) when a unit reported on them; added items get
    their rows. Ends with THE ledger recompute (tasks.ledger.ledger_refresh) for the whole notice."""
    from tasks.reimport import notice_diff

    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    before = rows_snapshot(notices=[notice])
    numbers = [t.number for t in parsed.all_tasks()]
    if not numbers:
        raise ValidationError("任务分解表中没有任何事项。")
    if len(numbers) != len(set(numbers)):
        raise ValidationError("事项序号有重复。")
    meta = dict(meta or {})
    mapping: dict[str, Unit | UnitGroup] = {}
    for choice in choices or []:
        target = name_choice_apply(choice=choice, government=notice.government)
        mapping.update({text: target for text in choice.texts})
    fields = {"title": parsed.title, "issuer": parsed.issuer, "issue_date": parsed.issue_date,
              "work_year": work_year, "report_back_date": _date_or_none(meta.get("report_back_date"))}
    diff = notice_diff(notice, parsed, meta=fields)
    for name, value in fields.items():
        if value not in (None, ""):
            setattr(notice, name, value)
    if meta.get("cited_documents"):
        notice.cited_documents = meta["cited_documents"]
    notice.version += 1
    notice.full_clean(exclude=["doc_number"])
    notice.save()
    where = _reimport_sections(notice, parsed)
    for change in diff.removed:
        if change.has_progress:
            change.old.withdrawn_on = today
            change.old.version += 1
            change.old.save(update_fields=["withdrawn_on", "version", "updated_at"])
        else:
            change.old.delete()
    matched = [c for c in diff.changes if c.kind in ("changed", "same")]
    moving = [c.old for c in matched if c.old.number != c.new.number]
    for item in moving:  # free the numbers first: (notice, number) is unique among current items
        Item.objects.filter(pk=item.pk).update(number=item.number + _RENUMBER_OFFSET)
    for change in matched:
        item = change.old
        section = where.get(id(change.new))
        if change.kind == "same" and item.section_id == getattr(section, "pk", None):
            continue
        _item_from_task(item, change.new, work_year=notice.work_year)
        item.section = section
        item.version += 1
        item.notice = notice
        item.save()
        if change.units_added or change.units_removed or change.kind == "changed":
            item_sync_assignments(item=item, mapping=mapping, keep_reported=True)
    for change in diff.added:
        item = _task_to_item(change.new, notice=notice, section=where.get(id(change.new)))
        item_sync_assignments(item=item, mapping=mapping)
    ledger_refresh(notices=[notice])
    change_set_record(notice=notice, before=before, kind=ChangeSet.Kind.REIMPORT, created_by=created_by)
    return diff
