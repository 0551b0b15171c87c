"""The chain of tables in the browser: publish a table down (下发), derive ours from the upper one (分解), and
link the items of a table we imported ourselves to the upper table's items (suggested, then confirmed)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AuditEvent
from audit.trail import audit_event
from core.http import require_office, today
from tasks.chain import item_links_set, link_suggestions, notice_publish
from tasks.models import Notice
from tasks.views.imports import start_derive_draft


@require_POST
@login_required
def notice_publish_view(request, pk):
    """下发: the office publishes its own table to the governments below it."""
    notice = get_object_or_404(Notice.objects.visible_to(request.user).select_related("government"), pk=pk)
    require_office(request.user, notice.government_id)
    try:
        told = notice_publish(notice=notice, today=today())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已下发“{notice.doc_number}”，{told}位下级政府办管理员已收到消息。")
    return redirect(notice)


@require_POST
@login_required
def notice_derive(request, pk):
    """分解: start our own table from the upper government's published one, through the import preview."""
    require_office(request.user)
    upper = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    if not Notice.objects.published_to(request.user.government).filter(pk=upper.pk).exists():
        audit_event(request, AuditEvent.Action.REFUSED, obj=upper, success=False,
                    message="分解上级任务分解表被拒绝：不是下发给本级政府的表")
        messages.error(request, "只能分解上级政府下发给本级政府的任务分解表。")
        return redirect(upper)
    start_derive_draft(request, upper)
    messages.info(request, f"已按“{upper.doc_number}”生成本级任务分解表草稿：请填写本级文号，核对单位对应后确认。")
    return redirect("tasks:import-preview")


def _upper_choices(notice: Notice):
    return Notice.objects.published_to(notice.government).order_by("-work_year", "-id")


@login_required
@require_http_methods(["GET", "POST"])
def notice_link_upper(request, pk):
    """关联上级事项: for each of our items, the upper item it carries out, suggested by text similarity and
    confirmed (or changed, or cleared) by the office before anything is saved."""
    notice = get_object_or_404(Notice.objects.visible_to(request.user).select_related("government"), pk=pk)
    require_office(request.user, notice.government_id)
    uppers = list(_upper_choices(notice))
    wanted = request.POST.get("upper") or request.GET.get("upper") or (notice.upper_notice_id or "")
    upper = next((u for u in uppers if str(u.pk) == str(wanted)), None)
    if upper is None and uppers and not wanted:
        upper = uppers[0]
    error = ""
    if request.method == "POST":
        if upper is None:
            error = "请选择上级政府下发的任务分解表。"
        else:
            links = {}
            for item in notice.items.all():
                value = request.POST.get(f"link-{item.pk}", "")
                links[item.pk] = int(value) if value.isdigit() else None
            try:
                linked = item_links_set(notice=notice, upper=upper, links=links)
            except ValidationError as exc:
                error = "未保存：" + "；".join(exc.messages)
            else:
                messages.success(request, f"已保存：{linked}项事项关联到“{upper.doc_number}”的事项。")
                return redirect(notice)
    upper_items = list(upper.items.order_by("number")) if upper else []
    upper_ids = {i.pk for i in upper_items}
    rows = []
    for s in link_suggestions(notice=notice, upper=upper) if upper else []:
        current = s.item.upper_item_id if s.item.upper_item_id in upper_ids else None
        rows.append({"item": s.item, "suggested": s.upper_item, "ratio": s.ratio, "linked": current is not None,
                     "selected": current or (s.upper_item.pk if s.upper_item else None)})
    return render(request, "tasks/notice_link_upper.html", {
        "notice": notice, "uppers": uppers, "upper": upper, "rows": rows, "error": error,
        "upper_items": upper_items,
    }, status=400 if error else 200)

