"""The public progress page (公开进度页): anonymous pages at /gongkai/, and the office's publish / withdraw action.

The anonymous pages read only through reports.public (published notices; statuses and dates, never texts,
evidence or people) and need no login and no session. A notice that is not published, or no longer, is a 404.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from core.http import require_office, today
from reports.public import public_notice, public_notices_by_government, public_rows, state_counts
from reports.services import notice_page_publish, notice_page_unpublish
from tasks.models import Notice


@transaction.non_atomic_requests  # read-only pages for anyone: no transaction to open
@require_safe
def public_index(request):
    """Every published notice, by government."""
    return render(request, "public/index.html", {"groups": public_notices_by_government(), "today": today()})


@transaction.non_atomic_requests
@require_safe
def public_notice_page(request, token):
    notice = public_notice(token)
    if notice is None:
        raise Http404("该公开页面不存在或已撤回。")
    rows = public_rows(notice)
    return render(request, "public/notice.html", {
        "notice": notice, "rows": rows, "counts": state_counts(rows), "today": today(),
    })


@require_POST
@login_required
def notice_public_page(request, pk):
    """Publish (action=publish) or withdraw (action=unpublish) a notice's public page: its government's office."""
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    require_office(request.user, notice.government_id)
    action = request.POST.get("action")
    try:
        if action == "publish":
            notice_page_publish(notice=notice, user=request.user, now=timezone.now())
            messages.success(request, "已发布公开进度页，公众无需登录即可查看任务分解表和各事项的落实状态。")
        elif action == "unpublish":
            notice_page_unpublish(notice=notice, user=request.user)
            messages.success(request, "已撤回公开进度页，公开地址不再可访问。")
        else:
            messages.error(request, "未知的操作。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(notice)
