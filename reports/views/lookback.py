"""The look-back (回头看): carry last year's unfinished items into this year as rectification items.

The candidates are paged (``LOOKBACK_PER_PAGE`` items, in the origin table's order) and filtered (notice, unit
with an open row, keyword, only the uncarried ones); the totals are exact counts of the same filter; the form
carries the checked items of the page, or every candidate matching the filter (resolved by the service). So a
request costs the same whatever the size of the year: the session and user, the notices of both years, the
units, the count, the page's items (their carried items prefetched) and the page's rows.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.forms import add_errors
from core.http import require_office, today
from reports.forms import LookbackFilterForm, LookbackForm, lookback_notices
from reports.services import lookback_create
from reports.summary import LOOKBACK_PER_PAGE, SummaryPage, lookback_candidates, lookback_total
from units.models import Unit


def _from_year(request, default: int) -> int:
    try:
        year = int(request.GET.get("from_year") or request.POST.get("from_year") or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _page_number(value, pages: int) -> int:
    try:
        return min(max(int(value), 1), pages)
    except (TypeError, ValueError):
        return 1


def _created_message(result) -> str:
    text = f"已在{result.notice.doc_number}“{result.section.heading}”中新建{len(result.created)}项整改事项"
    if result.created:
        text += f"（第{result.created[0].number}—{result.created[-1].number}项）"
    if result.skipped:
        text += f"；{len(result.skipped)}项此前已整改过，未重复创建"
    return text + "。"


@require_http_methods(["GET", "POST"])
@login_required
def lookback(request):
    user = request.user
    require_office(user)
    day = today()
    from_year = _from_year(request, day.year - 1)
    to_year = from_year + 1
    notices = list(lookback_notices(user, [from_year, to_year]))
    units = list(Unit.objects.visible_to(user).in_fixed_order().values_list("pk", "short_name"))
    filter_form = LookbackFilterForm(request.GET,
                                     notices=[n for n in notices if n.work_year == from_year], units=units)
    filters = filter_form.filters()
    form = LookbackForm(request.POST or None, to_year=to_year, user=user,
                        to_notices=[n for n in notices if n.work_year == to_year])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = lookback_create(
                user=user, from_year=from_year, item_ids=data["items"], today=day,
                all_matching=filters if data["all_matching"] else None,
                to_notice=data["to_notice"], deadline=data["deadline"], new_doc_number=data["new_doc_number"],
                new_title=data["new_title"], to_year=to_year)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _created_message(result))
            return redirect(result.notice.get_absolute_url())
    total = lookback_total(user, from_year=from_year, filters=filters)
    pages = max(1, -(-total // LOOKBACK_PER_PAGE))
    number = _page_number(request.GET.get("page"), pages)
    offset = (number - 1) * LOOKBACK_PER_PAGE
    candidates = (lookback_candidates(user, from_year=from_year, today=day, filters=filters, offset=offset,
                                      limit=LOOKBACK_PER_PAGE) if total else [])
    page = SummaryPage(number=number, pages=pages, total=total, start=offset + 1 if candidates else 0,
                       end=offset + len(candidates), rows=[])
    query = request.GET.copy()
    query.pop("page", None)
    query["from_year"] = from_year
    selected = form["items"].value() or []
    return render(request, "reports/lookback.html", {
        "form": form, "filter_form": filter_form, "candidates": candidates, "page": page, "total": total,
        "filtered": filters != type(filters)(),
        "from_year": from_year, "to_year": to_year, "today": day, "query": query.urlencode(),
        "selected": {int(i) for i in selected if str(i).isdigit()},
    })
