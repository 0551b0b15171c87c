"""Writes of the reports app: lead-unit summaries, the annual-report paragraph, the look-back."""
from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from audit.models import AuditEvent
from audit.trail import audit_event
from core.dates import cn_date
from reports.models import AnnualSummaryText, LeadSummary
from reports.stats import format_pct, year_statistics
from reports.summary import (
    NOT_REPORTED,
    STATUS_DONE,
    STATUS_NOT_APPLICABLE,
    STATUS_UNASSIGNED,
    SUMMARY_ORDER,
    LookbackFilter,
    lookback_queryset,
    scoped_items,
    scoped_notices,
    summary_rows,
    visible_rows_queryset,
)
from tasks.changes import change_set_record, rows_snapshot
from tasks.models import ChangeSet, Item, Notice, Section
from tasks.services import item_sync_assignments, notice_create, notice_doc_number

LOOKBACK_SECTION_TITLE = "回头看整改"
ANNUAL_TEXT_UNFINISHED_LISTED = 10


# ---------------------------------------------------------------- lead-unit summary

def user_leads_item(user, item: Item) -> bool:
    return bool(user.unit_id) and Item.objects.led_by(user.unit_id).filter(pk=item.pk).exists()


def can_write_lead_summary(user, item: Item) -> bool:
    """The office, or a liaison of a unit that leads the item."""
    if not user.is_authenticated:
        return False
    if user.is_office:
        return True
    return user.role == user.Role.LIAISON and user_leads_item(user, item)


@transaction.atomic
def lead_summary_save(*, item: Item, user, text: str, today: datetime.date,
                      expected_version: int | None = None) -> LeadSummary:
    """Save the item's 落实情况汇总; ``expected_version`` guards against overwriting someone else's edit."""
    if not can_write_lead_summary(user, item):
        raise PermissionDenied("只有该事项牵头单位的联络员或公开办管理员可以填写落实情况汇总。")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写落实情况汇总。"})
    summary = LeadSummary.objects.select_for_update().filter(item=item).first()
    if summary is None:
        if expected_version not in (None, 0):
            raise ValidationError("该汇总已被删除，请刷新页面后重新填写（您的修改未保存）。")
        summary = LeadSummary(item=item)
    else:
        if expected_version is not None and expected_version != summary.version:
            raise ValidationError("该汇总已被其他人修改，请刷新页面后重新编辑（您的修改未保存）。")
        summary.version += 1
    summary.text = text
    summary.author = user
    summary.unit = user.unit if user.unit_id else None
    summary.written_on = today
    try:
        with transaction.atomic():  # a savepoint: someone may have created the first summary meanwhile
            summary.save()
    except IntegrityError:
        raise ValidationError("该汇总刚被其他人填写，请刷新页面后重新编辑（您的修改未保存）。") from None
    return summary


def lead_summary_draft(*, item: Item, user) -> str:
    """A draft summary: each visible unit's latest report, one paragraph per unit in the units' fixed order."""
    rows = visible_rows_queryset(user).filter(item=item)
    return "\n".join(f"{r.unit.short_name}：{r.latest_text if r.latest_text is not None else NOT_REPORTED}"
                     for r in rows)


# ---------------------------------------------------------------- annual-report paragraph

def annual_text_draft(*, user, year: int, today: datetime.date, notice: Notice | None = None) -> str:
    """A draft paragraph on how the year's task table was carried out, from the figures and summaries."""
    notices = list(scoped_notices(user, year, notice))
    if not notices:
        return f"{year}年暂无政务公开工作任务分解表。"
    stats = year_statistics(user, year=year, today=today, notice=notice, per_unit=False)
    total = stats.section_total
    issued = "、".join(f"《{n.title}》（{n.doc_number}）" for n in notices)
    parts = [
        f"{year}年，我区印发{issued}，将政务公开重点工作分解为{len(stats.sections)}个方面{total.assigned}项具体任务，"
        f"逐项明确牵头单位、责任单位和完成时限，建立工作台账，定期跟踪调度。"
        f"截至{cn_date(today)}，已完成{total.done}项，其中按期完成{total.done_on_time}项，"
        f"按期完成率{format_pct(total.on_time_rate)}"
        + (f"；{total.not_applicable}项经核实不涉及" if total.not_applicable else "")
        + f"；正在推进{total.pending}项，逾期未完成{total.overdue}项。"
    ]
    if stats.sections:
        by_section = "；".join(f"{s.label}共{s.assigned}项，已完成{s.done}项" for s in stats.sections)
        parts.append(f"分方面看：{by_section}。")
    # The summary's items in its order, their statuses from the statistics' grouped query; only the listed ones read in full.
    statuses = stats.item_status
    unfinished = [pk for pk in scoped_items(user, year, notice).order_by(*SUMMARY_ORDER).values_list("pk", flat=True)
                  if statuses.get(pk, STATUS_UNASSIGNED) not in (STATUS_DONE, STATUS_NOT_APPLICABLE)]
    if unfinished:
        listed = "；".join(
            f"第{r.number}项“{_short(r.text)}”（{'牵头单位：' + r.lead_units + '，' if r.lead_units else ''}{r.status}）"
            for r in summary_rows(user, year=year, today=today, notice=notice,
                                  item_ids=unfinished[:ANNUAL_TEXT_UNFINISHED_LISTED])
            if r.kind == "item")
        more = f"等{len(unfinished)}项" if len(unfinished) > ANNUAL_TEXT_UNFINISHED_LISTED else ""
        parts.append(
            f"尚未完成的任务有：{listed}{more}。下一步，我们将对未完成事项开展“回头看”，逐项分析原因，"
            f"明确整改措施、责任单位和完成时限，纳入{year + 1}年政务公开工作任务分解表跟踪督办，确保整改到位。")
    else:
        parts.append("全年任务均已完成。下一步，我们将巩固工作成果，对照上级要求持续深化政务公开工作。")
    return "\n".join(parts)


