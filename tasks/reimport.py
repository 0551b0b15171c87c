"""What a re-imported table changes in the stored notice: items added, changed, removed; units added,
removed. Read-only: the preview and ``import_breakdown`` show it, ``services.notice_reimport`` applies it.

Items are matched in three passes: by their text (工作任务 + 工作要求, so a renumbered item is the same
item); what is left by number where the text is still much alike (an edited item); then by the most alike
text (an edited and renumbered item). An item whose text has nothing in common with the stored one of its
number is a new item, never the old one with its progress. Stored items left over are removed — withdrawn
(撤销) where a unit reported on them, deleted otherwise; parsed items left over are added.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from tasks.breakdown import ParsedNotice, ParsedTask
from tasks.models import Item, Notice, ProgressReport
from tasks.parsing import DocNumberError, parse_doc_number

ROLE_FIELDS = (("牵头", "lead_units", "lead_units_text"), ("责任", "responsible_units", "responsible_units_text"),
               ("配合", "cooperating_units", "cooperating_units_text"))
FIELD_LABELS = (("number", "序号"), ("title", "工作任务"), ("requirement", "工作要求"), ("deadline_text", "时限"),
                ("deadline", "完成日期"))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _content_key(title: str, requirement: str) -> tuple[str, str]:
    return _flat(title), _flat(requirement)


SAME_NUMBER_ALIKE = 0.5   # an item of the same number is the edited old one from this much alike
ANY_NUMBER_ALIKE = 0.75   # an item of another number is the edited old one from this much alike


def alike(item: Item, task: ParsedTask) -> float:
    """How alike two items' texts are, 0..1."""
    return SequenceMatcher(None, _flat(item.title + item.requirement), _flat(task.title + task.requirement),
                           autojunk=False).ratio()


@dataclass
class ItemChange:
    kind: str                         # "added" | "changed" | "removed" | "same"
    old: Item | None = None
    new: ParsedTask | None = None
    fields: list[str] = field(default_factory=list)          # labels of the changed fields
    units_added: list[str] = field(default_factory=list)     # "牵头：区发改局"
    units_removed: list[str] = field(default_factory=list)
    has_progress: bool = False        # units reported on the stored item (removed → withdrawn, not deleted)

    @property
    def number(self) -> int:
        return self.new.number if self.new is not None else self.old.number

    @property
    def text(self) -> str:
        source = self.new if self.new is not None else self.old
        return source.title or (source.requirement or "")[:60]

    @property
    def summary(self) -> str:
        """One Chinese line: "第3项（原第4项）：工作要求、时限有变化；新增单位 牵头：区发改局"."""
        head = f"第{self.number}项"
        if self.kind == "changed" and self.old.number != self.new.number:
            head += f"（原第{self.old.number}项）"
        if self.kind == "added":
            return f"{head}：新增“{self.text}”"
        if self.kind == "removed":
            tail = "，已有落实情况，将保留并标记为撤销" if self.has_progress else "，将删除"
            return f"{head}：新表中已没有“{self.text}”{tail}"
        parts = []
        shown = [f for f in self.fields if f != "序号"]
        if shown:
            parts.append("、".join(shown) + "有变化")
        elif "序号" in self.fields:
            parts.append("序号有变化")
        if self.units_added:
            parts.append("新增单位 " + "、".join(self.units_added))
        if self.units_removed:
            parts.append("去掉单位 " + "、".join(self.units_removed))
        return f"{head}：" + "；".join(parts)


@dataclass
class NoticeDiff:
    notice: Notice
    changes: list[ItemChange]
    meta_changes: list[str] = field(default_factory=list)  # "标题", "报送截止" …

    def of_kind(self, kind: str) -> list[ItemChange]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def added(self):
        return self.of_kind("added")

    @property
    def changed(self):
        return self.of_kind("changed")

    @property
    def removed(self):
        return self.of_kind("removed")

    @property
    def unchanged_count(self) -> int:
        return len(self.of_kind("same"))

    @property
    def withdrawn(self):
        return [c for c in self.removed if c.has_progress]

    @property
    def units_added(self) -> list[str]:
        return list(dict.fromkeys(u for c in self.changes for u in c.units_added))

    @property
    def units_removed(self) -> list[str]:
        return list(dict.fromkeys(u for c in self.changes for u in c.units_removed))

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.meta_changes)

    def lines(self) -> list[str]:
        """The diff as the command prints it, one Chinese line each."""
        out = [f"文号“{self.notice.doc_number}”的通知已存在：新增 {len(self.added)} 项，修改 {len(self.changed)} 项，"
               f"删除 {len(self.removed)} 项（其中 {len(self.withdrawn)} 项已有落实情况，保留为撤销），"
               f"未变 {self.unchanged_count} 项。"]
        if self.meta_changes:
            out.append("通知信息有变化：" + "、".join(self.meta_changes))
        out += [c.summary for c in self.changes if c.kind != "same"]
        return out


