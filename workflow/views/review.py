"""Review: done-claims waiting for the office or the lead unit, accept and return."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_POST

from audit.trail import get_scoped_or_404
from core.forms import add_errors
from core.http import redirect_next
from tasks.models import Assignment, ProgressReport
from workflow.forms import ReturnForm
from workflow.review import can_review, review_accept, review_return


def _pending_reports(user):
    return (ProgressReport.objects.filter(review_status=ProgressReport.Review.PENDING,
                                          assignment__in=Assignment.objects.reviewable_by(user))
            .select_related("assignment__unit", "assignment__notice", "assignment__item", "author")
            .prefetch_related("evidence").order_by("created_at", "id"))


@login_required
def review_list(request):
    """待审核: done-claims this user may accept or return, oldest first."""
    page = Paginator(_pending_reports(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "workflow/review_list.html", {
        "page_obj": page, "reports": page.object_list, "is_paginated": page.has_other_pages(),
        "return_form": ReturnForm(),
    })


def _reviewable_report(request, pk) -> ProgressReport:
    """404 for a report the user cannot see; 403 for one the user can see but not review."""
    report = get_scoped_or_404(request, ProgressReport.objects.visible_to(request.user)
                               .select_related("assignment__unit", "assignment__notice", "assignment__item"), pk=pk)
    if not can_review(request.user, report.assignment):
        raise PermissionDenied("您没有权限审核该单位的报送。")
    return report


def _back(request, report):
    return redirect_next(request, "workflow:review-list")


@require_POST
@login_required
def report_accept(request, pk):
    report = _reviewable_report(request, pk)
    try:
        review_accept(report=report, reviewer=request.user, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已审核通过“{report.assignment.unit}”第{report.assignment.item_number}项，"
                                  f"该项计为已完成。")
    return _back(request, report)


@login_required
def report_return(request, pk):
    """退回: GET shows the report and the reason form, POST returns it (reason required)."""
    report = _reviewable_report(request, pk)
    form = ReturnForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                review_return(report=report, reviewer=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"已退回“{report.assignment.unit}”第{report.assignment.item_number}项，"
                                          f"该单位联络员已收到退回理由。")
                return _back(request, report)
        status = 400
    return render(request, "workflow/review_return.html", {"report": report, "form": form,
                                                                 "next": request.GET.get("next", "")},
                  status=status)
