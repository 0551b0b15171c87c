"""Writes to the register and the figures computed from it.

Every write is a keyword-only function in one transaction that re-derives the legal clock
(`application_recompute`). Bad input raises ValidationError keyed by the form field it concerns, so the
page can show the Chinese message next to that field; nothing is saved then.

`annual_tables(year=, unit=)` gives 表三 (25 rows × 7 columns) and 表四 (15 numbers) in the official order,
and `unit_keeps_register(unit, year)` says whether a unit's report takes them from here.
"""
from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q

from audit.models import AuditEvent
from audit.trail import audit_event
from core.dates import cn_date
from disclosure import clock as legal_clock
from disclosure.models import (
    OUTCOME_CODES,
    T3_ROW_CODES,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Register,
    ReminderSent,
    ReviewCase,
)
from disclosure.querysets import t3_row_q, t4_case_q, year_bounds
from workflow.calendar import WorkCalendar

T3_COLUMN_CODES = tuple(Application.ApplicantType.values)  # 自然人 … 其他; 总计 is their sum
T4_GROUP_CODES = tuple(ReviewCase.Kind.values)
T4_RESULT_CODES = tuple(ReviewCase.Result.values)  # 维持 纠正 其他 尚未审结; 总计 is their sum
PERSONAL_FIELDS = ("applicant_name", "applicant_contact")
EDITABLE_FIELDS = ("reference", "received_on", "channel", "applicant_type", "applicant_name", "applicant_contact",
                   "request_text", "handler", "handler_name", "note")


class StaleVersion(ValidationError):
    pass


# --- the register ----------------------------------------------------------------------------------------

def unit_keeps_register(unit, year: int) -> bool:
    """True when `unit` keeps its 依申请公开 register in the app for `year`: its 表三/表四 are counted."""
    if unit is None:
        return Register.objects.keeping(year).exists()
    return Register.objects.keeping(year).filter(unit=unit).exists()


def register_ensure(*, unit, year: int) -> Register:
    """The unit's register, started no later than `year`."""
    register, created = Register.objects.get_or_create(unit=unit, defaults={"started_year": year})
    if not created and register.started_year > year:
        register.started_year = year
        register.save(update_fields=["started_year"])
    return register


def duplicate_of(*, unit, received_on, applicant_name, request_text, exclude_pk=None) -> Application | None:
    qs = Application.objects.filter(unit=unit, received_on=received_on, applicant_name=applicant_name.strip(),
                                    request_text=request_text.strip())
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def application_check(*, values: dict, unit, today: datetime.date, exclude_pk=None) -> None:
    """The rules of a register row: raise ValidationError keyed by field, with every problem found."""
    errors: dict[str, list[str]] = defaultdict(list)
    received, answered = values.get("received_on"), values.get("answered_on")
    if received and received > today:
        errors["received_on"].append(f"收到日期{cn_date(received)}晚于今天，不能登记未来的日期。")
    if answered and answered > today:
        errors["answered_on"].append(f"办结日期{cn_date(answered)}晚于今天，不能登记未来的日期。")
    if received and answered and answered < received:
        errors["answered_on"].append(f"办结日期{cn_date(answered)}早于收到日期{cn_date(received)}。")
    outcome = values.get("outcome") or ""
    if outcome and outcome not in OUTCOME_CODES:
        errors["outcome"].append("办理结果必须是年报表三的22种结果之一。")
    if answered and not outcome:
        errors["outcome"].append("已填写办结日期，请选择办理结果。")
    if outcome and not answered:
        errors["answered_on"].append("已选择办理结果，请填写办结日期。")
    if values.get("applicant_type") not in Application.ApplicantType.values:
        errors["applicant_type"].append("申请人类型必须是自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他之一。")
    if received and values.get("request_text") and values.get("applicant_name") is not None:
        twin = duplicate_of(unit=unit, received_on=received, applicant_name=values["applicant_name"],
                            request_text=values["request_text"], exclude_pk=exclude_pk)
        if twin:
            errors["request_text"].append(f"重复登记：本单位{cn_date(received)}已登记同一申请人的相同申请"
                                          f"{('（' + twin.reference + '）') if twin.reference else ''}。")
    if errors:
        raise ValidationError(dict(errors))


def application_recompute(*, application: Application, calendar: WorkCalendar | None = None) -> Application:
    """Re-derive due date and clock state from the events; saves only those two fields."""
    state = legal_clock.clock_for(received_on=application.received_on, events=list(application.events.all()),
                                  answered_on=application.answered_on, calendar=calendar)
    application.due_on, application.clock_state = state.due_on, state.state
    Application.objects.filter(pk=application.pk).update(due_on=state.due_on, clock_state=state.state)
    return application