def _unit_mentions(source, attrs: int) -> list[str]:
    return [f"{label}：{text}" for label, parsed_attr, item_attr in ROLE_FIELDS
            for text in getattr(source, (parsed_attr, item_attr)[attrs])]


def compare_item(old: Item, new: ParsedTask) -> ItemChange:
    fields = [label for name, label in FIELD_LABELS
              if (_flat(str(getattr(old, name) or "")) != _flat(str(getattr(new, name) or "")))]
    before, after = _unit_mentions(old, 1), _unit_mentions(new, 0)
    added = [u for u in after if u not in before]
    removed = [u for u in before if u not in after]
    kind = "changed" if fields or added or removed else "same"
    return ItemChange(kind, old=old, new=new, fields=fields, units_added=added, units_removed=removed)


def reported_item_ids(notice: Notice) -> set[int]:
    return set(ProgressReport.objects.filter(assignment__notice=notice).values_list("assignment__item_id", flat=True))


META_FIELDS = (("title", "标题"), ("issuer", "发文机关"), ("issue_date", "成文日期"), ("work_year", "工作年度"),
               ("report_back_date", "报送截止"))


def notice_diff(notice: Notice, parsed: ParsedNotice, *, meta: dict | None = None) -> NoticeDiff:
    """How ``parsed`` differs from the stored ``notice`` (its current, not withdrawn, items). ``meta``:
    the notice fields the import would set ({"title": …, "report_back_date": date …}); only the ones given
    are compared."""
    old_items = list(notice.items.filter(withdrawn_on__isnull=True).order_by("number"))
    reported = reported_item_ids(notice)
    new_tasks = parsed.all_tasks()
    pairs: dict[int, Item] = {}  # index in new_tasks → stored item
    by_content: dict[tuple, list[Item]] = {}
    for item in old_items:
        by_content.setdefault(_content_key(item.title, item.requirement), []).append(item)
    for index, task in enumerate(new_tasks):
        found = by_content.get(_content_key(task.title, task.requirement))
        if found:
            pairs[index] = found.pop(0)
    used = {item.pk for item in pairs.values()}
    by_number = {item.number: item for item in old_items if item.pk not in used}
    for index, task in enumerate(new_tasks):
        if index not in pairs and task.number in by_number and alike(by_number[task.number], task) >= SAME_NUMBER_ALIKE:
            pairs[index] = by_number.pop(task.number)
    used = {item.pk for item in pairs.values()}
    left = [item for item in old_items if item.pk not in used]
    scored = sorted(((alike(item, task), index, item) for index, task in enumerate(new_tasks) if index not in pairs
                     for item in left), key=lambda s: -s[0])
    for score, index, item in scored:
        if score >= ANY_NUMBER_ALIKE and index not in pairs and item.pk not in used:
            pairs[index] = item
            used.add(item.pk)
    changes = []
    for index, task in enumerate(new_tasks):
        if index in pairs:
            changes.append(compare_item(pairs[index], task))
        else:
            changes.append(ItemChange("added", new=task, units_added=_unit_mentions(task, 0)))
    for item in old_items:
        if item.pk not in used:
            changes.append(ItemChange("removed", old=item, units_removed=_unit_mentions(item, 1),
                                      has_progress=item.pk in reported))
    changes.sort(key=lambda c: (c.number, c.kind == "removed"))
    meta_changes = [label for name, label in META_FIELDS
                    if meta and name in meta and meta[name] not in (None, "")
                    and str(meta[name]) != str(getattr(notice, name) or "")]
    return NoticeDiff(notice=notice, changes=changes, meta_changes=meta_changes)


def existing_notice(doc_number: str | None, *, user=None) -> Notice | None:
    """The stored notice with this 文号 (normalised as every 文号 is), if any; with ``user``, only one that
    user may see (Notice.objects.visible_to)."""
    if not doc_number:
        return None
    try:
        text = parse_doc_number(doc_number).text
    except DocNumberError:
        return None
    notices = Notice.objects.visible_to(user) if user is not None else Notice.objects.all()
    return notices.filter(doc_number=text).first()
