"""The annual-report paragraph on how the year's task table was carried out (office edits, leaders read)."""
from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audit.stamped_cache import cached_until_audited
from core.forms import add_errors
from core.http import today
from reports.forms import AnnualTextForm
from reports.services import annual_text_draft, annual_text_get, annual_text_save
from reports.stats import scoped_rows
from reports.summary import scoped_items, scoped_notices
from reports.views.common import read_scope
from tasks.models import Notice


def cached_draft(user, *, year: int, today: datetime.date, notice: Notice | None) -> str:
    """``annual_text_draft`` until the next audited change (audit.stamped_cache): it counts every row of the year
    (100,000 at 1,000,000 rows) on every visit otherwise. Keyed on the SQL of the user's notices, items and rows of
    the year or notice (they hold the user's scope) and today's date."""
    scope = (scoped_notices(user, year, notice).query, scoped_items(user, year, notice).query,
             scoped_rows(user, year=year, notice=notice).query, today)
    return cached_until_audited("annual-text-draft", scope,
                                lambda: annual_text_draft(user=user, year=year, today=today, notice=notice))


@require_http_methods(["GET", "POST"])
@login_required
def annual_text(request):
    user = request.user
    if not user.sees_everything:
        raise PermissionDenied("年报文字由公开办管理员编辑，本单位人员请在“落实汇总”中查看本单位情况。")
    day = today()
    scope = read_scope(request, day, strict=request.method == "POST")
    saved = annual_text_get(year=scope.year, notice=scope.notice, government_id=user.government_id)
    is_draft = False
    if request.method == "POST":
        if not user.is_office:
            raise PermissionDenied("只有公开办管理员可以编辑年报文字。")
        form = AnnualTextForm(request.POST)
        if form.is_valid():
            try:
                annual_text_save(user=user, year=scope.year, notice=scope.notice, text=form.cleaned_data["text"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"{scope.year}年年报文字已保存，导出汇总表时将使用该文字。")
                return redirect(f"{request.path}?{scope.query}")
    elif saved and not request.GET.get("draft"):
        form = AnnualTextForm(initial={"text": saved.text})
    else:
        is_draft = True
        form = AnnualTextForm(initial={"text": cached_draft(user, year=scope.year, today=day, notice=scope.notice)})
    return render(request, "reports/annual_text.html", {
        "scope": scope, "form": form, "saved": saved, "is_draft": is_draft, "can_edit": user.is_office,
        "today": day,
    })
