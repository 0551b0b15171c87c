"""Small builders for the register's tests (no factories)."""
import datetime

from disclosure.models import Application, ApplicationEvent


def make_application(unit, received_on, *, applicant_type="natural", name="张三", request="申请公开2026年财政预算",
                     outcome="", answered_on=None, events=(), contact="13800001234", handler=None, **extra):
    from disclosure.services import application_recompute, register_ensure

    application = Application.objects.create(
        unit=unit, received_on=received_on, applicant_type=applicant_type, applicant_name=name,
        applicant_contact=contact, request_text=request, outcome=outcome, answered_on=answered_on, handler=handler,
        **extra)
    for kind, day in events:
        ApplicationEvent.objects.create(application=application, kind=kind, date=day)
    register_ensure(unit=unit, year=received_on.year)
    return application_recompute(application=application)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