@transaction.atomic
def application_create(*, unit, values: dict, user=None, today: datetime.date,
                       calendar: WorkCalendar | None = None) -> Application:
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    application_check(values=values, unit=unit, today=today)
    application = Application.objects.create(unit=unit, created_by=user, **values)
    register_ensure(unit=unit, year=application.received_on.year)
    return application_recompute(application=application, calendar=calendar)


@transaction.atomic
def application_update(*, application: Application, values: dict, version: int, user=None,
                       today: datetime.date) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.version != version:
        raise StaleVersion("这条申请已被他人修改，请刷新页面查看最新内容后再修改（您填写的内容保留在下方）。")
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items() if k in EDITABLE_FIELDS}
    merged = {f: getattr(locked, f) for f in ("received_on", "applicant_type", "applicant_name", "request_text",
                                              "outcome", "answered_on")} | values
    application_check(values=merged, unit=locked.unit, today=today, exclude_pk=locked.pk)
    if locked.events.filter(date__lt=merged["received_on"]).exists():
        raise ValidationError({"received_on": "收到日期不能晚于已登记的办理过程日期。"})
    personal = [name for name in PERSONAL_FIELDS if name in values and values[name] != getattr(locked, name)]
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version = F("version") + 1
    locked.save()
    if personal:  # the values stay out of the audit trail (it is exported); that they changed does not
        labels = "、".join(str(Application._meta.get_field(n).verbose_name) for n in personal)
        audit_event(user, AuditEvent.Action.UPDATE, obj=locked, message=f"修改了{labels}（个人信息，内容不记入日志）")
    locked.refresh_from_db()
    register_ensure(unit=locked.unit, year=locked.received_on.year)
    return application_recompute(application=locked)


def _event_problem(application: Application, kind: str, day: datetime.date, today: datetime.date) -> str | None:
    kinds = [e.kind for e in application.events.all() if e.date <= day]
    K = ApplicationEvent.Kind
    if day > today:
        return f"日期{cn_date(day)}晚于今天，不能登记未来的日期。"
    if day < application.received_on:
        return f"日期{cn_date(day)}早于收到申请的日期{cn_date(application.received_on)}。"
    if application.answered_on and day > application.answered_on:
        return f"该申请已于{cn_date(application.answered_on)}办结，不能再登记之后的办理过程。"
    sent = kinds.count(K.CORRECTION_SENT) - kinds.count(K.CORRECTION_RECEIVED)
    if kind == K.CORRECTION_RECEIVED and sent <= 0:
        return "尚未登记补正通知，不能登记收到补正材料。"
    if kind == K.CORRECTION_SENT and sent > 0:
        return "上一次补正通知尚未收到补正材料。"
    if kind == K.EXTENSION and K.EXTENSION in [e.kind for e in application.events.all()]:
        return "答复期限只能延长一次（政府信息公开条例第三十三条），已批准过延期。"
    open_consult = kinds.count(K.CONSULTATION_SENT) - kinds.count(K.CONSULTATION_ANSWERED)
    if kind == K.CONSULTATION_ANSWERED and open_consult <= 0:
        return "尚未登记征求第三方意见，不能登记收到第三方意见。"
    if kind == K.CONSULTATION_SENT and open_consult > 0:
        return "上一次征求第三方意见尚未收到答复。"
    return None


@transaction.atomic
def event_add(*, application: Application, kind: str, date: datetime.date, note: str = "", user=None,
              today: datetime.date) -> ApplicationEvent:
    if kind not in ApplicationEvent.Kind.values:
        raise ValidationError({"kind": "请选择办理过程的类型。"})
    problem = _event_problem(application, kind, date, today)
    if problem:
        raise ValidationError({"date": problem})
    event = ApplicationEvent.objects.create(application=application, kind=kind, date=date, note=note.strip(),
                                            created_by=user)
    application_recompute(application=application)
    return event


@transaction.atomic
def event_delete(*, event: ApplicationEvent) -> None:
    application = event.application
    event.delete()
    application_recompute(application=application)


@transaction.atomic
def application_answer(*, application: Application, outcome: str, answered_on: datetime.date, note: str = "",
                       files=(), user=None, today: datetime.date) -> Application:
    """Record the answer (办结): one of the 22 outcomes, the date, the answer's documents."""
    values = {"received_on": application.received_on, "applicant_type": application.applicant_type,
              "outcome": outcome, "answered_on": answered_on}
    application_check(values=values, unit=application.unit, today=today, exclude_pk=application.pk)
    if application.events.filter(date__gt=answered_on).exists():
        raise ValidationError({"answered_on": "办结日期早于已登记的办理过程日期。"})
    Application.objects.filter(pk=application.pk).update(outcome=outcome, answered_on=answered_on,
                                                         answer_note=note.strip(), version=F("version") + 1)
    application.refresh_from_db()
    for upload in files:
        document_add(application=application, upload=upload, user=user)
    return application_recompute(application=application)


