"""The statistics dashboard: completion by unit, status by section, deadlines by month."""
from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from audit.stamped_cache import cached_until_audited
from core.http import today
from reports.stats import Figures, overdue_lines, scoped_rows, year_statistics
from reports.views.common import read_scope
from tasks.models import Notice

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


def figures_html(user, *, year: int, today: datetime.date, notice: Notice | None) -> str:
    """The page's figures rendered (reports/includes/stats_figures.html): cards, charts, the tables by unit, section
    and month, and the first OVERDUE_SHOWN lines of the 逾期清单 with its total."""
    stats = year_statistics(user, year=year, today=today, notice=notice)
    overdue = list(overdue_lines(user, year=year, today=today, notice=notice, limit=OVERDUE_SHOWN))
    return render_to_string("reports/includes/stats_figures.html", {
        "stats": stats, "overdue": overdue, "overdue_total": stats.unit_total.overdue_listed,
        "units_chart_height": _chart_height(len(stats.units)),
        "sections_chart_height": _chart_height(len(stats.sections)),
        "chart_data": {"units": _series(stats.units), "sections": _series(stats.sections),
                       "months": _series(stats.months)},
    })


def cached_figures_html(user, *, year: int, today: datetime.date, notice: Notice | None) -> str:
    """``figures_html`` until the next audited change (audit.stamped_cache): computing it reads every row of the year
    (100,000 at 1,000,000 rows) and renders a hundred table rows, on every visit otherwise. Keyed on the SQL of the
    user's visible rows of the year or notice (it holds the user's scope) and today's date."""
    return mark_safe(cached_until_audited(  # noqa: S308 - our own template's output
        "stats-page", (scoped_rows(user, year=year, notice=notice).query, today),
        lambda: figures_html(user, year=year, today=today, notice=notice)))


@require_safe
@login_required
def stats_page(request):
    day = today()
    scope = read_scope(request, day)
    return render(request, "reports/stats.html", {
        "scope": scope, "today": day, "scope_label": scope.label(request.user),
        "figures_html": cached_figures_html(request.user, year=scope.year, today=day, notice=scope.notice),
    })
