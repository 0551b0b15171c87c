"""The audit trail table (django-tables2); cells render through render_* methods."""
import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from audit.models import AuditEvent


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