@transaction.atomic
def application_reopen(*, application: Application) -> Application:
    """Undo an answer recorded by mistake: the application is open again."""
    Application.objects.filter(pk=application.pk).update(outcome="", answered_on=None, version=F("version") + 1)
    application.refresh_from_db()
    return application_recompute(application=application)


def document_add(*, application: Application, upload, user=None) -> ApplicationDocument:
    document = ApplicationDocument(application=application, original_name=upload.name[:200], uploaded_by=user)
    document.file.save(upload.name, upload, save=False)
    document.save()
    return document


def _case_errors(application: Application, values: dict, today: datetime.date) -> dict:
    errors = {}
    filed, decided, result = values.get("filed_on"), values.get("decided_on"), values.get("result")
    if filed and filed > today:
        errors["filed_on"] = f"日期{cn_date(filed)}晚于今天，不能登记未来的日期。"
    elif filed and filed < application.received_on:
        errors["filed_on"] = "申请复议或起诉的日期早于收到政府信息公开申请的日期。"
    if decided and decided > today:
        errors["decided_on"] = f"审结日期{cn_date(decided)}晚于今天。"
    elif decided and filed and decided < filed:
        errors["decided_on"] = "审结日期早于申请复议或起诉的日期。"
    if decided and result == ReviewCase.Result.PENDING:
        errors["result"] = "已填写审结日期，请选择维持、纠正或其他。"
    if not decided and result and result != ReviewCase.Result.PENDING:
        errors["decided_on"] = "结果为维持、纠正或其他时，请填写审结日期。"
    return errors


@transaction.atomic
def case_add(*, application: Application, values: dict, today: datetime.date) -> ReviewCase:
    errors = _case_errors(application, values, today)
    if errors:
        raise ValidationError(errors)
    return ReviewCase.objects.create(application=application, **values)


@transaction.atomic
def case_update(*, case: ReviewCase, values: dict, today: datetime.date) -> ReviewCase:
    """Record how a case ended (审结日期 and 结果), or correct it."""
    errors = _case_errors(case.application, values, today)
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(case, name, value)
    case.save()
    return case


# --- reminders -------------------------------------------------------------------------------------------

def _reminder_text(application: Application, left: int) -> tuple[str, str]:
    what = f"{cn_date(application.received_on)}收到的政府信息公开申请{application.reference and '（' + application.reference + '）'}"
    if left > 0:
        title = f"依申请公开临近期限：{what}还有{left}个工作日到期"
    elif left == 0:
        title = f"依申请公开今日到期：{what}今天是答复期限"
    else:
        title = f"依申请公开已逾期：{what}已超过答复期限{-left}个工作日"
    body = (f"{application.unit}：申请内容“{application.request_text[:40]}”，答复期限{cn_date(application.due_on)}，"
            "请依法按时答复并在登记簿中登记办理结果。")
    return title, body


def reminder_notifications(*, day: datetime.date, calendar: WorkCalendar | None = None, **_run) -> list:
    """The register's reminders for `day`, as new Notification rows (not yet e-mailed): 5 working days before
    the due date, on the day, and every working day while overdue, to the handler and the unit's liaisons.
    Nothing on a day off; each (application, person, kind, day) once, so a second run or another server
    creates nothing again. Takes the daily run's other keywords (next_day, days_before) and ignores them:
    the legal clock counts working days, not the ledger's calendar days."""
    from workflow.models import Notification
    from workflow.notifications import liaisons_by_unit

    cal = calendar or WorkCalendar()
    if not cal.is_working_day(day):
        return []
    horizon = cal.add_working_days(day, legal_clock.REMIND_DAYS_BEFORE)
    rows = list(Application.objects.open().filter(due_on__isnull=False, due_on__lte=horizon, unit__is_active=True)
                .select_related("unit", "handler").order_by("due_on", "id"))
    liaisons = liaisons_by_unit(a.unit_id for a in rows)
    created = []
    for application in rows:
        left = cal.working_days_between(day, application.due_on)
        if left not in (legal_clock.REMIND_DAYS_BEFORE, 0) and left >= 0:
            continue
        kind = Notification.Kind.OVERDUE if left < 0 else Notification.Kind.DUE_SOON
        recipients = list(liaisons.get(application.unit_id, []))
        handler = application.handler
        if handler is not None and handler.is_active and handler not in recipients:
            recipients.insert(0, handler)
        title, body = _reminder_text(application, left)
        for user in recipients:
            with transaction.atomic():
                _, fresh = ReminderSent.objects.get_or_create(application=application, recipient=user, kind=kind,
                                                              key_date=day)
                if fresh:
                    created.append(Notification.objects.create(
                        recipient=user, kind=kind, key_date=day, title=title[:200], body=body,
                        link=application.get_absolute_url()))
    return created


