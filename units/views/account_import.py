"""批量创建账号 from an uploaded list: upload → preview (or every error, by row and column) → confirm → the
created accounts with their initial passwords, shown once and downloadable once as a sheet.

Between preview and confirm the checked rows wait in the session (a few hundred short rows at most); the
confirm checks them again, so a unit deleted or a user name taken in between is refused, nothing saved.
"""
from __future__ import annotations

import io
import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AuditEvent
from audit.trail import audit_event
from core.uploads import ImportFailure
from units.account_list import ListRow, check_rows, read_rows, result_workbook, template_workbook
from units.forms import ListUploadForm
from units.services import NewAccount, accounts_bulk_create
from units.views.scope import office_view, scoped_units

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING = "account_list_pending"
RESULT = "account_list_result"


def _xlsx(book, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@office_view
@require_GET
def list_template(request, government):
    units = scoped_units(request.user).active().in_fixed_order().prefetch_related("aliases")
    return _xlsx(template_workbook(units), "账号名单模板.xlsx")


@office_view
@require_http_methods(["GET", "POST"])
def list_upload(request, government):
    form = ListUploadForm(request.POST or None, request.FILES or None)
    context = {"government": government, "form": form, "tab": "import"}
    if request.method == "GET":
        request.session.pop(RESULT, None)  # passwords of an earlier list are not kept once the page is left
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > 2 * 1024 * 1024 + 1:
                raise ImportFailure(f"文件过大（{upload.size / 1024 / 1024:.1f} MB），上限为 2.0 MB")
            rows, letters = read_rows(upload.read(), upload.name)
        except ImportFailure as exc:
            context["errors"] = [exc.message]
            return render(request, "units/account_import.html", context)
        result = check_rows(rows, letters, government=government)
        if result.errors:
            context["errors"] = result.errors
            return render(request, "units/account_import.html", context)
        token = secrets.token_urlsafe(16)
        request.session[PENDING] = {"token": token, "letters": letters, "rows": [
            {"row": r.row, "unit": r.unit.short_name, "display_name": r.display_name, "phone": r.phone,
             "email": r.email, "username": r.username} for r in result.rows]}
        context.update(preview=result.rows, token=token, filename=upload.name)
    return render(request, "units/account_import.html", context)


@office_view
@require_POST
def list_confirm(request, government):
    pending = request.session.get(PENDING)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, "这份名单已处理或已过期，请重新上传。")
        return redirect("units:account-import")
    rows = [ListRow(row=r["row"], values={k: r[k] for k in ("unit", "display_name", "phone", "email", "username")})
            for r in pending["rows"]]
    result = check_rows(rows, pending["letters"], government=government)  # again: something may have changed meanwhile
    if result.errors:
        del request.session[PENDING]
        return render(request, "units/account_import.html", {
            "government": government, "form": ListUploadForm(), "tab": "import",
            "errors": ["名单预览后数据有变化，请修改后重新上传："] + result.errors})
    try:
        created = accounts_bulk_create(government=government, request=request, accounts=[
            NewAccount(unit=r.unit, username=r.username, display_name=r.display_name, phone=r.phone, email=r.email)
            for r in result.rows])
    except ValidationError as exc:
        del request.session[PENDING]
        return render(request, "units/account_import.html", {
            "government": government, "form": ListUploadForm(), "tab": "import", "errors": exc.messages})
    del request.session[PENDING]
    accounts = [{"unit": user.unit.short_name, "display_name": user.display_name, "username": user.username,
                 "password": password} for user, password in created]
    request.session[RESULT] = accounts
    return render(request, "units/account_import_done.html", {
        "government": government, "accounts": accounts, "tab": "import"})


@office_view
@require_POST
def list_result_download(request, government):
    """The sheet of the accounts just created, once: the passwords leave the session with it."""
    accounts = request.session.pop(RESULT, None)
    if not accounts:
        messages.error(request, "初始密码清单只能下载一次，且离开结果页后不再保留。如需重新发放，请在“账号”中重置密码。")
        return redirect("units:account-import")
    audit_event(request, AuditEvent.Action.EXPORT, object_type="units.user", label="新建账号清单",
                message=f"下载新建账号的初始密码清单（{len(accounts)} 个账号）")
    return _xlsx(result_workbook(accounts), "新建账号及初始密码.xlsx")

