"""Every QuerySet of the tasks models, side by side: THE visibility and permission rules (visible_to,
editable_by, reviewable_by, countable_by), "items my unit leads" (led_by) and "overdue" (overdue / overdue_q).

Every list, page and export starts from `visible_to(user)`.

Several governments share one install: a unit's users see their unit's rows; a government's office and
leaders see their government; an upper government's office sees, for its own tables, its lower governments'
progress — rows only where the lower government shares details (Government.shares_details), otherwise only
the roll-up (countable_by); never another branch. A superuser without a government (the install's operator)
sees everything."""
import datetime

from django.db import connection, models
from django.db.models import BooleanField, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from core.subqueries import any_of

# Statuses of a closed row (done or 不涉及): neither overdue nor reminded. Values of Assignment.Status.
CLOSED_STATUSES = ("done", "not_applicable")


def overdue_q(today: datetime.date) -> Q:
    """THE "overdue" condition on ledger rows: open, not withdrawn (撤销), not ongoing, due before today.
    Usable in filter() and in conditional aggregates (Count(..., filter=overdue_q(today)))."""
    return ~Q(status__in=CLOSED_STATUSES) & Q(is_withdrawn=False, is_ongoing=False, due_date__lt=today)


def closed_year_exists(government="government_id", year="year") -> Exists:
    """THE "this row's work year is closed (年度归档) for its government" condition, on any queryset whose
    rows name a government and a work year (ledger rows by default; notices: ("government_id", "work_year"))."""
    from tasks.models import ClosedYear

    return Exists(ClosedYear.objects.filter(government_id=OuterRef(government), year=OuterRef(year)))


# THE cutoff of "stalled": N working days (settings.GOVOPEN_STALLED_WORKING_DAYS) before today. The working-day
# calendar lives in workflow, which tasks may not import: workflow registers its function here in its
# AppConfig.ready() (workflow.stalled.stalled_cutoff). Without it, N weekdays are counted as N×7/5 days.
STALLED_CUTOFF: list = []


