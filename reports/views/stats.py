"""The statistics dashboard: completion by unit, status by section, deadlines by month."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.http import today
from reports.stats import Figures, overdue_lines, overdue_rows, year_statistics
from reports.views.common import read_scope

OVERDUE_SHOWN = 50


def _series(figures: list[Figures]) -> dict:
    """Stacked-bar data: labels and one list per status, in the same order."""
    return {
        "labels": [f.label for f in figures],
        "on_time": [f.done_on_time for f in figures],
        "late": [f.done_late for f in figures],
        "pending": [f.pending for f in figures],
        "overdue": [f.overdue for f in figures],
        "na": [f.not_applicable for f in figures],
    }


def _chart_height(bars: int) -> int:
    """Pixels for a horizontal bar chart: room for every label, within reason."""
    return min(max(220, 26 * bars + 80), 1400)


@require_safe
@login_required
def stats_page(request):
    day = today()
    scope = read_scope(request, day)
    stats = year_statistics(request.user, year=scope.year, today=day, notice=scope.notice)
    overdue = list(overdue_lines(request.user, year=scope.year, today=day, notice=scope.notice, limit=OVERDUE_SHOWN))
    overdue_total = (len(overdue) if len(overdue) < OVERDUE_SHOWN
                     else overdue_rows(request.user, year=scope.year, today=day, notice=scope.notice).count())
    return render(request, "reports/stats.html", {
        "scope": scope, "stats": stats, "today": day, "scope_label": scope.label(request.user),
        "overdue": overdue, "overdue_total": overdue_total,
        "units_chart_height": _chart_height(len(stats.units)),
        "sections_chart_height": _chart_height(len(stats.sections)),
        "chart_data": {"units": _series(stats.units), "sections": _series(stats.sections),
                       "months": _series(stats.months)},
    })
