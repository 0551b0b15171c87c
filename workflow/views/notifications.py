"""A user's notifications (消息): reminders, chases, review results; marking them read."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.trail import get_scoped_or_404
from workflow.models import Notification
from workflow.notifications import notifications_mark_read


@login_required
def notification_list(request):
    notes = Notification.objects.for_user(request.user).select_related("assignment__notice")
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notes = notes.unread()
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "workflow/notification_list.html", {
        "page_obj": page, "notes": page.object_list, "is_paginated": page.has_other_pages(),
        "unread_only": unread_only,
    })


@require_POST
@login_required
def notification_read(request, pk):
    """Mark one notification read and go to what it is about."""
    note = get_scoped_or_404(request, Notification.objects.for_user(request.user), pk=pk)
    notifications_mark_read(user=request.user, ids=[note.pk])
    if request.POST.get("open") and note.link.startswith("/"):
        return redirect(note.link)
    return redirect("workflow:notification-list")


@require_POST
@login_required
def notification_read_all(request):
    count = notifications_mark_read(user=request.user)
    messages.success(request, f"已将{count}条消息标记为已读。" if count else "没有未读消息。")
    return redirect("workflow:notification-list")