def _short(text: str, length: int = 30) -> str:
    first = (text or "").split("\n")[0]
    return first if len(first) <= length else first[:length] + "…"


def annual_text_get(*, year: int, government_id: int | None, notice: Notice | None = None) -> AnnualSummaryText | None:
    """The office's saved text for the year (or the notice) of its government."""
    return AnnualSummaryText.objects.filter(year=year, notice=notice, government_id=government_id).first()


@transaction.atomic
def annual_text_save(*, user, year: int, text: str, notice: Notice | None = None) -> AnnualSummaryText:
    if not user.is_office:
        raise PermissionDenied("只有公开办管理员可以编辑年报文字。")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写年报文字。"})
    if notice is not None and notice.work_year != year:
        raise ValidationError(f"通知“{notice.doc_number}”不属于{year}年。")
    if user.government_id is None or (notice is not None and notice.government_id != user.government_id):
        raise PermissionDenied("只能编辑本级政府的年报文字。")
    record = (AnnualSummaryText.objects.select_for_update()
              .filter(year=year, notice=notice, government_id=user.government_id).first())
    if record is None:
        record = AnnualSummaryText(year=year, notice=notice, government_id=user.government_id)
    record.text = text
    record.updated_by = user
    record.save()
    return record


# ---------------------------------------------------------------- look-back (回头看)

@dataclass
class LookbackResult:
    notice: Notice
    section: Section
    created: list[Item] = field(default_factory=list)
    skipped: list[Item] = field(default_factory=list)


def _new_notice(*, doc_number: str, title: str, work_year: int, user) -> Notice:
    if not (doc_number or "").strip():
        raise ValidationError({"new_doc_number": "请填写新通知的文号。"})
    try:
        notice_doc_number(doc_number, taken_hint="，请直接选择该通知")
    except ValidationError as exc:
        raise ValidationError({"new_doc_number": exc.messages})
    if not (title or "").strip():
        raise ValidationError({"new_title": "请填写新通知的标题。"})
    if user.government_id is None:
        raise ValidationError({"new_doc_number": "请先为账号设置所属政府。"})
    return notice_create(government_id=user.government_id, doc_number=doc_number, title=title.strip(),
                         work_year=work_year, created_by=user)


def _lookback_section(notice: Notice) -> Section:
    from tasks.parsing import int_to_chinese_numeral

    section = Section.objects.filter(notice=notice, parent__isnull=True, title=LOOKBACK_SECTION_TITLE).first()
    if section:
        return section
    top_count = Section.objects.filter(notice=notice, parent__isnull=True).count()
    position = (Section.objects.filter(notice=notice).aggregate(m=Max("position"))["m"] or 0) + 1
    return Section.objects.create(notice=notice, number=int_to_chinese_numeral(top_count + 1),
                                  title=LOOKBACK_SECTION_TITLE, position=position)


