"""The audit trail table (django-tables2); cells render through render_* methods."""
from html import escape

import django_tables2 as tables
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django_tables2.data import TableQuerysetData

from audit.models import AuditEvent
from core.counts import count_or_estimate


def changes_html(event: AuditEvent, limit: int = 6):
    rows = event.change_rows()
    if not rows:
        return ""
    shown = format_html_join(
        "", '<div><span class="text-muted">{}</span>：{}</div>',
        ((r["label"], _before_after(r)) for r in rows[:limit]))
    more = format_html('<div class="text-muted">……等{}项</div>', len(rows)) if len(rows) > limit else ""
    return format_html('<div class="small audit-changes">{}{}</div>', shown, more)


def _short(value, n=60):
    text = "" if value is None else str(value)
    return text if len(text) <= n else text[:n] + "…"


def _before_after(row):
    if "before" in row and "after" in row:
        return format_html("{} → {}", _short(row["before"]) or "（空）", _short(row["after"]) or "（空）")
    if "after" in row:
        return _short(row["after"])
    return format_html("<del>{}</del>", _short(row.get("before")))


class AuditRows(TableQuerysetData):
    """The trail as table data, counted by THE rule of long listings (core.counts): exact up to a thousand rows,
    past that 约 N 行 (pg_class's count for an operator's unfiltered trail, else the planner's estimate): the
    pages' links need a count, and an exact one over years of every government's trail cost the most."""

    def __len__(self):
        if getattr(self, "_length", None) is None:
            self._length, self.table.count_is_estimate = count_or_estimate(
                self.data, whole_table=self.table.whole_table)
        return self._length


class AuditEventTable(tables.Table):
    created_at = tables.Column(verbose_name="时间", attrs={"td": {"class": "text-nowrap"}})
    actor_name = tables.Column(verbose_name="操作人", order_by=("actor_name", "-created_at"))
    ip_address = tables.Column(verbose_name="来源地址", orderable=False)
    action = tables.Column(verbose_name="操作", attrs={"td": {"class": "text-nowrap"}, "th": {"class": "text-nowrap"}})
    object_label = tables.Column(verbose_name="对象", orderable=False, empty_values=())
    unit = tables.Column(verbose_name="涉及单位", orderable=False, empty_values=())
    success = tables.Column(verbose_name="结果", orderable=False)
    changes = tables.Column(verbose_name="变更内容", orderable=False, empty_values=())

    class Meta:
        model = AuditEvent
        fields = ()
        sequence = ("created_at", "actor_name", "ip_address", "action", "object_label", "unit", "success", "changes")
        attrs = {"class": "table table-sm table-hover align-top bg-white"}
        order_by = ("-created_at",)
        empty_text = "没有符合条件的审计记录。"
        template_name = "audit/includes/audit_table.html"

    def __init__(self, *args, whole_table=False, **kwargs):
        """``whole_table``: the data is the whole unfiltered trail (its count is then pg_class's estimate)."""
        super().__init__(*args, **kwargs)
        self.whole_table = whole_table
        self.count_is_estimate = False
        if isinstance(self.data, TableQuerysetData):  # swap in the trail's data class (same queryset)
            self.data = AuditRows(self.data.data)
            self.data.set_table(self)
            self.rows = tables.rows.BoundRows(data=self.data, table=self, pinned_data=self.pinned_data)

    def body_html(self):
        """The page's rows in one pass over the columns' render_* methods, each column's <td> attributes computed
        once, each cell escaped unless its method marked it safe (what ``{{ cell }}`` does). django-tables2's row
        template costs a signature inspection and an attribute computation per cell: most of the page's time."""
        cell_of = {"created_at": lambda r: self.render_created_at(r.created_at),
                   "ip_address": lambda r: r.ip_address or "—",
                   "success": lambda r: self.render_success(r.success)}
        columns = [(cell_of.get(c.name) or getattr(self, f"render_{c.name}"), f"<td {c.attrs['td'].as_html()}>")
                   for c in self.columns]
        rows = ["<tr>" + "".join([f"{td}{conditional_escape(render(row.record))}</td>" for render, td in columns])
                + "</tr>"
                for row in self.paginated_rows]
        if not rows and self.empty_text:
            rows.append(f'<tr><td colspan="{len(columns)}">{escape(self.empty_text)}</td></tr>')
        return mark_safe("\n".join(rows))  # every cell went through conditional_escape

    def render_created_at(self, value):
        return localtime(value).strftime("%Y-%m-%d %H:%M:%S")

    def render_actor_name(self, record):
        unit = format_html('<div class="small text-muted">{}</div>', record.actor_unit) if record.actor_unit_id else ""
        return format_html("{}{}", record.actor_name or "—", unit)

    def render_action(self, record):
        return record.get_action_display()

    def render_object_label(self, record):
        kind = record.object_type_display
        if not (kind or record.object_label):
            return "—"
        return format_html('<span class="text-muted small">{}</span> {}{}', kind, record.object_label,
                           format_html('<div class="small text-muted">{}</div>', record.message)
                           if record.message else "")

    def render_unit(self, record):
        return str(record.unit) if record.unit_id and record.unit else "—"

    def render_success(self, value):
        return format_html('<span class="badge {}">{}</span>', "text-bg-success" if value else "text-bg-danger",
                           "成功" if value else "失败")

    def render_changes(self, record):
        return changes_html(record) or "—"
