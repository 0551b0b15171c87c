"""Importing an existing register in the browser: upload → preview (column mapping, doubtful rows marked)
→ confirm. The parsed rows wait in the session; nothing is saved until the user confirms, and then all
rows in one transaction or none."""
from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AuditEvent
from audit.trail import audit_event
from disclosure.forms import ImportForm
from disclosure.importers import FIELDS, ParsedRegister, grid_for_storage, parse_grid, read_grid
from disclosure.services import applications_import, import_problems
from disclosure.views.common import can_add, today
from tasks.importers.result import ImportFailure
from units.models import Unit

DRAFT_KEY = "disclosure_import_draft"


def _require(user):
    if not can_add(user):
        raise PermissionDenied("只有单位联络员和公开办可以导入登记簿。")


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    _require(request.user)
    office = request.user.is_office
    form = ImportForm(request.POST or None, request.FILES or None, choose_unit=office)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        unit = form.cleaned_data["unit"] if office else request.user.unit
        try:
            grid = grid_for_storage(read_grid(upload.name, upload.read()))
            parsed = parse_grid(grid, today=today(), strict=False)
        except ImportFailure as exc:
            form.add_error("file", f"无法导入“{upload.name}”：{exc.message}")
        except Exception as exc:  # a reader choking on a malformed file: a message, never a 500
            form.add_error("file", f"无法导入“{upload.name}”：文件无法读取或格式异常（{exc.__class__.__name__}）")
        else:
            token = uuid.uuid4().hex
            request.session[DRAFT_KEY] = {"token": token, "unit": unit.pk, "filename": upload.name[:200],
                                          "grid": grid, "parsed": parsed.to_json()}
            return redirect("disclosure:import-preview")
    status = 400 if request.method == "POST" else 200
    return render(request, "disclosure/import_start.html", {"form": form}, status=status)


def _draft(request):
    draft = request.session.get(DRAFT_KEY)
    if not draft:
        return None, None, None
    unit = Unit.objects.filter(pk=draft["unit"]).first()
    if unit is None or not (request.user.is_office or request.user.unit_id == unit.pk):
        return None, None, None
    return draft, unit, ParsedRegister.from_json(draft["parsed"])


@login_required
def import_preview(request):
    _require(request.user)
    draft, unit, parsed = _draft(request)
    if draft is None:
        messages.info(request, "没有待确认的导入，请先上传登记簿文件。")
        return redirect("disclosure:import-start")
    errors = parsed.errors + import_problems(unit=unit, rows=parsed.rows)
    return render(request, "disclosure/import_preview.html", {
        "draft": draft, "unit": unit, "parsed": parsed, "errors": errors,
        "field_choices": [(name, label) for name, (label, _) in FIELDS.items()],
        "open_count": sum(1 for r in parsed.rows if not r.values["answered_on"])})


@login_required
@require_POST
def import_remap(request):
    """Read the same file again with the columns the user chose in the preview."""
    _require(request.user)
    draft, unit, parsed = _draft(request)
    if draft is None or request.POST.get("token") != draft["token"]:
        messages.error(request, "导入已失效（可能已确认过或在另一个窗口中重新上传），请重新上传。")
        return redirect("disclosure:import-start")
    mapping = {c.index: request.POST.get(f"col_{c.index}", "") for c in parsed.columns}
    try:
        remapped = parse_grid(draft["grid"], today=today(), mapping=mapping, strict=False)
    except ImportFailure as exc:
        messages.error(request, f"未能按所选的列重新识别：{exc.message}")
        return redirect("disclosure:import-preview")
    draft["parsed"] = remapped.to_json()
    request.session[DRAFT_KEY] = draft
    messages.info(request, "已按所选的列重新识别，请核对预览。")
    return redirect("disclosure:import-preview")


@login_required
@require_POST
def import_confirm(request):
    _require(request.user)
    draft, unit, parsed = _draft(request)
    if draft is None or request.POST.get("token") != draft["token"]:
        messages.error(request, "导入已失效（可能已确认过或在另一个窗口中重新上传），请重新上传。")
        return redirect("disclosure:import-start")
    if parsed.errors:
        messages.error(request, "文件中有错误，未导入任何内容：请修改文件后重新上传。")
        return redirect("disclosure:import-preview")
    try:
        created = applications_import(unit=unit, rows=parsed.rows, user=request.user)
    except ValidationError as exc:
        messages.error(request, "未导入任何内容：" + "；".join(exc.messages[:5]))
        return redirect("disclosure:import-preview")
    request.session.pop(DRAFT_KEY, None)
    audit_event(request, AuditEvent.Action.IMPORT, object_type="disclosure.application", unit=unit,
                label=f"{unit}依申请公开登记簿", message=f"导入依申请公开登记簿：{draft['filename']}，{len(created)} 条")
    messages.success(request, f"已导入 {len(created)} 条申请到{unit}的登记簿。")
    return redirect(f"/disclosure/?unit={unit.pk}")
