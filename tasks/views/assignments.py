"""A ledger row: its item, history of progress reports, the progress form; evidence downloads."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from core.http import redirect_next, today
from core.locking import MISSING_VERSION, expected_version, take_row
from tasks.archive import closed_message, year_is_closed
from tasks.forms import ProgressForm
from tasks.models import Assignment, Evidence, ProgressReport
from tasks.services import progress_submit_many


def _visible_assignment(user, pk) -> Assignment:
    """The row if the user may see it, with ``user_may_edit`` (Assignment.objects.editable_by) read in the same query."""
    may_edit = Exists(Assignment.objects.editable_by(user).filter(pk=OuterRef("pk")))
    return get_object_or_404(Assignment.objects.visible_to(user).annotate(user_may_edit=may_edit)
                             .select_related("item__notice", "item__section__parent", "unit"), pk=pk)


def _same_rows(user, assignment) -> list[Assignment]:
    """The unit's other open rows with the same 工作要求 that the user may report on (report once for all)."""
    return list(Assignment.objects.editable_by(user).same_requirement_as(assignment)
                .select_related("item", "notice").order_by("-year", "notice_id", "item_number"))


def _last_report(assignment) -> ProgressReport | None:
    """The report the form starts from (ProgressReportQuerySet.to_start_from)."""
    return ProgressReport.objects.filter(assignment=assignment).to_start_from().first()


def _detail_context(request, assignment, form=None):
    reports = (ProgressReport.objects.filter(assignment=assignment).select_related("author", "corrects", "reviewed_by")
               .prefetch_related("evidence"))
    year_closed = year_is_closed(assignment.government_id, assignment.year)
    can_edit = not year_closed and assignment.user_may_edit
    last = None
    if can_edit and form is None:
        last = _last_report(assignment)
        form = ProgressForm(today=today(), same_rows=_same_rows(request.user, assignment),
                            last_text=last.text if last else "")
    return {
        "assignment": assignment, "item": assignment.item, "notice": assignment.item.notice,
        "reports": reports, "can_edit": can_edit, "today": today(), "prefilled_from": last,
        "year_closed": year_closed, "form": form if can_edit else None,
    }


@login_required
def assignment_detail(request, pk):
    assignment = _visible_assignment(request.user, pk)
    return render(request, "tasks/assignment_detail.html", _detail_context(request, assignment))


def _lock_rows(request, form, assignment, also: list[Assignment]) -> int | None:
    """Lock the row and the chosen same-requirement rows at the versions the page showed; the HTTP status
    to answer with when one moved on (nothing is saved then), else None."""
    version = expected_version(request.POST, assignment)
    if version is None:
        form.add_error(None, MISSING_VERSION)
        return 409
    if version != assignment.version or not take_row(assignment, version):
        form.add_error(None, "该台账行已被其他人更新，本次填报未保存。请查看下方最新记录后重新填报。")
        return 409
    for row in also:
        sent = expected_version({"version": request.POST.get(f"also_version_{row.pk}")})
        if sent is None or sent != row.version or not take_row(row, sent):
            form.add_error(None, f"第{row.item_number}项（{row.notice.doc_number}）已被其他人更新，本次填报未保存。"
                                 "请刷新页面后重新填报。")
            return 409
    return None


def _row_names(assignment, also) -> str:
    """第3项, or for a report to several rows 第3项、第5项、鼓政办〔2025〕2号第3项 (another notice named)."""
    return "、".join(f"{'' if r.notice_id == assignment.notice_id else r.notice.doc_number}第{r.item_number}项"
                    for r in (assignment, *also))


@require_POST
@login_required
def progress_create(request, pk):
    assignment = _visible_assignment(request.user, pk)
    if not assignment.user_may_edit:
        raise PermissionDenied("您没有权限为该单位填报落实情况。")
    form = ProgressForm(request.POST, request.FILES, today=today(), same_rows=_same_rows(request.user, assignment))
    status = 400
    if year_is_closed(assignment.government_id, assignment.year):  # before taking the row: nothing changes
        messages.error(request, closed_message(assignment.year))
        return render(request, "tasks/assignment_detail.html", _detail_context(request, assignment), status=400)
    if form.is_valid():
        also = form.cleaned_data["also"]
        status = _lock_rows(request, form, assignment, also)
        if status is None:
            # The rows are locked now: record on their latest state (keeping the loaded item, unit, notice).
            fields = [f.attname for f in Assignment._meta.concrete_fields if f.name not in ("id", "item", "unit", "notice")]
            for row in (assignment, *also):
                row.refresh_from_db(fields=fields)
            data = {name: form.cleaned_data[name] for name in
                    ("text", "reported_on", "links", "files", "na_reason", "completed_on")}
            try:
                reports = progress_submit_many(assignments=[assignment, *also], author=request.user,
                                               status=form.cleaned_data["status"], **data)
            except ValidationError as exc:
                status = 400
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                review = "，已提交审核，审核通过后计为已完成" if reports[0].review_status == "pending" else ""
                messages.success(request, f"已报送“{assignment.unit}”{_row_names(assignment, also)}的落实情况{review}。")
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
