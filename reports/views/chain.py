"""下级落实情况: the upper office's matrix of its table × its lower governments, and its Excel export."""
from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render

from audit.models import AuditEvent
from audit.trail import audit_event, get_scoped_or_404
from core.http import today
from reports.chain import STATE_LABELS, STATE_LIGHTS, build_rollup_workbook, rollup
from tasks.models import Notice


def _own_table(request, pk) -> Notice:
    """The notice, if the user may see it (else 404), and if it is the user's government's own table read by
    its office or leaders (else 403, audited by the middleware): a lower office reading a published upper
    table sees no roll-up."""
    notice = get_scoped_or_404(request, Notice.objects.visible_to(request.user).select_related("government"), pk=pk)
    user = request.user
    if not (user.sees_everything and (user.sees_all_governments or notice.government_id == user.government_id)):
        raise PermissionDenied("只有本级政府办和领导可以查看本级任务分解表的下级落实情况。")
    return notice


@login_required
def rollup_page(request, pk):
    notice = _own_table(request, pk)
    data = rollup(user=request.user, notice=notice, today=today())
    return render(request, "reports/chain_rollup.html", {
        "notice": notice, "data": data, "totals": data.totals(),
        "legend": [(STATE_LIGHTS[s], label) for s, label in STATE_LABELS.items()],
        "can_chase": request.user.is_office,
    })


@login_required
def rollup_export(request, pk):
    notice = _own_table(request, pk)
    data = rollup(user=request.user, notice=notice, today=today())
    handle = tempfile.TemporaryFile()
    build_rollup_workbook(data).save(handle)
    handle.seek(0)
    audit_event(request, AuditEvent.Action.EXPORT, obj=notice, message=f"导出下级落实情况：{notice.doc_number}")
    return FileResponse(handle, as_attachment=True, filename=f"{notice.doc_number}_下级落实情况.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