def stalled_cutoff(today: datetime.date) -> datetime.date:
    if STALLED_CUTOFF:
        return STALLED_CUTOFF[0](today)
    from django.conf import settings

    return today - datetime.timedelta(days=settings.GOVOPEN_STALLED_WORKING_DAYS * 7 // 5)


def stalled_q(cutoff: datetime.date, today: datetime.date) -> Q:
    """THE "stalled" (停滞) condition on ledger rows: open, not withdrawn, not waiting for review, its deadline
    still ahead (today or later), and no progress reported since before `cutoff` (nor assigned since: a row
    never reported on counts from the day it was assigned). `cutoff` is N working days before today; the
    working-day calendar lives above this app, so the caller (workflow.stalled.stalled_cutoff) computes it."""
    quiet = Q(last_reported_on__lt=cutoff) | Q(last_reported_on__isnull=True, created_at__date__lt=cutoff)
    return (~Q(status__in=(*CLOSED_STATUSES, "pending_review")) & Q(is_withdrawn=False, is_ongoing=False,
                                                                   due_date__gte=today) & quiet)


class NoticeVisibility:
    """THE read rule for notices and their items (one definition, two querysets). A queryset sets where its
    rows name their notice (``notice_path``: "" on notices, "notice__" on items) and their upper notice
    (``upper_notice_path``), and which rows a unit's users read (``_unit_rows``).

    A government's office and leaders read their government's notices, the upper government's tables
    published to it, and a lower government's tables (items) carrying out their own where that government
    shares details; a unit's users read the notices (items) that hold rows of their unit."""

    notice_path = ""
    upper_notice_path = "upper_notice__"

    def _unit_rows(self, unit_id):
        raise NotImplementedError

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_governments:
            return self
        if not user.sees_everything:
            return self.filter(self._unit_rows(user.unit_id))
        n, gov = self.notice_path, user.government_id
        # Single-valued joins only (the upper government's id is the user's government's column), so no
        # DISTINCT: counting and annotating stays one pass over the table.
        rule = Q(**{f"{n}government_id": gov}) | Q(**{f"{self.upper_notice_path}government_id": gov,
                                                     f"{n}government__shares_details": True})
        if user.government is not None and user.government.upper_id is not None:
            rule |= Q(**{f"{n}government_id": user.government.upper_id, f"{n}published_on__isnull": False})
        return self.filter(rule)


class NoticeQuerySet(NoticeVisibility, models.QuerySet):
    """Notices: ``visible_to`` is NoticeVisibility's rule; a unit reads the notices holding rows of its own."""

    def _unit_rows(self, unit_id):
        return self.has_rows_of_unit(unit_id)

    @staticmethod
    def has_rows_of_unit(unit_id):
        """The notice has ledger rows of ``unit_id``: one probe of the index (unit, -year, notice, …) per notice
        (a row's year is its notice's work year), no join over the unit's rows and no DISTINCT."""
        from tasks.models import Assignment

        return Exists(Assignment.objects.filter(unit_id=unit_id, year=OuterRef("work_year"), notice_id=OuterRef("pk")))

    def public(self):
        """THE rule for the public progress page (no login): notices whose page the office has published."""
        return self.filter(public_since__isnull=False, public_token__isnull=False)

    def published_to(self, government):
        """The upper government's tables published down to ``government``."""
        if government is None or government.upper_id is None:
            return self.none()
        return self.filter(government_id=government.upper_id, published_on__isnull=False)

    def for_year(self, year):
        return self.filter(work_year=year)


class ItemQuerySet(NoticeVisibility, models.QuerySet):
    """Items: ``visible_to`` is NoticeVisibility's rule, item by item (an upper office reads a lower item only
    where it carries out one of its own items and the lower government shares details)."""

    notice_path = "notice__"
    upper_notice_path = "upper_item__notice__"

    def _unit_rows(self, unit_id):
        """Items holding a row of ``unit_id``."""
        from tasks.models import Assignment

        return Exists(Assignment.objects.filter(item_id=OuterRef("pk"), unit_id=unit_id))

    def containing(self, text: str, *, exact: bool = True):
        """Items whose title or requirement contains ``text`` (the ledger's 关键词), case-insensitive.

        On PostgreSQL the search first narrows to the items holding every two-character piece of ``text``
        (the column search_bigrams and its GIN index, kept by the database: migration tasks 0005), so a rare
        word reads a few items instead of all of them; the LIKE then decides."""
        like = Q(requirement__icontains=text) | Q(title__icontains=text)
        if connection.vendor != "postgresql" or len(text) < 2:
            return self.filter(like)
        qs = self.filter(RawSQL("search_bigrams @> govopen_bigrams(%s)", [text], output_field=BooleanField()))
        # A two-character word is its own bigram: the index alone decides (the text is never re-read). A longer
        # word is re-read unless the caller does that itself (``exact=False``: every bigram, maybe apart).
        return qs if (len(text) == 2 and " " not in text) or not exact else qs.filter(like)

    def led_by(self, unit_id):
        """Items `unit_id` leads."""
        from tasks.models import Assignment

        return self.filter(pk__in=Assignment.objects.led_item_ids(unit_id))


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """THE object-permission rule for ledger rows.

        A government's office staff and leaders see every row of their government; a unit's users see their
        unit's rows and, on items their unit leads, the rows of the other units (to collect and summarise
        their progress). An upper government's office also sees, row by row, a lower government's rows on
        items that carry out its own items, where that lower government shares details (otherwise only
        the roll-up, see ``countable_by``); never a row of another branch.
        """
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_governments:
            return self
        if user.sees_everything:
            gov = user.government_id
            sharing = user.sharing_lower_ids
            if not sharing:  # the common case: one plain column, which the ledger's indexes serve
                return self.filter(government_id=gov)
            return self.filter(Q(government_id=gov) | Q(upper_government_id=gov, government_id__in=sharing))
        if not user.unit_id:
            return self.none()
        # Two index-served branches (the unit's rows; the rows of the items it leads, their ids read first: see
        # core.subqueries.any_of), not an IN inside an OR, which PostgreSQL tests row by row over every government.
        return self.filter(Q(unit_id=user.unit_id) | any_of("item_id", self.model.objects.led_item_ids(user.unit_id)))

    def of_own_unit(self, user):
        """The user's unit's own rows (本单位台账, the home page's to-do lists): always part of visible_to(user),
        as one plain column the unit's indexes serve (visible_to's OR with the led items would defeat them)."""
        if not user.is_authenticated or not user.unit_id:
            return self.none()
        return self.filter(unit_id=user.unit_id)

    def countable_by(self, user):
        """Rows a user may count but not necessarily read (the upper office's roll-up of its table): the
        rows it sees, plus every lower government's rows on items carrying out the user's government's
        items. Only aggregates may be built on this."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_governments:
            return self
        if user.sees_everything:
            gov = user.government_id
            return self.filter(Q(government_id=gov) | Q(upper_government_id=gov))
        return self.visible_to(user)

    def editable_by(self, user):
        """Rows the user may record progress on: office staff their government's, a liaison the unit's own."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_governments:
            return self
        if user.is_office:
            return self.filter(government_id=user.government_id)
        if user.role == user.Role.LIAISON and user.unit_id:
            return self.filter(unit_id=user.unit_id)
        return self.none()

    def reviewable_by(self, user):
        """Rows whose done-claims the user may accept or return: office staff all; a lead unit's liaison
        the other units' rows on the items the unit leads (its own rows go to the office)."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_governments:
            return self
        if user.is_office:
            return self.filter(government_id=user.government_id)
        if user.role == user.Role.LIAISON and user.unit_id:
            return self.led_by(user.unit_id).exclude(unit_id=user.unit_id)
        return self.none()

    def for_unit(self, unit):
        return self.filter(unit=unit)

    def led_item_ids(self, unit_id):
        """THE "items my unit leads", as a subquery of item ids (read off the partial index asg_lead_unit_item)."""
        return self.model.objects.filter(unit_id=unit_id, role=self.model.Role.LEAD).values("item_id")

    def led_by(self, unit_id):
        """Rows (of every unit) on the items `unit_id` leads."""
        return self.filter(item_id__in=self.led_item_ids(unit_id))

    def open(self):
        """Rows still to be done: not closed and not withdrawn (撤销 rows are neither chased nor reminded)."""
        return self.exclude(status__in=CLOSED_STATUSES).filter(is_withdrawn=False)

    def in_open_years(self):
        """Rows whose work year their government has not closed (年度归档): the only ones reminded, chased
        or on a to-do list."""
        return self.filter(~closed_year_exists())

    def in_closed_years(self):
        return self.filter(closed_year_exists())
    def same_requirement_as(self, assignment):
        """THE "same requirement" rule (report once for several rows): the unit's other open rows whose item has
        the identical 工作要求 text. Combine with editable_by(user) for what a user may report on."""
        requirement = assignment.item.requirement
        if not requirement.strip():
            return self.none()
        return (self.open().filter(unit_id=assignment.unit_id, item__requirement=requirement)
                .exclude(pk=assignment.pk))

    def overdue(self, today: datetime.date):
        """THE "overdue" rule for querysets (Assignment.is_overdue is the same rule for one row)."""
        return self.filter(overdue_q(today))

    def stalled(self, cutoff: datetime.date, today: datetime.date):
        """THE "stalled" rule for querysets (Assignment.is_stalled is the same rule for one row)."""
        return self.filter(stalled_q(cutoff, today))

    def most_urgent(self, work_year: int, limit: int, *, few: bool = False, other_years: bool = True) -> list:
        """THE to-do order, its first ``limit`` rows: the current work year's rows first, then the other years',
        newest first; within a year the nearest (or most overdue) deadline first and rows without a date
        (持续推进) last, on every database (SQLite sorts NULL first; PostgreSQL's index order puts them last).

        Two index reads instead of one sort: the work year's rows by deadline, then, only if they are fewer than
        ``limit``, the other years' (both straight off the index (unit, -year, due_date, id) of the unit's open
        rows, so a unit's ten years of history are never sorted); ``other_years=False`` (the caller knows there
        are no rows of another year) skips the second read. ``few``: the rows are bounded by a short window (due
        within 7 days, new since the last visit), so the same order as one sorted query costs less."""
        due_first = models.F("due_date").asc(nulls_last=True)
        if few:
            current_first = models.Case(models.When(year=work_year, then=models.Value(0)), default=models.Value(1),
                                        output_field=models.IntegerField())
            return list(self.order_by(current_first, "-year", due_first, "id")[:limit])
        shown = list(self.filter(year=work_year).order_by(due_first, "id")[:limit])
        if len(shown) < limit and other_years:
            shown += list(self.exclude(year=work_year).order_by("-year", due_first, "id")[:limit - len(shown)])
        return shown

    def due_within(self, today: datetime.date, days: int):
        return self.open().filter(is_ongoing=False, due_date__gte=today,
                                  due_date__lte=today + datetime.timedelta(days=days))

    def with_ledger_related(self):
        return self.select_related("item", "item__section", "item__section__parent", "notice", "unit")

    def for_ledger_page(self):
        """The rows as a ledger page shows them (台账, 本单位台账, the home page's to-do lists): the row's own
        columns and, of the joined tables, only what a cell shows (the item's title and requirement, the notice's
        文号 and year, the unit's names). Every joined column costs its decoding on each row (an item carries three
        JSON lists), which on a page of 100 rows was more than the cells' rendering."""
        own = [f.attname for f in self.model._meta.concrete_fields]
        return self.select_related("item", "notice", "unit").only(
            *own, "item__title", "item__requirement", "notice__doc_number", "notice__work_year",
            "unit__short_name", "unit__name")


class ProgressReportQuerySet(models.QuerySet):
    def to_start_from(self):
        """THE reports a new progress report starts from (prefilled: edit, don't retype), latest first: those
        with a text of their own (a 不涉及 report carries only its reason)."""
        return self.exclude(resulting_status="not_applicable").order_by("-reported_on", "-id")

    def visible_to(self, user):
        from tasks.models import Assignment

        return self.filter(assignment__in=Assignment.objects.visible_to(user))
