"""The register's lists: a unit's register (or every unit's, for the office), the office's overview of open
applications, the register export, 表三/表四 with the rows behind each figure, and statistics."""
from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from audit.trail import audit_event
from core.dates import cn_date
from disclosure import stats
from disclosure.models import OUTCOME_CHOICES, T3_ROW_CODES, T3_ROW_LABELS, Application, ReviewCase
from disclosure.services import (
    T3_COLUMN_CODES,
    annual_tables,
    open_applications_by_unit,
    register_ensure,
    t4_cases_behind,
    unit_keeps_register,
)
from disclosure.views.common import can_add, decorate, today
from units.models import Unit

PER_PAGE = 30
STATUS_CHOICES = (("open", "办理中"), ("overdue", "已逾期"), ("closed", "已办结"), ("late", "超期办结"),
                  ("carried", "上年结转"), ("carry_next", "结转下年度"))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _units_for(user):
    """The unit choices of the register's pages: the user's government's units (not every government's: at
    province scale eight thousand options were most of the page), or the user's own unit."""
    if user.sees_everything:
        return list(Unit.objects.visible_to(user).active().in_fixed_order().only("id", "short_name", "name"))
    return [user.unit] if user.unit_id else []


def filtered(request):
    """The register as the user may see it, filtered by the query string; the filters as they were read."""
    user, day = request.user, today()
    qs = Application.objects.visible_to(user).with_related()
    p = request.GET
    f = {"year": _int(p.get("year")), "unit": _int(p.get("unit")), "status": p.get("status", ""),
         "q": p.get("q", "").strip()[:100], "type": p.get("type", ""), "outcome": p.get("outcome", ""),
         "row": p.get("row", ""), "col": p.get("col", "")}
    if f["unit"]:
        qs = qs.filter(unit_id=f["unit"])
    if f["status"] in ("carried", "carry_next"):
        f["year"] = f["year"] or day.year
        f["row"], f["col"] = f["status"], ""
    if f["row"] in T3_ROW_CODES and f["year"]:
        qs = qs.behind_figure(f["year"], f["row"], f["col"] if f["col"] in T3_COLUMN_CODES else "total")
    elif f["year"]:
        qs = qs.for_year(f["year"])
    if f["status"] in ("carried", "carry_next"):
        pass
    elif f["status"] == "open":
        qs = qs.open()
    elif f["status"] == "overdue":
        qs = qs.overdue(day)
    elif f["status"] == "closed":
        qs = qs.filter(answered_on__isnull=False)
    elif f["status"] == "late":
        qs = qs.filter(answered_on__gt=F("due_on"))
    if f["type"] in Application.ApplicantType.values:
        qs = qs.filter(applicant_type=f["type"])
    if f["outcome"] in dict(OUTCOME_CHOICES):
        qs = qs.filter(outcome=f["outcome"])
    if f["q"]:
        search = Q(request_text__contains=f["q"]) | Q(reference__contains=f["q"])
        qs = qs.filter(search)
    return qs.order_by("-received_on", "-id"), f


@login_required
def application_list(request):
    qs, f = filtered(request)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = decorate(list(page.object_list), request.user, today())
    query = request.GET.copy()
    query.pop("page", None)
    figure = None
    if f["row"] in T3_ROW_CODES and f["year"]:
        col = dict(Application.ApplicantType.choices).get(f["col"], "总计")
        figure = f"{f['year']}年表三“{T3_ROW_LABELS[f['row']]}”行“{col}”列"
    return render(request, "disclosure/application_list.html", {
        "rows": rows, "page_obj": page, "is_paginated": page.has_other_pages(), "f": f, "query": query.urlencode(),
        "units": _units_for(request.user), "statuses": STATUS_CHOICES, "types": Application.ApplicantType.choices,
        "outcomes": OUTCOME_CHOICES, "can_add": can_add(request.user), "figure": figure, "today": today(),
        "years": range(today().year, today().year - 6, -1)})


@login_required
def open_overview(request):
    """The office's view: every unit's open applications and their clocks, the late ones first."""
    if not request.user.sees_everything:
        raise PermissionDenied("只有公开办和领导可以查看全部单位的办理情况。")
    day = today()
    rows = list(Application.objects.visible_to(request.user).open().with_related().order_by("due_on", "id")[:500])
    rows.sort(key=lambda a: (a.due_on is None, a.due_on or day, a.id))
    return render(request, "disclosure/open_overview.html", {
        "rows": decorate(rows, request.user, day), "units": open_applications_by_unit(user=request.user, today=day),
        "today": day})


@login_required
def application_export(request):
    """The register as the list shows it, unpaginated, as .xlsx; applicants in full only for the handling unit
    and the office (masked for others)."""
    from disclosure.excel import register_workbook

    qs, f = filtered(request)
    rows = decorate(list(qs[:20000]), request.user, today())
    book = register_workbook(rows)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    audit_event(request, AuditEvent.Action.EXPORT, object_type="disclosure.application",
                label="依申请公开登记簿", message=f"导出依申请公开登记簿 {len(rows)} 条")
    name = f"{f['year'] or ''}{'年' if f['year'] else ''}依申请公开登记簿.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name)


