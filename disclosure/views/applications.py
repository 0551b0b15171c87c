"""One application: its page (clock, events, answer, documents, cases), registering and editing it, and the
actions that move its clock. Reads go through visible_to (another unit's application is a 404), writes
through editable_by (403 for users who may only read)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from audit.trail import get_scoped_or_404
from core.dates import cn_date
from disclosure import clock as legal_clock
from disclosure import services
from disclosure.forms import AnswerForm, ApplicationForm, CaseForm, DocumentForm, EventForm
from disclosure.models import Application, ApplicationDocument, ApplicationEvent, ReviewCase
from disclosure.views.common import can_add, decorate, today, visible_application
from workflow.calendar import WorkCalendar, fallback_message


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _detail_context(request, application, **forms):
    day = today()
    cal = WorkCalendar()
    decorate([application], request.user, day, cal)
    events = list(application.events.all())
    state = legal_clock.clock_for(received_on=application.received_on, events=events,
                                  answered_on=application.answered_on, calendar=cal)
    editable = Application.objects.editable_by(request.user).filter(pk=application.pk).exists()
    context = {
        "a": application, "events": events, "documents": list(application.documents.all()),
        "cases": [(c, CaseForm(instance=c, today=day, prefix=f"case{c.pk}")) for c in application.cases.all()], "clock": state, "editable": editable, "today": day,
        "shows_personal": application.shows_personal_data(request.user),
        "calendar_warnings": [fallback_message(y) for y in cal.missing_years(application.received_on,
                                                                             application.due_on)],
        "event_form": forms.get("event_form") or EventForm(today=day),
        "answer_form": forms.get("answer_form") or AnswerForm(today=day),
        "document_form": forms.get("document_form") or DocumentForm(),
        "case_form": forms.get("case_form") or CaseForm(today=day),
    }
    if state.correction_notice_due and not application.answered_on:
        context["correction_notice_due"] = cn_date(state.correction_notice_due)
    return context


@login_required
def application_detail(request, pk):
    application = visible_application(request, pk)
    return render(request, "disclosure/application_detail.html", _detail_context(request, application))


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request):
    if not can_add(request.user):
        raise PermissionDenied("只有单位联络员和公开办可以登记申请。")
    office = request.user.is_office
    unit = None if office else request.user.unit
    form = ApplicationForm(request.POST or None, today=today(), unit=unit, choose_unit=office)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(unit=form.owner_unit, values=form.values(), user=request.user,
                                                      today=today())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已登记{cn_date(application.received_on)}收到的申请，"
                                      f"答复期限{cn_date(application.due_on)}。")
            return redirect(application)
    status = 400 if request.method == "POST" else 200
    return render(request, "disclosure/application_form.html", {"form": form, "creating": True}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    application = visible_application(request, pk, for_update=True)
    form = ApplicationForm(request.POST or None, instance=application, today=today())
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(application=application, values=form.values(), user=request.user,
                                        version=form.cleaned_data.get("version") or 0, today=today())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect(application)
    status = 400 if request.method == "POST" else 200
    return render(request, "disclosure/application_form.html", {"form": form, "a": application}, status=status)


def _action_failed(request, application, **forms):
    messages.error(request, "未保存，请按提示修改后重新提交。")
    return render(request, "disclosure/application_detail.html", _detail_context(request, application, **forms),
                  status=400)


@login_required
@require_POST
def event_add(request, pk):
    application = visible_application(request, pk, for_update=True)
    form = EventForm(request.POST, today=today())
    if form.is_valid():
        try:
            event = services.event_add(application=application, user=request.user, today=today(), **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            application.refresh_from_db()
            due = cn_date(application.due_on) if application.due_on else "暂停计时"
            messages.success(request, f"已登记“{event.get_kind_display()}”，答复期限：{due}。")
            return redirect(application)
    return _action_failed(request, application, event_form=form)


@login_required
@require_POST
def event_delete(request, pk):
    visible = Application.objects.visible_to(request.user)
    event = get_scoped_or_404(request, ApplicationEvent.objects.filter(application__in=visible)
                              .select_related("application"), pk=pk)
    application = visible_application(request, event.application_id, for_update=True)
    if application.answered_on:
        messages.error(request, "申请已办结，不能删除办理过程；如需更正请先撤销办结。")
        return redirect(application)
    services.event_delete(event=event)
    messages.success(request, f"已删除“{event.get_kind_display()}”（{cn_date(event.date)}）。")
    return redirect(application)


@login_required
@require_POST
def application_answer(request, pk):
    application = visible_application(request, pk, for_update=True)
    form = AnswerForm(request.POST, request.FILES, today=today())
    if application.answered_on:
        form.add_error(None, "该申请已办结。")
    elif form.is_valid():
        try:
            services.application_answer(application=application, user=request.user, today=today(),
                                        **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            application.refresh_from_db()
            timing = {True: "按时办结", False: "超过答复期限办结", None: "已办结"}[application.answered_on_time]
            messages.success(request, f"已登记办理结果“{application.outcome_display}”，{timing}。")
            return redirect(application)
    return _action_failed(request, application, answer_form=form)


@login_required
@require_POST
def application_reopen(request, pk):
    application = visible_application(request, pk, for_update=True)
    if not application.answered_on:
        messages.info(request, "该申请尚未办结。")
    else:
        services.application_reopen(application=application)
        messages.success(request, "已撤销办结，申请恢复为办理中。")
    return redirect(application)


@login_required
@require_POST
def document_upload(request, pk):
    application = visible_application(request, pk, for_update=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        for upload in form.cleaned_data["files"]:
            services.document_add(application=application, upload=upload, user=request.user)
        messages.success(request, f"已上传{len(form.cleaned_data['files'])}个文件。")
        return redirect(application)
    return _action_failed(request, application, document_form=form)


@login_required
def document_download(request, pk):
    visible = Application.objects.visible_to(request.user)
    document = get_scoped_or_404(request, ApplicationDocument.objects.filter(application__in=visible), pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在，请联系管理员。")
    return FileResponse(handle, as_attachment=True, filename=document.original_name)


@login_required
@require_POST
def case_add(request, pk):
    application = visible_application(request, pk, for_update=True)
    form = CaseForm(request.POST, today=today())
    if form.is_valid():
        try:
            case = services.case_add(application=application, today=today(), values=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已登记{case.get_kind_display()}。")
            return redirect(application)
    return _action_failed(request, application, case_form=form)


@login_required
@require_POST
def case_edit(request, pk):
    visible = Application.objects.visible_to(request.user)
    case = get_scoped_or_404(request, ReviewCase.objects.filter(application__in=visible).select_related("application"),
                             pk=pk)
    application = visible_application(request, case.application_id, for_update=True)
    form = CaseForm(request.POST, instance=ReviewCase.objects.get(pk=case.pk), today=today(), prefix=f"case{case.pk}")
    if form.is_valid():
        try:
            services.case_update(case=case, today=today(), values=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已更新{case.get_kind_display()}（{case.get_result_display()}）。")
            return redirect(application)
    messages.error(request, "未保存，请按提示修改后重新提交。")
    context = _detail_context(request, application)
    context["cases"] = [(c, form if c.pk == case.pk else f) for c, f in context["cases"]]
    return render(request, "disclosure/application_detail.html", context, status=400)
