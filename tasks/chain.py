"""The chain of tables (下发 / 分解): an upper office publishes its table to its lower governments, a lower
office derives its own table from it (or links the items of a table it imported itself), and each lower item
keeps a link to the upper item it carries out.

Deriving goes through the import preview (tasks.views.imports): the upper table becomes an import draft, the
office maps the names its own directory does not know, and services.notice_import_with_choices saves the
notice, rewrites the unit cells to this government's names (parsed_rename_units) and links the items
(notice_link_to_upper).
"""
from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from tasks.breakdown import ParsedNotice
from tasks.models import Assignment, Item, Notice
from units.models import Government, Unit, User, normalise_name

_NOTE_RE = re.compile(r"[（(][^（）()]*[）)]$")
# Below this text similarity (share of the shorter text found in the other) and this many shared characters,
# an upper item is not suggested for a lower one.
SUGGEST_MIN_RATIO = 0.45
SUGGEST_MIN_CHARS = 10


def _check_upper(*, lower: Government, upper_notice: Notice) -> None:
    if lower.upper_id is None or upper_notice.government_id != lower.upper_id:
        raise ValidationError(f"“{upper_notice.doc_number}”不是{lower}的上级政府的任务分解表。")


def lower_offices(government: Government):
    """The office admins of the governments directly below ``government``."""
    return User.objects.filter(government__upper=government, role=User.Role.OFFICE_ADMIN, is_active=True)


@transaction.atomic
def notice_publish(*, notice: Notice, today: datetime.date) -> int:
    """下发: make the table visible to the lower governments' offices, which may then derive their own from
    it; each lower office admin gets a message. Returns how many were told. Publishing twice is refused."""
    from tasks.signals import notice_published

    if notice.published_on:
        raise ValidationError(f"“{notice.doc_number}”已于{notice.published_on:%Y年%m月%d日}下发。")
    if not notice.government.lowers.exists():
        raise ValidationError(f"{notice.government}没有下级政府，无需下发。")
    notice.published_on = today
    notice.version += 1
    notice.save(update_fields=["published_on", "version", "updated_at"])
    recipients = list(lower_offices(notice.government))
    notice_published.send(sender=Notice, notice=notice, recipients=recipients)
    return len(recipients)


def parsed_derived_from(upper: Notice) -> ParsedNotice:
    """The upper table as an import draft for a lower government: its sections and items, no 文号 of its own."""
    from tasks.services import notice_to_parsed

    parsed = notice_to_parsed(upper)
    parsed.doc_number = None
    parsed.issuer = None
    parsed.issue_date = None
    parsed.title = f"关于印发{upper.work_year}年政务公开工作主要任务分解表的通知"
    return parsed


def _renamed(text: str, target) -> str:
    name = target.short_name if isinstance(target, Unit) else target.phrase
    note = _NOTE_RE.search(text) if normalise_name(text) != text else None
    return name + (note.group(0) if note else "")


def parsed_rename_units(*, parsed: ParsedNotice, government: Government, mapping: dict) -> None:
    """Rewrite the unit cells of a derived table to the names this government's directory uses
    (市发改委 → 区发改局 once the office has mapped it), keeping a scope note in parentheses."""
    from tasks.services import resolve_name

    for task in parsed.all_tasks():
        for attr in ("lead_units", "responsible_units", "cooperating_units"):
            renamed = []
            for text in getattr(task, attr):
                target = resolve_name(text, mapping, government=government)
                new = _renamed(text, target) if target is not None else text
                if new not in renamed:
                    renamed.append(new)
                    if target is not None and new != text:
                        mapping.setdefault(new, target)
            setattr(task, attr, renamed)


@transaction.atomic
def notice_link_to_upper(*, notice: Notice, upper: Notice, by_number: bool = False) -> int:
    """Record that ``notice`` carries out the upper table ``upper``; with ``by_number`` (a derived copy) link
    each item to the upper item of the same number. Returns how many items were linked."""
    _check_upper(lower=notice.government, upper_notice=upper)
    notice.upper_notice = upper
    notice.version += 1
    notice.save(update_fields=["upper_notice", "version", "updated_at"])
    if not by_number:
        return 0
    uppers = {i.number: i for i in upper.items.all()}
    linked = 0
    for item in notice.items.all():
        if item.number in uppers:
            item.upper_item = uppers[item.number]
            item.save(update_fields=["upper_item", "updated_at"])
            linked += 1
    Assignment.objects.filter(notice=notice, item__upper_item__isnull=False).update(
        upper_government_id=upper.government_id)
    return linked


@transaction.atomic
def item_links_set(*, notice: Notice, upper: Notice, links: dict[int, int | None]) -> int:
    """Set the upper item of each of ``notice``'s items: {item id: upper item id or None}, as the office
    confirmed them. Every upper item must belong to ``upper``. Returns how many items now carry a link."""
    _check_upper(lower=notice.government, upper_notice=upper)
    upper_items = {i.pk: i for i in upper.items.all()}
    items = {i.pk: i for i in notice.items.all()}
    for item_id, upper_id in links.items():
        if item_id not in items:
            raise ValidationError("所选事项不属于本通知。")
        if upper_id is not None and upper_id not in upper_items:
            raise ValidationError(f"第{items[item_id].number}项所选的上级事项不属于“{upper.doc_number}”。")
    if notice.upper_notice_id != upper.pk:
        notice.upper_notice = upper
        notice.version += 1
        notice.save(update_fields=["upper_notice", "version", "updated_at"])
    for item_id, upper_id in links.items():
        item = items[item_id]
        if item.upper_item_id != upper_id:
            item.upper_item_id = upper_id
            item.save(update_fields=["upper_item", "updated_at"])
            Assignment.objects.filter(item=item).update(
                upper_government_id=upper.government_id if upper_id else None)
    return notice.items.filter(upper_item__isnull=False).count()


@dataclass
class LinkSuggestion:
    item: Item
    upper_item: Item | None
    ratio: float


def _text(item: Item) -> str:
    return re.sub(r"\s+", "", f"{item.title}{item.requirement}")


def text_similarity(a: str, b: str) -> tuple[float, int]:
    """How much of the shorter text the longer one contains (difflib's matching blocks of two characters or
    more: single shared characters are noise in Chinese), and how many characters match. A district rewrites
    the city's requirement at its own length, so difflib's own ratio (which punishes the length difference)
    would miss most true pairs."""
    if not a or not b:
        return 0.0, 0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 2)
    return matched / min(len(a), len(b)), matched


def link_suggestions(*, notice: Notice, upper: Notice) -> list[LinkSuggestion]:
    """For each item of ``notice``, the upper item whose text it shares most with, where it shares enough
    (SUGGEST_MIN_RATIO of the shorter text and SUGGEST_MIN_CHARS characters); the office confirms or changes
    each before anything is saved."""
    uppers = [(u, _text(u)) for u in upper.items.order_by("number")]
    result = []
    for item in notice.items.order_by("number"):
        text = _text(item)
        best, best_ratio, best_matched = None, 0.0, 0
        for candidate, candidate_text in uppers:
            ratio, matched = text_similarity(text, candidate_text)
            if ratio > best_ratio:
                best, best_ratio, best_matched = candidate, ratio, matched
        good = best_ratio >= SUGGEST_MIN_RATIO and best_matched >= SUGGEST_MIN_CHARS
        result.append(LinkSuggestion(item=item, upper_item=best if good else None, ratio=round(best_ratio, 2)))
    return result