def reminders_send(*, day: datetime.date, calendar: WorkCalendar | None = None) -> int:
    """The register's reminders for `day`, created and sent (as digests, as of 09:00 that day); returns how
    many were created."""
    from django.utils import timezone

    from workflow.notifications import notification_emails_send

    notes = reminder_notifications(day=day, calendar=calendar)
    notification_emails_send([n.pk for n in notes],
                             now=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))))
    return len(notes)


# --- 表三 / 表四 ---------------------------------------------------------------------------------------------

def annual_tables(*, year: int, unit=None, government=None) -> dict:
    """{"table3": 25 rows × 7 ints, "table4": 15 ints} for a unit (None: every unit, the whole government;
    ``government``, an id: only its units' applications)."""
    apps = Application.objects.for_unit(unit)
    if government is not None:
        apps = apps.filter(unit__government_id=government)
    aggregates = {row: Count("id", filter=t3_row_q(row, year)) for row in T3_ROW_CODES}
    counts = {r["applicant_type"]: r for r in apps.values("applicant_type").annotate(**aggregates)}
    table3 = []
    for row in T3_ROW_CODES:
        cells = [counts.get(col, {}).get(row, 0) for col in T3_COLUMN_CODES]
        table3.append(cells + [sum(cells)])
    cases = ReviewCase.objects.filter(t4_case_q(year))
    if unit is not None:
        cases = cases.filter(application__unit=unit)
    if government is not None:
        cases = cases.filter(application__unit__government_id=government)
    last = year_bounds(year)[1]
    grid = {(g, r): 0 for g in T4_GROUP_CODES for r in T4_RESULT_CODES}
    for case in cases.only("kind", "result", "decided_on"):
        grid[(case.kind, case.result_at(last))] += 1
    table4 = []
    for group in T4_GROUP_CODES:
        cells = [grid[(group, r)] for r in T4_RESULT_CODES]
        table4.extend(cells + [sum(cells)])
    return {"table3": table3, "table4": table4}


def t4_cases_behind(*, year: int, unit, group: str, result: str, government=None):
    """The cases counted in one cell of 表四 (result "total": the whole group; ``government``: see annual_tables)."""
    last = year_bounds(year)[1]
    cases = ReviewCase.objects.filter(t4_case_q(year), kind=group).select_related("application", "application__unit")
    if unit is not None:
        cases = cases.filter(application__unit=unit)
    if government is not None:
        cases = cases.filter(application__unit__government_id=government)
    if result == "total":
        return list(cases)
    return [c for c in cases if c.result_at(last) == result]


def year_end_carry_over(*, year: int, unit=None):
    """Applications open on 31 December of `year` (结转下年度): they appear as 上年结转 in year + 1."""
    return Application.objects.for_unit(unit).filter(t3_row_q("carry_next", year))


def open_applications_by_unit(*, user, today: datetime.date):
    """The office's view: every unit's open applications with their clocks, counts per unit."""
    rows = (Application.objects.visible_to(user).open()
            .values("unit_id", "unit__short_name", "unit__sort_order")
            .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)),
                      paused=Count("id", filter=Q(due_on__isnull=True)))
            .order_by("unit__sort_order", "unit__short_name"))
    return list(rows)


# --- import ----------------------------------------------------------------------------------------------

def import_problems(*, unit, rows) -> list[str]:
    """Rows of an import that are already in the unit's register (same date, applicant and request)."""
    problems = []
    existing = set(Application.objects.filter(unit=unit, received_on__in={r.values["received_on"] for r in rows})
                   .values_list("received_on", "applicant_name", "request_text"))
    for row in rows:
        v = row.values
        if (v["received_on"], v["applicant_name"], v["request_text"]) in existing:
            problems.append(f"第{row.row}行：本单位登记簿中已有{cn_date(v['received_on'])}收到的同一申请人的相同申请（重复）")
    return problems


@transaction.atomic
def applications_import(*, unit, rows, user=None, calendar: WorkCalendar | None = None) -> list[Application]:
    """Save parsed rows (disclosure.importers) into the unit's register, all or nothing."""
    problems = import_problems(unit=unit, rows=rows)
    if problems:
        raise ValidationError(problems)
    cal = calendar or WorkCalendar()
    created = []
    for row in rows:  # one by one, so each new row is in the audit trail
        application = Application.objects.create(unit=unit, created_by=user, **row.values)
        created.append(application_recompute(application=application, calendar=cal))
    if rows:
        register_ensure(unit=unit, year=min(r.values["received_on"] for r in rows).year)
    return created
