"""单位 and 单位组 pages of the office's master data: list, create, edit, deactivate, delete."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from audit.trail import get_scoped_or_404
from core.forms import add_errors
from core.locking import FINGERPRINT_FIELD, row_fingerprint
from units.forms import GroupForm, UnitForm
from units.models import Alias, Unit, UnitGroup, User
from units.services import group_save, unit_delete, unit_save, unit_set_active
from units.views.scope import office_view, scoped_groups, scoped_units

STALE = "该单位已被其他人修改，您的修改未保存。请刷新页面查看最新内容后重新编辑。"


@office_view
def unit_list(request, government):
    units = (scoped_units(request.user).in_fixed_order()
             .annotate(liaison_count=Count("users", filter=Q(users__role=User.Role.LIAISON, users__is_active=True)))
             .prefetch_related(Prefetch("aliases", queryset=Alias.objects.order_by("text")),
                               Prefetch("groups", queryset=UnitGroup.objects.order_by("phrase"))))
    show = request.GET.get("show", "")
    if show != "all":
        units = units.filter(is_active=True)
    units = list(units)
    return render(request, "units/unit_list.html", {
        "government": government, "units": units, "show_all": show == "all",
        "inactive_count": scoped_units(request.user).filter(is_active=False).count(), "tab": "units"})


@office_view
@require_http_methods(["GET", "POST"])
def unit_edit(request, government, pk=None):
    unit = get_scoped_or_404(request, scoped_units(request.user), pk=pk) if pk else Unit(government=government)
    form = UnitForm(request.POST or None, instance=unit, government=government)
    if request.method == "POST":
        if unit.pk:
            current = Unit.objects.select_for_update().get(pk=unit.pk)
            if request.POST.get(FINGERPRINT_FIELD) != row_fingerprint(current):
                form.add_error(None, STALE)
        if form.is_valid():
            try:
                saved = unit_save(unit=form.save(commit=False), aliases=form.cleaned_data["aliases"],
                                  groups=list(form.cleaned_data["groups"]))
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"已保存单位“{saved.short_name}”。")
                if not pk and request.POST.get("then") == "account":  # a new unit's first liaison, one step on
                    return redirect(f"{reverse('units:account-create')}?unit={saved.pk}")
                return redirect("units:unit-list")
    fingerprint = request.POST.get(FINGERPRINT_FIELD) if request.method == "POST" else (
        row_fingerprint(unit) if unit.pk else "")
    return render(request, "units/unit_form.html", {
        "government": government, "form": form, "unit": unit, "fingerprint": fingerprint,
        "fingerprint_field": FINGERPRINT_FIELD, "tab": "units",
        "row_count": unit.assignments.count() if unit.pk else 0,
        "accounts": list(unit.users.order_by("username")) if unit.pk else []})


@office_view
@require_POST
def unit_active(request, government, pk):
    unit = get_scoped_or_404(request, scoped_units(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    unit_set_active(unit=unit, active=active)
    messages.success(request, f"已{'启用' if active else '停用'}单位“{unit.short_name}”。"
                     + ("" if active else "停用后不再出现在单位选择中，原有台账保留。"))
    return redirect("units:unit-list")


@office_view
@require_POST
def unit_remove(request, government, pk):
    unit = get_scoped_or_404(request, scoped_units(request.user), pk=pk)
    name = unit.short_name
    try:
        unit_delete(unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("units:unit-edit", pk=unit.pk)
    messages.success(request, f"已删除单位“{name}”。")
    return redirect("units:unit-list")


@office_view
def group_list(request, government):
    groups = list(scoped_groups(request.user).order_by("phrase").prefetch_related(
        Prefetch("members", queryset=Unit.objects.order_by("sort_order", "name")),
        Prefetch("aliases", queryset=Alias.objects.order_by("text"))))
    return render(request, "units/group_list.html", {"government": government, "groups": groups, "tab": "groups"})


@office_view
@require_http_methods(["GET", "POST"])
def group_edit(request, government, pk=None):
    group = (get_scoped_or_404(request, scoped_groups(request.user), pk=pk) if pk
             else UnitGroup(government=government))
    form = GroupForm(request.POST or None, instance=group, government=government)
    if request.method == "POST" and form.is_valid():
        try:
            saved = group_save(group=form.save(commit=False), members=list(form.cleaned_data["members"]),
                               aliases=form.cleaned_data["aliases"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已保存单位组“{saved.phrase}”（{saved.members.count()} 个成员单位）。"
                                      "本年度及以后通过该泛称分配的任务已按新的成员更新台账。")
            return redirect("units:group-list")
    return render(request, "units/group_form.html", {"government": government, "form": form, "group": group,
                                                     "tab": "groups"})
