"""The ledger table (django-tables2). Cells render through render_* methods: no per-cell templates."""
import datetime
from functools import cached_property
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper per call

import django_tables2 as tables
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django_tables2.data import TableQuerysetData
from django_tables2.utils import AttributeDict

from core.counts import count_or_estimate
from core.dates import cn_date
from tasks.ledger_keyset import page_rows
from tasks.models import Assignment
from tasks.querysets import stalled_cutoff

STALLED_TITLE = "时限未到，但已较长时间没有报送进展"
STATUS_LABELS = dict(Assignment.Status.choices)
ROLE_LABELS = dict(Assignment.Role.choices)
PHONE_LABELLED = {"due_date", "status", "last_reported_on"}  # cells a phone's card shows with their column's name
NOWRAP = {"td": {"class": "nw"}, "th": {"class": "nw"}}  # short columns that must not wrap


# The row count (exact up to EXACT_COUNT_UP_TO rows, else 约 N 行, the planner's estimate): core.counts.
# From this row offset on, a page first reads its ids off the index, then joins only those rows.
DEFERRED_JOIN_OFFSET = 1_000


def url_maker(name: str):
    """``reverse(name, args=[pk])`` as a function of pk, reversed once: a page of rows builds its links by string
    formatting instead of one URL resolution per link."""
    marker = "2147483647"
    prefix, suffix = reverse(name, args=[int(marker)]).split(marker)
    return lambda pk: f"{prefix}{int(pk)}{suffix}"


class LedgerRows(TableQuerysetData):
    """The ledger's queryset as table data, with the two fixes a million-row ledger needs.

    * Count (PostgreSQL): exact up to EXACT_COUNT_UP_TO rows (a COUNT over a LIMIT); past that the
      planner's estimate, and the table says 约 N 行: pg_class's row count when the table is told the rows
      are the whole table (``estimate_count``: no filter, a user who sees everything), else the estimate of
      the filtered query (EXPLAIN). SQLite (small installs) counts exactly.
    * Deep pages: OFFSET makes the database build, join and throw away every skipped row. Past the first
      pages, the page's ids are read first (from the ordering index alone; on PostgreSQL after the previous
      page's last row when this process showed it recently, tasks.ledger_keyset), then only those rows are
      fetched with their joins.
    """

    def __len__(self):
        if getattr(self, "_length", None) is None and connection.vendor == "postgresql":
            self._length, estimate = count_or_estimate(self.data, whole_table=self.table.estimate_count)
            self.table.count_is_estimate = self.table.count_is_estimate or estimate
        return super().__len__()

    def __getitem__(self, key):
        if isinstance(key, slice) and key.step is None:
            return page_records(self.data, key.start or 0, key.stop)
        return super().__getitem__(key)


def page_records(queryset, start: int, stop: int | None) -> list:
    """``list(queryset[start:stop])``, but past DEFERRED_JOIN_OFFSET the page's ids are a subquery of their own (read
    off the index), and only those rows are joined: one query (see LedgerRows)."""
    if start < DEFERRED_JOIN_OFFSET or stop is None:
        return list(queryset[start:stop])
    rows = page_rows(queryset, start, stop)  # PostgreSQL: after the previous page's last row when known
    if rows is None:
        rows = list(queryset.filter(pk__in=queryset.values("pk")[start:stop]))
    return rows


