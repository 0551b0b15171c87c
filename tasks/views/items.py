"""Items: the page showing every visible unit's status on an item, its history; create, edit, delete (office)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.http import require_office, today
from core.locking import MISSING_VERSION, STALE_MESSAGE, expected_version, take_row
from tasks.changes import change_set_record, rows_snapshot
from tasks.forms import ItemForm
from tasks.models import Assignment, ChangeSet, Item, Notice
from tasks.services import item_sync_assignments

LIGHT_ORDER = ("red", "yellow", "blue", "green", "grey")  # the tally under the item: most urgent first


@login_required
def item_detail(request, pk):
    """The item as issued, a compact grid of its units' state (light, status, last report, link to the
    row) and the lead unit's summary; the history is one link away (``item_history``)."""
    user = request.user
    # lead_summary is reports.LeadSummary's reverse one-to-one: read with the item, in the same query.
    item = get_object_or_404(Item.objects.visible_to(user).select_related(
        "notice", "section__parent", "origin__notice", "upper_item__notice__government",
        "lead_summary__unit", "lead_summary__author"), pk=pk)
    day = today()
    rows = list(Assignment.objects.visible_to(user).filter(item=item)
                .select_related("unit", "via_group").order_by("unit_sort_order", "id"))
    rows.sort(key=lambda r: r.role != Assignment.Role.LEAD)  # the lead unit first, then the fixed order
    tally = {}
    for row in rows:
        row.light_color = row.light(day)
        row.light_text = row.light_label(day)
        tally[row.light_color] = (row.light_text, tally.get(row.light_color, (None, 0))[1] + 1)
    own_lead = any(r.unit_id == user.unit_id and r.role == Assignment.Role.LEAD for r in rows)
    own_government = user.sees_all_governments or item.notice.government_id == user.government_id
    summary = getattr(item, "lead_summary", None)
    dues = {r.due_date for r in rows if not r.is_ongoing}
    common_due = dues.pop() if len(dues) == 1 else None  # one date for every unit: said once, not per tile
    return render(request, "tasks/item_detail.html", {
        "item": item, "notice": item.notice, "rows": rows, "today": day,
        "tally": [(color, *tally[color]) for color in LIGHT_ORDER if color in tally],
        "can_edit": user.is_office and own_government,
        "is_lead": own_lead,
        "show_summary": (user.sees_everything and own_government) or own_lead,
        "summary": summary, "common_due": common_due,
    })


@login_required
def item_history(request, pk):
    """An item's chases and the audit history of it and its rows, as far as the user may see them."""
    item = get_object_or_404(Item.objects.visible_to(request.user).select_related("notice"), pk=pk)
    return render(request, "tasks/item_history.html", {"item": item, "notice": item.notice})


def _save_item(request, form, version: int | None = None) -> Item | None:
    try:
        with transaction.atomic():
            if version is not None:
                if not take_row(form.instance, version):
                    form.add_error(None, STALE_MESSAGE.format(what="该事项"))
                    return None
                form.instance.version = version + 1
            item = form.save()
            before = rows_snapshot(notices=[item.notice])  # the rows still hold their old 时限 here
            item_sync_assignments(item=item)
            change_set_record(notice=item.notice, before=before, kind=ChangeSet.Kind.EDIT, created_by=request.user)
            return item
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None


@login_required
def item_create(request, notice_pk):
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=notice_pk)
    require_office(request.user, notice.government_id)
    form = ItemForm(request.POST or None, notice=notice, initial={"section": request.GET.get("section")})
    if request.method == "POST" and form.is_valid():
        item = _save_item(request, form)
        if item:
            messages.success(request, f"已添加第{item.number}项，并生成 {item.assignments.count()} 行台账。")
            return redirect(notice)
    return render(request, "tasks/item_form.html", {"form": form, "notice": notice, "item": None})


@login_required
def item_edit(request, pk):
    item = get_object_or_404(Item.objects.visible_to(request.user).select_related("notice"), pk=pk)
    require_office(request.user, item.notice.government_id)
    form = ItemForm(request.POST or None, instance=item, notice=item.notice)
    stale = False
    if request.method == "POST":
        version = expected_version(request.POST, item)
        stale = version != item.version
        if stale:
            form.add_error(None, STALE_MESSAGE.format(what="该事项") if version is not None else MISSING_VERSION)
        elif form.is_valid():
            saved = _save_item(request, form, version)
            if saved:
                messages.success(request, f"第{saved.number}项已保存，台账已按单位更新。")
                return redirect(saved)
            stale = STALE_MESSAGE.format(what="该事项") in form.non_field_errors()
        if stale:
            item.version = version or 0  # keep the stale version on the page: resubmitting is refused again
    return render(request, "tasks/item_form.html", {"form": form, "notice": item.notice, "item": item},
                  status=409 if stale else 200)


@require_POST
@login_required
def item_delete(request, pk):
    item = get_object_or_404(Item.objects.visible_to(request.user).select_related("notice"), pk=pk)
    require_office(request.user, item.notice.government_id)
    if item.assignments.filter(reports__isnull=False).exists():
        messages.error(request, f"第{item.number}项已有单位报送落实情况，不能删除。")
        return redirect(item)
    notice = item.notice
    number = item.number
    # Lower governments' items carrying this one out lose the link (SET_NULL); so do their ledger rows.
    Assignment.objects.filter(item__upper_item=item).update(upper_government=None)
    item.delete()
    messages.success(request, f"已删除第{number}项。")
    return redirect(notice)
