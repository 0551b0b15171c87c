"""A ledger row: its item, history of progress reports, the progress form; evidence downloads."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from core.http import redirect_next, today
from core.locking import MISSING_VERSION, expected_version, take_row
from tasks.archive import closed_message, year_is_closed
from tasks.forms import ProgressForm
from tasks.models import Assignment, Evidence, ProgressReport
from tasks.services import progress_submit


def _visible_assignment(user, pk) -> Assignment:
    return get_object_or_404(
        Assignment.objects.visible_to(user).select_related("item__notice", "item__section__parent", "unit"), pk=pk)


def _detail_context(request, assignment, form=None):
    reports = (ProgressReport.objects.filter(assignment=assignment).select_related("author", "corrects", "reviewed_by")
               .prefetch_related("evidence"))
    year_closed = year_is_closed(assignment.government_id, assignment.year)
    can_edit = not year_closed and Assignment.objects.editable_by(request.user).filter(pk=assignment.pk).exists()
    return {
        "assignment": assignment, "item": assignment.item, "notice": assignment.item.notice,
        "reports": reports, "can_edit": can_edit, "today": today(), "year_closed": year_closed,
        "form": form or (ProgressForm(today=today()) if can_edit else None),
    }


@login_required
def assignment_detail(request, pk):
    assignment = _visible_assignment(request.user, pk)
    return render(request, "tasks/assignment_detail.html", _detail_context(request, assignment))


@require_POST
@login_required
def progress_create(request, pk):
    assignment = _visible_assignment(request.user, pk)
    if not Assignment.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied("您没有权限为该单位填报落实情况。")
    form = ProgressForm(request.POST, request.FILES, today=today())
    status = 400
    if year_is_closed(assignment.government_id, assignment.year):  # before taking the row: nothing changes
        form.add_error(None, closed_message(assignment.year))
    elif form.is_valid():
        version = expected_version(request.POST, assignment)
        if version is None:
            form.add_error(None, MISSING_VERSION)
            status = 409
        elif version != assignment.version or not take_row(assignment, version):
            form.add_error(None, "该台账行已被其他人更新，本次填报未保存。请查看下方最新记录后重新填报。")
            status = 409
        else:
            # The row is locked now: record on its latest state (keeping the loaded item, unit, notice).
            assignment.refresh_from_db(fields=[f.attname for f in Assignment._meta.concrete_fields
                                               if f.name not in ("id", "item", "unit", "notice")])
            try:
                report = progress_submit(
                    assignment=assignment, author=request.user, text=form.cleaned_data["text"],
                    status=form.cleaned_data["status"], reported_on=form.cleaned_data["reported_on"],
                    links=form.cleaned_data["links"], files=form.cleaned_data["files"],
                    na_reason=form.cleaned_data["na_reason"], completed_on=form.cleaned_data["completed_on"])
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                review = "，已提交审核，审核通过后计为已完成" if report.review_status == "pending" else ""
                messages.success(request, f"已报送“{assignment.unit}”第{assignment.item_number}项的落实情况{review}。")
                return redirect_next(request, assignment)
    messages.error(request, "报送未成功，请按提示修改后重新提交。")
    return render(request, "tasks/assignment_detail.html", _detail_context(request, assignment, form), status=status)


@login_required
def evidence_download(request, pk):
    visible = Assignment.objects.visible_to(request.user)
    evidence = get_object_or_404(Evidence.objects.filter(report__assignment__in=visible), pk=pk)
    if not evidence.file:
        raise Http404("该佐证材料是链接，没有文件。")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在，请联系管理员。")
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name or evidence.file.name)
