"""账号 pages of the office's master data: the accounts of the government by unit, create, edit, deactivate,
reset password. A password the office gives is shown once, on the page that answers the POST."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from audit.trail import get_scoped_or_404
from core.forms import add_errors
from units.forms import AccountEditForm, AccountForm, PasswordResetForm
from units.services import NewAccount, account_create, account_reset_password, account_set_active
from units.views.scope import office_view, scoped_accounts, scoped_units


def _unit_choices(request):
    return list(scoped_units(request.user).active().in_fixed_order())


@office_view
def account_list(request, government):
    units = list(scoped_units(request.user).in_fixed_order())
    selected = next((u for u in units if str(u.pk) == request.GET.get("unit", "")), None)
    accounts = scoped_accounts(request.user).select_related("unit").order_by(
        "unit__sort_order", "unit__name", "-is_active", "username")
    if selected is not None:
        accounts = accounts.filter(unit=selected)
    return render(request, "units/account_list.html", {
        "government": government, "units": units, "selected": selected, "accounts": list(accounts),
        "tab": "accounts"})


@office_view
@require_http_methods(["GET", "POST"])
def account_new(request, government):
    units = _unit_choices(request)
    unit_id = request.POST.get("unit") or request.GET.get("unit") or ""
    unit = next((u for u in units if str(u.pk) == unit_id), None)
    form = AccountForm(request.POST or None)
    if request.method == "POST":
        if unit is None and form.data.get("role") != "viewer":
            form.add_error(None, "请选择账号所属的单位（只读查看的领导账号可不选单位）。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                user, password = account_create(government=government, account=NewAccount(
                    unit=unit, username=data["username"], display_name=data["display_name"], phone=data["phone"],
                    email=data["email"], role=data["role"]))
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return render(request, "units/account_password.html", {
                    "government": government, "account": user, "password": password, "created": True,
                    "tab": "accounts"})
    return render(request, "units/account_form.html", {
        "government": government, "form": form, "units": units, "unit": unit, "tab": "accounts"})


@office_view
@require_http_methods(["GET", "POST"])
def account_edit(request, government, pk):
    account = get_scoped_or_404(request, scoped_accounts(request.user).select_related("unit"), pk=pk)
    units = _unit_choices(request)
    if account.unit is not None and account.unit not in units:  # a deactivated unit stays choosable for its accounts
        units.append(account.unit)
    role_before = account.role
    form = AccountEditForm(request.POST or None, instance=account)
    if request.method == "POST":
        if account.pk == request.user.pk and form.data.get("role") != role_before:
            form.add_error(None, "不能修改自己的角色，请由其他管理员修改。")
        unit_id = request.POST.get("unit", "")
        unit = next((u for u in units if str(u.pk) == unit_id), None)
        if unit is None and (unit_id or form.data.get("role") == "liaison"):
            form.add_error(None, "请选择账号所属的单位（只读查看的领导账号可不选单位）。")
        if form.is_valid():
            account = form.save(commit=False)
            account.unit = unit
            account.government = government
            try:
                account.full_clean(exclude=["password"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                account.save()
                messages.success(request, f"已保存账号“{account.username}”。")
                return redirect(f"{reverse('units:account-list')}?unit={account.unit_id or ''}")
    return render(request, "units/account_edit.html", {
        "government": government, "form": form, "account": account, "units": units, "tab": "accounts"})


@office_view
@require_POST
def account_active(request, government, pk):
    account = get_scoped_or_404(request, scoped_accounts(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    if account.pk == request.user.pk and not active:
        raise PermissionDenied("不能停用自己的账号。")
    account_set_active(user=account, active=active)
    messages.success(request, f"已{'启用' if active else '停用'}账号“{account.username}”（{account}）。"
                     + ("" if active else "停用后该账号不能登录，已填报的内容保留。"))
    return redirect(f"{reverse('units:account-list')}?unit={account.unit_id or ''}")


@office_view
@require_http_methods(["GET", "POST"])
def account_password(request, government, pk):
    account = get_scoped_or_404(request, scoped_accounts(request.user).select_related("unit"), pk=pk)
    if account.pk == request.user.pk:
        messages.info(request, "修改自己的密码请用“修改密码”。")
        return redirect("password_change")
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["password"] if form.cleaned_data["mode"] == "set" else None
        try:
            password = account_reset_password(user=account, password=given, request=request)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return render(request, "units/account_password.html", {
                "government": government, "account": account, "password": password, "created": False,
                "tab": "accounts"})
    return render(request, "units/account_reset.html", {
        "government": government, "form": form, "account": account, "tab": "accounts"})
