"""Writes to the register: the rules of events, duplicates, stale edits, answers."""
import pytest
from django.core.exceptions import ValidationError

from disclosure import services
from disclosure.models import Application
from disclosure.tests.builders import d, make_application

TODAY = d("2026-11-23")


@pytest.fixture
def application(unit_a):
    return make_application(unit_a, d("2026-11-02"))


def add(application, kind, day):
    return services.event_add(application=application, kind=kind, date=d(day), today=TODAY)


@pytest.mark.parametrize("kind, day, message", [
    ("correction_received", "2026-11-05", "尚未登记补正通知，不能登记收到补正材料。"),
    ("consultation_answered", "2026-11-05", "尚未登记征求第三方意见，不能登记收到第三方意见。"),
    ("extension", "2026-11-24", "日期2026年11月24日晚于今天，不能登记未来的日期。"),
    ("extension", "2026-11-01", "日期2026年11月1日早于收到申请的日期2026年11月2日。"),
])
def test_event_rules(application, kind, day, message):
    with pytest.raises(ValidationError) as exc:
        add(application, kind, day)
    assert exc.value.message_dict == {"date": [message]}
    assert not application.events.exists()


def test_events_recompute_the_stored_due_date(application):
    assert application.due_on == d("2026-11-30")
    add(application, "correction_sent", "2026-11-04")
    application.refresh_from_db()
    assert application.due_on is None and application.clock_state == "awaiting_correction"
    add(application, "correction_received", "2026-11-09")
    application.refresh_from_db()
    assert application.due_on == d("2026-12-07") and application.clock_state == "running"
    services.event_delete(event=application.events.get(kind="correction_received"))
    application.refresh_from_db()
    assert application.due_on is None


def test_duplicate_and_future_are_refused_by_field(unit_a, application):
    values = {"received_on": d("2026-11-02"), "applicant_type": "natural", "applicant_name": "张三",
              "request_text": "申请公开2026年财政预算"}
    with pytest.raises(ValidationError) as exc:
        services.application_create(unit=unit_a, values=values, today=TODAY)
    assert list(exc.value.message_dict) == ["request_text"]
    with pytest.raises(ValidationError) as exc:
        services.application_create(unit=unit_a, values=values | {"received_on": d("2026-12-01"),
                                                                   "applicant_type": "外星人"}, today=TODAY)
    assert set(exc.value.message_dict) == {"received_on", "applicant_type"}
    assert Application.objects.count() == 1


def test_a_stale_edit_is_refused(application):
    services.application_update(application=application, values={"note": "第一次修改"}, version=1, today=TODAY)
    with pytest.raises(services.StaleVersion):
        services.application_update(application=application, values={"note": "过期的修改"}, version=1, today=TODAY)
    application.refresh_from_db()
    assert application.note == "第一次修改" and application.version == 2


def test_answer_then_reopen(application):
    services.application_answer(application=application, outcome="none_repeat", answered_on=d("2026-11-20"),
                                today=TODAY)
    application.refresh_from_db()
    assert application.answered_on_time is True and application.light(TODAY) == "green"
    services.application_reopen(application=application)
    application.refresh_from_db()
    assert application.is_open and application.outcome == "" and application.light(TODAY) == "blue"


def test_answer_late_is_grey_and_open_late_is_red(unit_a):
    late = make_application(unit_a, d("2026-09-01"), outcome="open", answered_on=d("2026-10-30"))
    assert late.answered_on_time is False and late.light(TODAY) == "grey"
    assert make_application(unit_a, d("2026-09-01"), name="李四").light(TODAY) == "red"


def test_the_audit_trail_notes_personal_data_changes_without_the_values(application, alice):
    from audit.models import AuditEvent

    services.application_update(application=application, values={"applicant_name": "张三丰", "note": "备注"},
                                version=1, today=TODAY, user=alice)
    rows = AuditEvent.objects.filter(object_type="disclosure.application")
    text = " ".join(f"{r.changes} {r.message} {r.object_label}" for r in rows)
    assert "修改了申请人（个人信息，内容不记入日志）" in text
    assert "张三丰" not in text and "张三" not in text and "13800001234" not in text
