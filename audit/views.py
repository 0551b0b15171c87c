"""The audit trail (审计日志) for office admins: browse, filter, export. Nothing here changes a row."""
import tempfile

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.utils import timezone
from django.utils.timezone import localtime
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from audit.filters import AuditEventFilter
from audit.models import AuditEvent
from audit.tables import AuditEventTable
from audit.trail import audit_event
from core.xlsx import print_layout, row_height, text_row

EXPORT_COLUMNS = [("时间", 20), ("操作人账号", 14), ("操作人单位", 14), ("来源地址", 16), ("操作", 10), ("对象类型", 12),
                  ("对象编号", 9), ("对象", 40), ("涉及单位", 14), ("结果", 6), ("变更内容", 80), ("说明", 30),
                  ("请求", 40), ("客户端", 30)]


class OfficeOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_office:
            raise PermissionDenied("只有公开办管理员可以查看审计日志。")
        return super().dispatch(request, *args, **kwargs)


class AuditEventListView(OfficeOnlyMixin, SingleTableMixin, FilterView):
    template_name = "audit/audit_list.html"
    table_class = AuditEventTable
    filterset_class = AuditEventFilter
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return AuditEvent.objects.visible_to(self.request.user).with_related()

    def get_table_kwargs(self):
        form = self.filterset.form
        filtered = form.is_bound and (not form.is_valid() or any(v not in (None, "") for v in form.cleaned_data.values()))
        return {"whole_table": self.request.user.sees_all_governments and not filtered}


def _changes_text(event: AuditEvent) -> str:
    parts = []
    for row in event.change_rows():
        if "before" in row and "after" in row:
            parts.append(f"{row['label']}：{row['before']} → {row['after']}")
        elif "after" in row:
            parts.append(f"{row['label']}：{row['after']}")
        else:
            parts.append(f"{row['label']}：（删除前）{row.get('before')}")
    return "；".join(parts)


def _export_rows(events):
    for e in events.iterator(chunk_size=2000):
        yield [localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S %z"), e.actor_name,
               str(e.actor_unit) if e.actor_unit_id and e.actor_unit else "", e.ip_address or "",
               e.get_action_display(), e.object_type_display, e.object_id, e.object_label,
               str(e.unit) if e.unit_id and e.unit else "", e.result_display, _changes_text(e)[:32000], e.message,
               e.request_path, e.user_agent]


def build_audit_workbook(rows, handle) -> None:
    """Write the rows to an xlsx file object (openpyxl write-only: memory stays flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    widths = [width for _, width in EXPORT_COLUMNS]
    print_layout(sheet, widths=widths, landscape=True, title_rows=(1, 1))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for title, _ in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for index, row in enumerate(rows, start=2):
        cells = text_row(sheet, row)
        for cell in cells:
            cell.alignment = wrap
        # Sized for its wrapped text (Excel does not grow rows on opening), dropped once written.
        sheet.row_dimensions[index].height = row_height(row, widths, minimum=15)
        sheet.append(cells)
        del sheet.row_dimensions[index]
    workbook.save(handle)


class AuditEventExportView(AuditEventListView):
    """The filtered list as .xlsx ("what you see, unpaginated"), itself recorded in the trail."""

    def get_context_data(self, **kwargs):
        return {}  # no table, no pagination: the whole filtered list goes to the file

    def render_to_response(self, context, **response_kwargs):
        events = self.object_list.order_by("-created_at", "-id")
        handle = tempfile.TemporaryFile()
        build_audit_workbook(_export_rows(events), handle)
        handle.seek(0)
        params = {k: v for k, v in self.request.GET.items() if v and k not in ("page", "sort")}
        audit_event(self.request, AuditEvent.Action.EXPORT, object_type="audit.auditevent",
                    label="审计日志", message=f"导出审计日志 {params or '（全部）'}"[:500])
        filename = f"审计日志_{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(handle, as_attachment=True, filename=filename,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
