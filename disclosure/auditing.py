"""How the register's models appear in the audit trail: events, documents and cases in their application's
history, each with the unit it concerns. Registered from DisclosureConfig.ready()."""
from audit.registry import audit_register
from disclosure.models import Application, ApplicationDocument, ApplicationEvent, Register, ReviewCase
from disclosure.services import PERSONAL_FIELDS


def _app_parent(obj):
    return ("disclosure.application", obj.application_id)


def _app_unit(obj):
    return Application.objects.filter(pk=obj.application_id).values_list("unit_id", flat=True).first()


def register() -> None:
    audit_register(Register, unit=lambda r: r.unit_id)
    # due_on and clock_state are derived from the events, which have their own rows; the applicant's name and
    # contact stay out of the trail (it is exported): services note that they changed, never the values
    audit_register(Application, unit=lambda a: a.unit_id, exclude=("due_on", "clock_state", *PERSONAL_FIELDS))
    audit_register(ApplicationEvent, parent=_app_parent, unit=_app_unit)
    audit_register(ApplicationDocument, parent=_app_parent, unit=_app_unit)
    audit_register(ReviewCase, parent=_app_parent, unit=_app_unit)