class LedgerTable(tables.Table):
    light = tables.Column(verbose_name="", empty_values=(), orderable=False, attrs={"td": {"class": "text-nowrap"}})
    # Every sortable column ends its order in "id" and has a matching index on Assignment (see its Meta):
    # sorting a million-row ledger then reads the first page straight off the index.
    year = tables.Column(verbose_name="年度", attrs=NOWRAP,
                         order_by=("year", "notice_id", "item_number", "unit_sort_order", "id"))
    notice = tables.Column(verbose_name="文号", accessor="notice__doc_number", orderable=False, attrs=NOWRAP)
    item_number = tables.Column(verbose_name="序号", attrs=NOWRAP, order_by=("year", "notice_id", "item_number",
                                                                              "unit_sort_order", "id"))
    item = tables.Column(verbose_name="工作任务", accessor="item__requirement", orderable=False)
    unit = tables.Column(verbose_name="单位", order_by=("unit_sort_order", "id"))
    role = tables.Column(verbose_name="角色", attrs=NOWRAP, order_by=("role", "id"))
    due_date = tables.Column(verbose_name="时限", attrs=NOWRAP, order_by=("due_date", "id"))
    status = tables.Column(verbose_name="状态", attrs=NOWRAP, order_by=("status", "due_date", "id"))
    last_reported_on = tables.Column(verbose_name="最近报送", attrs=NOWRAP, order_by=("last_reported_on", "id"))
    actions = tables.Column(verbose_name="操作", empty_values=(), orderable=False)

    class Meta:
        model = Assignment
        fields = ()
        sequence = ("light", "year", "notice", "item_number", "item", "unit", "role", "due_date", "status",
                    "last_reported_on", "actions")
        attrs = {"class": "table table-sm table-hover align-middle bg-white ledger-table"}
        empty_text = "没有符合条件的台账行。"
        template_name = "tasks/includes/ledger_table.html"

    def __init__(self, *args, today, user, estimate_count=False, stalled_cutoff=None, **kwargs):
        """``stalled_cutoff``: a callable giving the page's cutoff of 停滞 (the filter's, read once per request)."""
        super().__init__(*args, **kwargs)
        self._stalled_cutoff = stalled_cutoff
        self.today = today
        self.user = user
        self.estimate_count = estimate_count
        self.count_is_estimate = False
        if isinstance(self.data, TableQuerysetData):  # swap in the ledger's data class (same queryset)
            self.data = LedgerRows(self.data.data)
            self.data.set_table(self)
            self.rows = tables.rows.BoundRows(data=self.data, table=self, pinned_data=self.pinned_data)

    def render_light(self, record):
        color, label = record.light_and_label(self.today)
        return f'<span class="light light-{color}" title="{label}"></span>'

    def head_html(self):
        """The header row, as django-tables2's Bootstrap 5 template writes it (sortable headers link to the current
        query with the next order), in one pass instead of a template loop with a querystring tag per column."""
        params = dict(self.request.GET) if getattr(self, "request", None) is not None else {}
        cells = []
        for column in self.columns:
            header = conditional_escape(column.header)
            if column.orderable:
                params[self.prefixed_order_by_field] = column.order_by_alias.next
                header = f'<a href="{escape("?" + urlencode(params, doseq=True))}">{header}</a>'
            cells.append(f'<th {column.attrs["th"].as_html()} scope="col">{header}</th>')
        return mark_safe(f"<tr>{''.join(cells)}</tr>")

    def body_html(self):
        """The page's rows, rendered in one pass over the columns' render_* methods.

        django-tables2's own row template costs, per cell, a signature inspection of the render method and
        a fresh computation of the column's attributes: on a 100-row page that was most of the table's
        time. Every column here has a ``render_<name>(record)`` method returning escaped HTML (text goes
        through ``escape``; the rest are fixed words, numbers, dates and ids) and fixed attributes, so the
        attributes are computed once per column and each cell is one call.
        """
        columns = []
        for column in self.columns:
            # Each cell names its column (class c-<name>; data-label, the header, where a card shows it): below
            # 576 px the CSS lays a row out as a card (static/css/govopen.css, .ledger-table).
            attrs = AttributeDict(column.attrs["td"])
            attrs["class"] = " ".join(filter(None, [attrs.get("class"), f"c-{column.name}"]))
            if column.name in PHONE_LABELLED:
                attrs["data-label"] = column.header
            columns.append((getattr(self, f"render_{column.name}"), f"<td {attrs.as_html()}>"))
        rows = []
        for row in self.paginated_rows:
            record = row.record
            cells = "".join([f"{td}{render(record)}</td>" for render, td in columns])
            rows.append(f"<tr>{cells}</tr>")
        if not rows and self.empty_text:
            rows.append(f'<tr><td colspan="{len(columns)}">{escape(self.empty_text)}</td></tr>')
        return mark_safe("\n".join(rows))  # every render_* escapes its text

    def own_rows_html(self, *, can_edit: bool, status_choices=(), form_tail: str = "", form_head: str = "") -> dict:
        """本单位台账's rows, written in one pass: ``cards`` (phones: one card per row, its light, 时限, status and one
        big 填报 button) and ``rows`` (wider screens: the table's rows, each with its collapsed progress form when
        the user may report). A template loop cost about 40 variable lookups a row, a date filter each, a CSRF tag
        each: more than everything else on the page. ``form_head`` / ``form_tail``: the progress form's parts that
        are the same on every row (CSRF token, return address; the date, reason, evidence fields), written once."""
        progress_url = url_maker("tasks:progress-create")
        cards, rows = [], []
        for row in self.paginated_rows:
            a = row.record
            url, light, item, due = self.row_url(a.pk), self.render_light(a), self.render_item(a), self.render_due_date(a)
            doc, role, status = escape(a.notice.doc_number), ROLE_LABELS.get(a.role, a.role), STATUS_LABELS.get(a.status, a.status)
            last = cn_date(a.last_reported_on)
            button = (f'<a class="btn btn-danger btn-tap" href="{url}#progress">填报</a>' if can_edit
                      else f'<a class="btn btn-outline-secondary btn-tap" href="{url}">详情</a>')
            cards.append(f"""
  <div class="card mb-2"><div class="card-body">
    <div class="small text-muted">{a.year}年 · {doc} 第{a.item_number}项 · {role}</div>
    <div class="my-1">{item}</div>
    <div class="d-flex justify-content-between align-items-center gap-2">
      <div class="small">{light}时限{due}<br><strong>{status}</strong>{f" · 最近报送{last}" if last else ""}</div>
      {button}
    </div>
  </div></div>""")
            shown_status = f"已撤销（{status}）" if a.is_withdrawn else status  # Assignment.status_display
            report = (f'<button class="btn btn-sm btn-primary" type="button" data-bs-toggle="collapse" '
                      f'data-bs-target="#progress-{a.pk}" aria-expanded="false">填报进展</button>' if can_edit else "")
            rows.append(f"""
    <tr>
      <td>{light}</td>
      <td class="text-nowrap">{a.year}年</td>
      <td class="text-nowrap">{doc}</td>
      <td class="text-nowrap">{a.item_number}</td>
      <td>{item}</td>
      <td class="text-nowrap">{role}</td>
      <td class="text-nowrap">{due}</td>
      <td class="text-nowrap">{shown_status}</td>
      <td class="text-nowrap">{last or "—"}</td>
      <td class="text-nowrap">
        <a class="btn btn-sm btn-outline-secondary" href="{url}">详情与历史</a>
        {report}
      </td>
    </tr>""")
            if not can_edit:
                continue
            options = "".join(f'<option value="{escape(value)}"{" selected" if a.status == value else ""}>'
                              f'{escape(label)}</option>' for value, label in status_choices)
            last_text = getattr(a, "last_text", None) or ""
            prefilled = (f'<div class="form-text text-success">已带出上次填报内容（{last}），请在此基础上修改。</div>'
                         if last_text else "")
            rows.append(f"""
    <tr class="collapse" id="progress-{a.pk}"><td colspan="10" class="bg-light">
      <form method="post" action="{progress_url(a.pk)}" enctype="multipart/form-data" class="row g-2">{form_head}
        <input type="hidden" name="version" value="{a.version}">
        <div class="col-md-2"><label class="form-label small">当前状态</label>
          <select name="status" class="form-select form-select-sm">{options}</select></div>
        <div class="col-md-5"><label class="form-label small">落实情况</label><textarea name="text" rows="2" \
class="form-control form-control-sm" placeholder="写明做了什么、在哪里公开">{escape(last_text)}</textarea>{prefilled}</div>{form_tail}
      </form>
    </td></tr>""")
        return {"count": len(cards), "cards": mark_safe("".join(cards)), "rows": mark_safe("".join(rows))}

    @cached_property
    def row_url(self):
        return url_maker("tasks:assignment-detail")

    @cached_property
    def item_url(self):
        return url_maker("tasks:item-detail")

    def render_year(self, record):
        return f"{record.year}年"

    def render_notice(self, record):
        return escape(record.notice.doc_number)

    def render_item_number(self, record):
        return str(record.item_number)

    def render_item(self, record):
        text = record.item.title or record.item.requirement
        short = text if len(text) <= 48 else text[:48] + "…"
        return f'<a href="{self.item_url(record.item_id)}" title="{escape(text)}">{escape(short)}</a>'

    def render_unit(self, record):
        if record.via_group_id:
            return (f'{escape(record.unit.short_name)} <span class="text-muted small">（{escape(record.written_as)}）'
                    f'</span>')
        return escape(record.unit.short_name)

    def render_role(self, record):
        return ROLE_LABELS.get(record.role, record.role)

    def render_due_date(self, record):
        if record.is_ongoing:
            return "持续推进"
        return cn_date(record.due_date) or "—"

    def render_status(self, record):
        label = STATUS_LABELS.get(record.status, record.status)
        if record.is_withdrawn:
            return f'<span class="badge text-bg-secondary">已撤销</span> {label}'
        # Cheap pre-check first (N working days are at least N calendar days), so the calendar is read only
        # when a row on the page may be stalled, and then once for the page (the filter's cutoff if it has one).
        if record.is_stalled(self.loose_stalled_cutoff, self.today) and record.is_stalled(self.stalled_cutoff,
                                                                                          self.today):
            return f'{label} <span class="badge text-bg-warning" title="{STALLED_TITLE}">停滞</span>'
        return label

    @cached_property
    def loose_stalled_cutoff(self) -> datetime.date:
        return self.today - datetime.timedelta(days=settings.GOVOPEN_STALLED_WORKING_DAYS)

    @cached_property
    def stalled_cutoff(self):
        return self._stalled_cutoff() if self._stalled_cutoff else stalled_cutoff(self.today)

    def render_last_reported_on(self, record):
        return cn_date(record.last_reported_on) or "—"

    def render_actions(self, record):
        return f'<a class="btn btn-sm btn-outline-primary" href="{self.row_url(record.pk)}">查看/填报</a>'