def _unit_param(request):
    """The unit a table or statistics page is about: the user's own unless the user sees every unit."""
    user = request.user
    unit_id = _int(request.GET.get("unit"))
    if user.sees_everything:
        if unit_id:
            unit = Unit.objects.visible_to(user).filter(pk=unit_id).first()
            if unit is None:
                raise Http404("单位不存在。")
            return unit
        return None  # the whole government
    if not user.unit_id:
        raise PermissionDenied("您的账号没有所属单位。")
    return user.unit


def _government_of(user):
    """The government whose register a whole-government table counts: the user's (None: the install's operator)."""
    return None if user.sees_all_governments else user.government_id


@login_required
def annual_tables_page(request):
    """表三 and 表四 counted from the register, each figure a link to the rows behind it."""
    day = today()
    year = _int(request.GET.get("year")) or day.year
    unit = _unit_param(request)
    tables = annual_tables(year=year, unit=unit, government=_government_of(request.user))
    columns = list(Application.ApplicantType.choices) + [("total", "总计")]
    base = f"year={year}" + (f"&unit={unit.pk}" if unit else "")
    t3 = [{"code": code, "label": T3_ROW_LABELS[code],
           "cells": [(n, f"{base}&row={code}&col={col}") for n, (col, _) in zip(tables["table3"][i], columns, strict=False)]}
          for i, code in enumerate(T3_ROW_CODES)]
    t4 = []
    for g, (group, label) in enumerate(ReviewCase.Kind.choices):
        cells = tables["table4"][g * 5:(g + 1) * 5]
        results = [*ReviewCase.Result.values, "total"]
        t4.append({"label": label, "cells": [(n, f"{base}&group={group}&result={r}") for n, r in zip(cells, results, strict=False)]})
    return render(request, "disclosure/annual_tables.html", {
        "year": year, "unit": unit, "t3": t3, "t4": t4, "columns": columns, "units": _units_for(request.user),
        "years": range(day.year, day.year - 6, -1), "check_ok": _t3_consistent(tables["table3"]),
        "keeps": unit is not None and unit_keeps_register(unit, year),
        "can_start": unit is not None and can_add(request.user)
        and (request.user.is_office or request.user.unit_id == unit.pk)})


@login_required
@require_POST
def register_start(request):
    """A unit declares that it keeps its register in the app from a year on (also a year without any
    application): its annual report's 表三 and 表四 are then counted from the register."""
    user = request.user
    unit_id = _int(request.POST.get("unit"))
    year = _int(request.POST.get("year"))
    if not can_add(user) or (not user.is_office and unit_id != user.unit_id):
        raise PermissionDenied("只有本单位联络员和公开办可以启用登记簿。")
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or year is None or not 2000 <= year <= today().year:
        raise Http404("单位或年度不存在。")
    register_ensure(unit=unit, year=year)
    messages.success(request, f"{unit}自{year}年起按登记簿计算年报表三、表四。")
    return redirect(f"{reverse('disclosure:annual-tables')}?year={year}&unit={unit.pk}")


def _t3_consistent(table3) -> bool:
    """一 + 二 = （七）总计 + 四, column by column, and 总计 = sum of the results."""
    new, carried, total, carry = table3[0], table3[1], table3[-2], table3[-1]
    parts = [sum(row[c] for row in table3[2:-2]) for c in range(7)]
    return all(new[c] + carried[c] == total[c] + carry[c] and parts[c] == total[c] for c in range(7))


@login_required
def case_list(request):
    """The 行政复议 / 行政诉讼 cases behind a cell of 表四 (or all of a year)."""
    day = today()
    year = _int(request.GET.get("year")) or day.year
    unit = _unit_param(request)
    group, result = request.GET.get("group", ""), request.GET.get("result", "total")
    groups = [group] if group in ReviewCase.Kind.values else ReviewCase.Kind.values
    cases = []
    for g in groups:
        cases += t4_cases_behind(year=year, unit=unit, group=g, result=result, government=_government_of(request.user))
    visible = set(Application.objects.visible_to(request.user).filter(
        pk__in=[c.application_id for c in cases]).values_list("pk", flat=True))
    cases = [c for c in cases if c.application_id in visible]
    return render(request, "disclosure/case_list.html", {
        "cases": cases, "year": year, "unit": unit, "group": dict(ReviewCase.Kind.choices).get(group, "全部"),
        "result": dict(ReviewCase.Result.choices).get(result, "总计"), "year_end": cn_date(day.replace(
            year=year, month=12, day=31))})


@login_required
def stats_page(request):
    day = today()
    year = _int(request.GET.get("year")) or day.year
    unit = _unit_param(request)
    data = stats.register_stats(year=year, unit=unit, user=request.user)
    return render(request, "disclosure/stats.html", {
        "year": year, "unit": unit, "s": data, "units": _units_for(request.user),
        "years": range(day.year, day.year - 6, -1)})
