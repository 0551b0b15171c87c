"""The audit trail: logins, failed logins, logouts, refusals, model changes; append-only everywhere."""
import pytest
from django.db import transaction
from django.http import Http404, HttpResponseNotFound
from django.test import RequestFactory
from django.urls import reverse

from audit.middleware import AuditMiddleware
from audit.models import AuditEvent, AuditLogImmutable
from audit.trail import audit_event, audit_refusal, client_ip
from conftest import home_government, make_user
from units.models import Unit, UnitGroup

LOGIN = reverse("login")
A = AuditEvent.Action


def last(action=None):
    rows = AuditEvent.objects.all()
    if action:
        rows = rows.filter(action=action)
    return rows.order_by("-id").first()


def test_a_login_is_recorded_with_address_and_client(client, alice):
    client.post(LOGIN, {"username": "alice", "password": "Pass-word-2026"}, HTTP_USER_AGENT="Firefox/140",
                REMOTE_ADDR="10.1.2.3")
    event = last(A.LOGIN)
    assert event.actor == alice and event.actor_name == "alice" and event.actor_unit == alice.unit
    assert event.ip_address == "10.1.2.3" and event.user_agent == "Firefox/140" and event.success
    assert event.created_at.tzinfo is not None
    assert not AuditEvent.objects.filter(action=A.UPDATE, object_type="units.user").exists()  # last_login is noise


def test_failed_logins_are_recorded_as_failures(client, alice):
    client.post(LOGIN, {"username": "alice", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    client.post(LOGIN, {"username": "nobody", "password": "wrong"})
    known, unknown = AuditEvent.objects.filter(action=A.LOGIN_FAILED).order_by("id")
    assert known.actor == alice and not known.success and known.ip_address == "10.9.9.9"
    assert unknown.actor is None and unknown.actor_name == "nobody" and not unknown.success
    assert "wrong" not in str(known.changes) + known.message


def test_a_logout_is_recorded(client, alice):
    client.force_login(alice)
    client.post(reverse("logout"))
    assert last(A.LOGOUT).actor == alice


def test_forwarded_for_is_used_only_when_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.168.5.6")
    assert client_ip(request) == "10.0.0.1"
    settings.GOVOPEN_TRUST_X_FORWARDED_FOR = True
    assert client_ip(request) == "192.168.5.6"  # the entry our own proxy appended
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="junk")) is None


def test_a_403_is_recorded_as_a_refusal(client, alice):
    client.force_login(alice)
    assert client.get(reverse("audit:audit-list")).status_code == 403
    event = last(A.REFUSED)
    assert event.actor == alice and not event.success and "/audit/" in event.message


def test_a_scoped_404_refusal_survives_the_rolled_back_request(db, alice, unit_b):
    def view(request):
        try:
            with transaction.atomic():  # what ATOMIC_REQUESTS does around the view
                audit_refusal(request, "区教育局的台账行", obj=unit_b)
                raise Http404
        except Http404:
            return HttpResponseNotFound()

    request = RequestFactory().get("/tasks/assignments/99/", REMOTE_ADDR="10.0.0.7")
    request.user = alice
    assert AuditMiddleware(view)(request).status_code == 404
    event = last(A.REFUSED)
    assert event.object_label == "区教育局的台账行" and event.object_id == str(unit_b.pk)
    assert event.ip_address == "10.0.0.7" and event.actor == alice and not event.success


def test_unit_and_user_changes_are_recorded_with_before_and_after(db, office):
    unit = Unit.objects.create(government=office.government, name="测试区审计局", short_name="区审计局")
    assert last(A.CREATE).changes["short_name"] == {"label": "简称", "after": "区审计局"}
    unit.short_name = "审计局"
    unit.save()
    event = last(A.UPDATE)
    assert event.object_type == "units.unit" and event.unit_id == unit.pk
    assert event.changes == {"short_name": {"label": "简称", "before": "区审计局", "after": "审计局"}}
    user = make_user("dora", unit=unit)
    assert last(A.CREATE).changes["password"]["after"] == "******"
    user.set_password("Another-pass-2026")
    user.save()
    assert last(A.UPDATE).changes["password"] == {"label": "密码", "before": "******", "after": "******"}
    assert "pbkdf2" not in str(list(AuditEvent.objects.values_list("changes", flat=True)))
    group = UnitGroup.objects.create(government=office.government, phrase="区直各部门")
    group.members.add(unit)
    assert last(A.UPDATE).changes["members"]["after"] == "审计局"
    user.delete()
    event = last(A.DELETE)
    assert event.object_label == "dora" and event.changes["username"]["before"] == "dora"


def test_changes_made_in_a_request_name_the_user(client, db):
    admin = make_user("root", role="office_admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.post(reverse("admin:units_unit_add"), {
        "government": home_government().pk, "name": "测试区统计局", "short_name": "区统计局", "kind": "department", "sort_order": "50", "is_active": "on",
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"}, REMOTE_ADDR="10.3.3.3")
    event = last(A.CREATE)
    assert event.object_label == "区统计局" and event.actor == admin and event.ip_address == "10.3.3.3"
    assert event.request_path.startswith("POST /admin/units/unit/add/")


def test_audit_rows_cannot_be_changed_or_deleted(db, alice):
    event = audit_event(alice, A.EXPORT, label="台账", message="导出台账")
    event.message = "篡改"
    with pytest.raises(AuditLogImmutable):
        event.save()
    with pytest.raises(AuditLogImmutable):
        event.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(message="篡改")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).message == "导出台账"


def test_audit_event_helper_for_imports_and_exports(db, office):
    event = audit_event(office, A.IMPORT, object_type="tasks.notice", object_id=7, label="鼓政办〔2022〕46号",
                        message="导入分解表：38项")
    assert event.actor == office and event.actor_unit == office.unit and event.object_id == "7"
    assert event.get_action_display() == "导入" and event.object_type_display == "通知"
    system = audit_event(None, A.OTHER, label="定时任务")
    assert system.actor is None and system.actor_name == "系统"
