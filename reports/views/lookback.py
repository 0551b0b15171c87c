"""The look-back (回头看): carry last year's unfinished items into this year as rectification items."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.forms import add_errors
from core.http import require_office, today
from reports.forms import LookbackForm
from reports.services import lookback_create
from reports.summary import lookback_candidates


def _from_year(request, default: int) -> int:
    try:
        year = int(request.GET.get("from_year") or request.POST.get("from_year") or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


@require_http_methods(["GET", "POST"])
@login_required
def lookback(request):
    require_office(request.user)
    day = today()
    from_year = _from_year(request, day.year - 1)
    to_year = from_year + 1
    candidates = lookback_candidates(request.user, from_year=from_year, today=day)
    form = LookbackForm(request.POST or None, candidates=candidates, to_year=to_year, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = lookback_create(
                user=request.user, from_year=from_year, item_ids=data["items"], today=day,
                to_notice=data["to_notice"], deadline=data["deadline"], new_doc_number=data["new_doc_number"],
                new_title=data["new_title"], to_year=to_year)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            text = f"已在{result.notice.doc_number}“{result.section.heading}”中新建{len(result.created)}项整改事项"
            if result.created:
                text += f"（第{result.created[0].number}—{result.created[-1].number}项）"
            if result.skipped:
                text += f"；{len(result.skipped)}项此前已整改过，未重复创建"
            messages.success(request, text + "。")
            return redirect(result.notice.get_absolute_url())
    return render(request, "reports/lookback.html", {
        "form": form, "candidates": candidates, "from_year": from_year, "to_year": to_year, "today": day,
        "selected": {int(i) for i in (form["items"].value() or []) if str(i).isdigit()},
    })