@transaction.atomic
def lookback_create(*, user, from_year: int, item_ids: list[int] | None, today: datetime.date,
                    to_notice: Notice | None = None, deadline: datetime.date | None = None,
                    new_doc_number: str = "", new_title: str = "", to_year: int | None = None,
                    all_matching: LookbackFilter | None = None) -> LookbackResult:
    """Carry last year's unfinished items into a notice of this year as rectification items.

    The items are ``item_ids``, or with ``all_matching`` every candidate matching that filter (the look-back
    page's “select all N matching”, resolved here from the same queryset the page counted, not from the page).
    Each new item copies the origin's text and unit cells, links back via ``Item.origin``, sits in the
    notice's section “回头看整改” (created at the end when missing) and is numbered after the notice's
    last item; its ledger rows come from ``item_sync_assignments``. An origin already carried into that
    year is skipped, so running it twice creates nothing new.
    """
    if not user.is_office:
        raise PermissionDenied("只有公开办管理员可以进行回头看整改。")
    candidates = lookback_queryset(user, from_year=from_year, filters=all_matching)
    if all_matching is None:
        ids = {int(i) for i in item_ids or []}
        if not ids:
            raise ValidationError({"items": "请至少选择一项需要整改的事项。"})
        candidates = candidates.filter(pk__in=ids)
        wrong = len(ids) - candidates.count()
        if wrong:
            raise ValidationError({"items": f"所选事项中有{wrong}项不是{from_year}年未完成的事项，请刷新页面后重新选择。"})
    elif not candidates.exists():
        raise ValidationError({"items": f"没有符合条件的{from_year}年未完成事项。"})
    if to_notice is None:
        to_notice = _new_notice(doc_number=new_doc_number, title=new_title, work_year=to_year or from_year + 1,
                                user=user)
    if to_notice.work_year <= from_year:
        raise ValidationError({"to_notice": f"整改事项只能加入{from_year + 1}年及以后的通知。"})
    deadline = deadline or datetime.date(to_notice.work_year, 12, 31)
    if deadline.year < to_notice.work_year:
        raise ValidationError({"deadline": f"整改时限不能早于{to_notice.work_year}年。"})
    # Lock the notice's items so two look-backs cannot take the same numbers.
    list(Notice.objects.select_for_update().filter(pk=to_notice.pk))
    before = rows_snapshot(notices=[to_notice])
    origins = list(candidates)
    carried = set(Item.objects.filter(origin_id__in=[o.pk for o in origins], notice__work_year=to_notice.work_year)
                  .values_list("origin_id", flat=True))
    section = _lookback_section(to_notice)
    number = (to_notice.items.aggregate(m=Max("number"))["m"] or 0)
    result = LookbackResult(notice=to_notice, section=section)
    for origin in origins:  # in the origin table's order
        if origin.pk in carried:
            result.skipped.append(origin)
            continue
        number += 1
        item = Item.objects.create(
            notice=to_notice, section=section, number=number, title=origin.title, requirement=origin.requirement,
            lead_units_text=list(origin.lead_units_text), responsible_units_text=list(origin.responsible_units_text),
            cooperating_units_text=list(origin.cooperating_units_text), deadline=deadline,
            deadline_text="年底前" if deadline == datetime.date(to_notice.work_year, 12, 31) else "", is_ongoing=False,
            origin=origin)
        item_sync_assignments(item=item)
        result.created.append(item)
    change_set_record(notice=to_notice, before=before, kind=ChangeSet.Kind.CARRY, created_by=user)
    return result


# ---------------------------------------------------------------- the public progress page

@transaction.atomic
def notice_page_publish(*, notice: Notice, user, now: datetime.datetime) -> Notice:
    """Publish the notice's public progress page (公开进度页). The audit trail records who and when (a 状态变更
    row on the notice, tasks.auditing); the address stays the same when a withdrawn page is published again."""
    if notice.is_public:
        raise ValidationError("该通知的公开进度页已经发布。")
    notice.public_token = notice.public_token or secrets.token_urlsafe(12)
    notice.public_since, notice.public_by = now, user
    notice.save(update_fields=["public_token", "public_since", "public_by", "updated_at"])
    audit_event(user, AuditEvent.Action.STATE, obj=notice, message=f"发布公开进度页（/gongkai/{notice.public_token}/）",
                changes={"public_page": {"label": "公开进度页", "before": "未发布", "after": "已发布"}})
    return notice


@transaction.atomic
def notice_page_unpublish(*, notice: Notice, user) -> Notice:
    """Withdraw the public progress page: its address answers 404 from now on (recorded like publishing)."""
    if not notice.is_public:
        raise ValidationError("该通知的公开进度页尚未发布。")
    notice.public_since = None
    notice.save(update_fields=["public_since", "updated_at"])
    audit_event(user, AuditEvent.Action.STATE, obj=notice, message="撤回公开进度页（公开地址不再可访问）",
                changes={"public_page": {"label": "公开进度页", "before": "已发布", "after": "未发布"}})
    return notice
