"""The ledger's filters (django-filter)."""
import datetime
from functools import cached_property

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.forms.models import ModelChoiceIterator

from core.forms import PlainSelect
from tasks.models import Assignment, ClosedYear, Item, Notice, Section
from tasks.querysets import stalled_cutoff
from tasks.years import year_label
from units.models import Unit


def _today():
    from django.utils import timezone

    return timezone.localdate()


# Above this many visible notices, the notice list only offers the chosen (or latest) year's.
NOTICE_OPTIONS_MAX = 200
# A keyword held by at most this many items filters the rows by those items' ids (an index lookup each); a
# commoner word is tested row by row as the ledger's order walks its index (most rows match, so a page is
# found after a few rows).
KEYWORD_ITEM_IDS_MAX = 500


class OnceReadIterator(ModelChoiceIterator):
    """The options of a OnceReadChoiceField, from the rows it read."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        values = getattr(self.field, "values_label", None)
        for row in self.field.option_rows():
            if values:  # plain rows (core.forms.ValuesChoiceIterator): the label from their columns
                yield (row[0], values[1](*row[1:]))
            else:
                yield self.choice(row)

    def __len__(self):
        return len(self.field.option_rows()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.option_rows())


class OnceReadChoiceField(django_filters.fields.ModelChoiceField):
    """A filter's model choice whose options are read once a request: the <select> lists them and the chosen value
    is checked against them (a ModelChoiceField reads the chosen row, then the options: two queries). With
    ``values_label`` (core.forms.read_options_as_values) the options are plain rows and the chosen one a model
    instance holding only those columns (enough to filter on)."""

    iterator = OnceReadIterator

    def option_rows(self) -> list:
        read = getattr(self, "_read", None)
        if read is None or read[0] is not self.queryset:
            values = getattr(self, "values_label", None)
            rows = list(self.queryset.values_list("pk", *values[0]) if values else self.queryset)
            self._read = read = (self.queryset, rows)
        return read[1]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        values = getattr(self, "values_label", None)
        for row in self.option_rows():
            pk = row[0] if values else row.pk
            if str(pk) == str(value):
                return self.queryset.model(pk=pk, **dict(zip(values[0], row[1:], strict=True))) if values else row
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class OnceReadChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = OnceReadChoiceField


class LedgerFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(label="年度", empty_label="全部年度", widget=PlainSelect)
    notice = OnceReadChoiceFilter(label="通知", queryset=Notice.objects.none(), empty_label="全部通知",
                                              widget=PlainSelect)
    unit = OnceReadChoiceFilter(label="单位", queryset=Unit.objects.none(), empty_label="全部单位",
                                            widget=PlainSelect)
    role = django_filters.ChoiceFilter(label="角色", choices=Assignment.Role.choices, empty_label="全部角色",
                                       widget=PlainSelect)
    status = django_filters.ChoiceFilter(label="状态", choices=Assignment.Status.choices, empty_label="全部状态",
                                         widget=PlainSelect)
    overdue = django_filters.BooleanFilter(label="已逾期", method="filter_overdue",
                                           widget=forms.CheckboxInput)
    due_within = django_filters.NumberFilter(label="N天内到期", method="filter_due_within", min_value=0,
                                             max_value=366)
    stalled = django_filters.BooleanFilter(label="停滞", method="filter_stalled", widget=forms.CheckboxInput)
    todo = django_filters.BooleanFilter(label="只看待办", method="filter_todo", widget=forms.CheckboxInput)
    assigned_after = django_filters.IsoDateTimeFilter(label="分配晚于", field_name="created_at", lookup_expr="gt",
                                                      widget=forms.HiddenInput)
    section = OnceReadChoiceFilter(label="部分", field_name="item__section",
                                               queryset=Section.objects.none(), empty_label="全部部分",
                                               widget=PlainSelect)
    q = django_filters.CharFilter(label="关键词", method="filter_keyword")

    class Meta:
        model = Assignment
        fields = ["year", "notice", "unit", "role", "status", "section"]

    def __init__(self, *args, user=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or _today()
        self.user = user
        notices = Notice.objects.visible_to(user) if user else Notice.objects.none()
        # One query for the years, how many notices each has (the notice list below needs the total) and which
        # of them the user's government has closed (年度归档).
        closed = ClosedYear.objects.filter(government_id=getattr(user, "government_id", None), year=OuterRef("work_year"))
        year_rows = list(notices.order_by("-work_year").values_list("work_year")
                         .annotate(n=Count("id", distinct=True), closed=Exists(closed))
                         .values_list("work_year", "n", "closed"))
        years = [y for y, _, _ in year_rows]
        self.closed_years = {y for y, _, is_closed in year_rows if is_closed}
        self.filters["year"].extra["choices"] = [(y, year_label(y, closed=y in self.closed_years)) for y in years]
        # The option lists read only the columns their labels show (a notice carries JSON lists and long texts).
        self.filters["notice"].queryset = self._notice_options(notices, years, sum(n for _, n, _ in year_rows)).only(
            "id", "work_year", "doc_number")
        self.filters["notice"].field.label_from_instance = lambda n: f"{n.work_year}年 {n.doc_number}"
        self.filters["notice"].field.values_label = (("work_year", "doc_number"), lambda y, d: f"{y}年 {d}")
        # The government's unit directory (Unit.visible_to), for every user: a unit's liaison choosing a unit
        # whose rows it cannot see gets an empty list, never a row (the rows come from Assignment.visible_to).
        self.filters["unit"].queryset = (Unit.objects.visible_to(user) if user else Unit.objects.none()).in_fixed_order(
        ).only("id", "short_name")
        self.filters["unit"].field.values_label = (("short_name",), str)
        notice_id = self.data.get("notice") if self.data else None
        section_id = self.data.get("section") if self.data else None
        sections = Section.objects.filter(notice__in=notices).select_related("notice").only(
            "id", "number", "title", "parent_id", "notice__doc_number")
        # Sections are offered once a notice is chosen: every section of every notice would be thousands
        # of options on each ledger page (a link that already names a section keeps working).
        if notice_id and str(notice_id).isdigit():
            sections = sections.filter(notice_id=notice_id)
        elif section_id and str(section_id).isdigit():
            sections = sections.filter(pk=section_id)
        else:
            sections = sections.none()
            self.filters["section"].extra["empty_label"] = "（先选择通知）"
        self.filters["section"].queryset = sections
        self.filters["section"].field.label_from_instance = (
            lambda s: s.heading if notice_id else f"{s.notice.doc_number} {s.heading}")
        for f in self.form.fields.values():
            if isinstance(f.widget, forms.CheckboxInput):
                f.widget.attrs["class"] = "form-check-input"
            elif isinstance(f.widget, forms.Select):
                f.widget.attrs["class"] = "form-select form-select-sm"
            else:
                f.widget.attrs["class"] = "form-control form-control-sm"

    def _notice_options(self, notices, years, total):
        """The chosen year's notices; without a year, every notice unless there are too many for one list
        (then the latest year's, and any notice a link names)."""
        options = notices.order_by("-work_year", "doc_number")
        year = self.data.get("year") if self.data else None
        if year and str(year).isdigit():
            return options.filter(work_year=year)
        if total <= NOTICE_OPTIONS_MAX:
            return options
        self.filters["notice"].extra["empty_label"] = "全部通知（其他年度的通知请先选择年度）"
        latest = Q(work_year=years[0]) if years else Q(pk__in=[])
        notice_id = self.data.get("notice") if self.data else None
        if notice_id and str(notice_id).isdigit():
            latest |= Q(pk=notice_id)
        return options.filter(latest)

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.overdue(self.today)
        return queryset

    @cached_property
    def stalled_cutoff(self) -> datetime.date:
        """The page's cutoff of 停滞 (the work calendar read once; the ledger's 停滞 marker uses it too)."""
        return stalled_cutoff(self.today)

    def filter_stalled(self, queryset, name, value):
        """停滞: deadline ahead, no progress for N working days (tasks.querysets.stalled_q)."""
        if value:
            return queryset.stalled(self.stalled_cutoff, self.today)
        return queryset

    def filter_todo(self, queryset, name, value):
        """The unit's to-do: open rows, less those waiting for the office's review and those of a closed
        (archived) year (as on the home page)."""
        if not value:
            return queryset
        rows = queryset.open().exclude(status=Assignment.Status.PENDING_REVIEW)
        if self._rows_government() is None:
            return rows.in_open_years()
        # Every row is of the user's government, whose closed years the filter has read already (the year list):
        # the same rows as in_open_years(), as a list PostgreSQL can estimate. Its test per row's government
        # looked, on an install of one government, like it removed every row, and the planner then joined and
        # sorted all of a unit's open rows instead of reading the first page off the unit's index (1 s at 1M rows).
        return rows.exclude(year__in=sorted(self.closed_years))

    def _rows_government(self) -> int | None:
        """The user's government when every row the user sees is of it (and closed_years are its closed years):
        a government's office or leader without lower governments sharing their rows, or a unit's user (the unit's
        rows and those of the items it leads are its government's); else None."""
        user = self.user
        if user is None or not user.is_authenticated or user.government_id is None or user.sees_all_governments:
            return None
        if user.sees_everything:
            return None if user.sharing_lower_ids else user.government_id
        if user.unit_id and user.unit.government_id == user.government_id:
            return user.government_id
        return None

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.due_within(self.today, int(value))

    def filter_keyword(self, queryset, name, value):
        """Rows whose item's title or requirement, unit's short name or notice's 文号 contains the keyword.

        The items, units and notices are searched first (25 times fewer items than rows; on PostgreSQL through
        the bigram index, see ItemQuerySet.containing), then the rows are picked by their ids, so the search
        never joins and scans every ledger row."""
        value = value.strip()
        if not value:
            return queryset
        units = Unit.objects.visible_to(self.user) if self.user else Unit.objects.none()
        others = [units.filter(short_name__icontains=value).order_by().values_list("pk", Value("unit")),
                  Notice.objects.filter(doc_number__icontains=value).order_by().values_list("pk", Value("notice"))]
        items = Item.objects.containing(value).order_by().values_list("pk", Value("item"))[:KEYWORD_ITEM_IDS_MAX + 1]
        if connection.features.supports_slicing_ordering_in_compound:  # PostgreSQL: items, units, notices at once
            rows = list(items.union(*others, all=True))
        else:
            rows = list(items) + list(others[0].union(others[1], all=True))
        found = {"item": [], "unit": [], "notice": []}
        for pk, kind in rows:
            found[kind].append(pk)
        if len(found["item"]) <= KEYWORD_ITEM_IDS_MAX:
            match = Q(item_id__in=found["item"])
        else:
            # A common word: the items holding each of its bigrams (exactly the word for two characters; for a
            # longer one, in Chinese text, practically always the word), so the planner sees how common it is
            # and walks the ledger's order. A LIKE in the subquery made PostgreSQL guess a handful of items and
            # sort every matching row (seconds).
            match = Q(item_id__in=Item.objects.containing(value, exact=False).order_by().values("pk"))
        return queryset.filter(match | Q(unit_id__in=found["unit"]) | Q(notice_id__in=found["notice"]))


def default_year(today: datetime.date) -> int:
    return today.year
