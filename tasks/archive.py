"""年度归档: an office closes a work year of its government, and may reopen it.

A closed year's ledger rows keep every figure they had, but are no longer reminded (workflow.reminders),
chased, on anyone's to-do list, or reported on: progress reports and reviews on them are refused
(``ensure_year_open``), for the office too — the archived figures are what the year's annual report
quotes, and a correction goes through reopening, which the audit trail records. The rule "this row's year
is closed" is ``tasks.querysets.closed_year_exists`` (querysets: ``Assignment.objects.in_open_years()``).
"""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.dates import cn_date
from tasks.models import Assignment, ClosedYear

NOTE_MAX = ClosedYear._meta.get_field("note").max_length


def closed_years(government_id: int | None) -> dict[int, ClosedYear]:
    """The government's closed years: {year: ClosedYear}."""
    if government_id is None:
        return {}
    return {c.year: c for c in ClosedYear.objects.filter(government_id=government_id).select_related("closed_by")}


def year_is_closed(government_id: int | None, year: int) -> bool:
    return government_id is not None and ClosedYear.objects.filter(government_id=government_id, year=year).exists()


def closed_message(year: int) -> str:
    return f"{year}年度已归档，不能再报送或审核该年度的落实情况。如需补报，请公开办管理员先重新开放该年度。"


def ensure_year_open(assignment: Assignment) -> None:
    """Refuse a change to a row of a closed year, with the Chinese message every path shows."""
    if year_is_closed(assignment.government_id, assignment.year):
        raise ValidationError(closed_message(assignment.year))


def _check_office(user, government) -> None:
    if not user.is_office:
        raise PermissionDenied("只有公开办管理员可以归档或重新开放年度。")
    if not user.sees_all_governments and user.government_id != government.pk:
        raise PermissionDenied("只能归档本级政府的年度。")


@transaction.atomic
def year_close(*, government, year: int, user, today: datetime.date, note: str = "") -> ClosedYear:
    """Close ``year`` for ``government``. A year not yet over cannot be closed; closing twice is refused."""
    _check_office(user, government)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"归档说明不能超过{NOTE_MAX}字。"})
    if year >= today.year:
        raise ValidationError(f"{year}年度尚未结束，不能归档（只能归档{today.year - 1}年及以前的年度）。")
    existing = ClosedYear.objects.filter(government=government, year=year).first()
    if existing is not None:
        raise ValidationError(f"{year}年度已于{cn_date(timezone.localdate(existing.closed_at))}归档。")
    try:
        with transaction.atomic():
            return ClosedYear.objects.create(government=government, year=year, closed_by=user,
                                             closed_at=timezone.now(), note=note)
    except IntegrityError:
        raise ValidationError(f"{year}年度刚被其他人归档，请刷新页面。") from None


@transaction.atomic
def year_reopen(*, government, year: int, user) -> None:
    """Reopen a closed year: its rows are reminded and editable again. The audit trail keeps the closing."""
    _check_office(user, government)
    closed = ClosedYear.objects.select_for_update().filter(government=government, year=year).first()
    if closed is None:
        raise ValidationError(f"{year}年度未归档，无需重新开放。")
    closed.delete()
