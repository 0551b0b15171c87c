"""Lead-unit summaries (牵头汇总): the items a unit leads, and the summary page of one item."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from core.forms import add_errors
from core.http import today
from reports.forms import LeadSummaryForm
from reports.models import LeadSummary
from reports.services import can_write_lead_summary, lead_summary_draft, lead_summary_save
from reports.summary import visible_rows_queryset
from reports.views.common import read_scope
from tasks.models import Assignment, Item


@require_safe
@login_required
def lead_items(request):
    """Items the user's unit leads (every item with a lead unit for office staff and leaders)."""
    day = today()
    scope = read_scope(request, day)
    user = request.user
    items = Item.objects.filter(notice__work_year=scope.year)
    if scope.notice:
        items = items.filter(notice=scope.notice)
    if user.sees_everything:
        if not user.sees_all_governments:
            items = items.filter(notice__government_id=user.government_id)
        items = items.filter(assignments__role=Assignment.Role.LEAD).distinct()
    elif user.unit_id:
        # The unit's lead rows of this year only (not its lead items of every year, probed one by one).
        items = items.filter(pk__in=Assignment.objects.filter(role=Assignment.Role.LEAD, unit_id=user.unit_id,
                                                              year=scope.year).values("item_id"))
    else:
        items = items.none()
    # Each item's rows counted by a subquery through the item's index, not by grouping the items' wide columns.
    rows = Assignment.objects.filter(item_id=OuterRef("pk")).order_by().values("item_id")
    items = (Item.objects.filter(pk__in=items.values("pk"))
             .select_related("notice", "lead_summary")
             .annotate(unit_count=Coalesce(Subquery(rows.annotate(n=Count("id")).values("n")), 0),
                       reported_count=Coalesce(Subquery(rows.filter(last_reported_on__isnull=False)
                                                        .annotate(n=Count("id")).values("n")), 0))
             .order_by("notice__issue_date", "notice_id", "number"))
    return render(request, "reports/lead_items.html", {"scope": scope, "items": items, "today": day})


def _item_for_lead_page(request, pk) -> tuple[Item, list[Assignment]]:
    """The item and the rows the user sees; 404 unless the user sees everything or the unit leads it."""
    user = request.user
    item = get_object_or_404(Item.objects.visible_to(user).select_related("notice", "section__parent",
                                                                           "origin__notice"), pk=pk)
    rows = list(visible_rows_queryset(user).filter(item=item))
    leads = any(r.unit_id == user.unit_id and r.role == Assignment.Role.LEAD for r in rows)
    own_government = user.sees_all_governments or item.notice.government_id == user.government_id
    if not ((user.sees_everything and own_government) or leads):
        raise Http404("没有找到该事项的牵头汇总。")
    return item, rows


@require_http_methods(["GET", "POST"])
@login_required
def lead_summary(request, pk):
    item, rows = _item_for_lead_page(request, pk)
    summary = LeadSummary.objects.filter(item=item).select_related("author", "unit").first()
    can_write = can_write_lead_summary(request.user, item)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied("只有该事项牵头单位的联络员或公开办管理员可以填写落实情况汇总。")
        form = LeadSummaryForm(request.POST)
        if form.is_valid():
            try:
                lead_summary_save(item=item, user=request.user, text=form.cleaned_data["text"], today=today(),
                                  expected_version=form.cleaned_data["version"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"第{item.number}项的落实情况汇总已保存。")
                return redirect("reports:lead-summary", pk=item.pk)
    elif request.GET.get("draft") and can_write:
        form = LeadSummaryForm(initial={"text": lead_summary_draft(item=item, user=request.user),
                                        "version": summary.version if summary else 0})
        messages.info(request, "已根据各单位最近一次报送生成草稿，请修改后保存（草稿尚未保存）。")
    else:
        form = LeadSummaryForm(initial={"text": summary.text if summary else "",
                                        "version": summary.version if summary else 0})
    return render(request, "reports/lead_summary.html", {
        "item": item, "notice": item.notice, "rows": rows, "summary": summary, "form": form,
        "can_write": can_write, "today": today(),
        "reported": sum(1 for r in rows if r.latest_text is not None),
    })
