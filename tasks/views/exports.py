"""Download a notice's breakdown table as .xlsx in the issued layout.

Scope: the notice through Notice.objects.visible_to, its items through Item.objects.visible_to, the
same rows the notice page shows the user: office staff and leaders get the whole table, a unit the
items it is named in (with a note above the header saying so).
"""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from audit.models import AuditEvent
from audit.trail import audit_event
from tasks.excel import breakdown_xlsx_bytes, only_numbers
from tasks.models import Item, Notice
from tasks.services import notice_to_parsed

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_filename(notice: Notice) -> str:
    return f"{notice.doc_number} 任务分解表.xlsx"


@login_required
def notice_export_xlsx(request, pk):
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    if request.method not in ("GET", "HEAD"):  # after the scope check: another unit's notice stays a 404
        return HttpResponseNotAllowed(["GET", "HEAD"])
    parsed = notice_to_parsed(notice)
    note = ""
    if not request.user.sees_everything:
        numbers = set(Item.objects.visible_to(request.user).filter(notice=notice).values_list("number", flat=True))
        parsed = only_numbers(parsed, numbers)
        note = f"仅含本单位涉及的 {len(numbers)} 项任务"
    data = breakdown_xlsx_bytes(parsed, note=note)
    audit_event(request, AuditEvent.Action.EXPORT, obj=notice, message=f"导出任务分解表（Excel）{note}")
    response = HttpResponse(data, content_type=XLSX_TYPE)
    # The header FileResponse writes: RFC 5987 filename* for the Chinese name.
    response["Content-Disposition"] = content_disposition_header(True, export_filename(notice))
    return response
