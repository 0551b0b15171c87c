"""A unit with a work-group robot but no liaison account still gets its digest in the group (new work, due soon,
overdue, stalled, chased), one message per robot per run, nothing twice; nobody's inbox shows these messages."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import TODAY, make_item
from tasks.models import Assignment
from tasks.services import notice_import
from workflow.calendar import seed_from_package
from workflow.chasing import chase_create
from workflow.digests import digests_send
from workflow.models import CalendarDay, CalendarYear, Delivery, Notification
from workflow.reminders import reminders_send
from workflow.tests.test_new_work import table, task

D = datetime.date
NINE = timezone.make_aware(datetime.datetime(2026, 11, 23, 9))  # Monday, a working day, outside quiet hours


@pytest.fixture(autouse=True)
def calendar_2026(db):
    seed_from_package(CalendarDay, CalendarYear, years=[2026])


@pytest.fixture
def robot_unit(receiver, unit_b):
    """区教育局: both robots, no account at all."""
    unit_b.wecom_robot_url = receiver.url("/wecom?key=B")
    unit_b.dingtalk_robot_url = receiver.url("/ding?access_token=B")
    unit_b.dingtalk_secret = "SECunitB"
    unit_b.save()
    return unit_b


def test_new_work_reaches_the_group_of_a_unit_without_liaisons(receiver, robot_unit, unit_a, alice,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice_import(parsed=table(task(1, "公开预算。", "区发改局", "区教育局"), task(2, "公开决算。", "区教育局")),
                      government=unit_a.government)
    run = digests_send(now=NINE)
    assert run.failed == 0
    (wecom,) = receiver.to("/wecom")
    content = wecom.json["markdown"]["content"]
    assert "区教育局：新任务1条" in content and "新分配2项" in content and "第2项 公开决算。" in content
    (ding,) = receiver.to("/ding")
    assert "sign" in ding.query and "第1项 公开预算。" in ding.json["markdown"]["text"]
    # nobody's inbox: alice (unit A) sees her own notice only
    assert [n.unit_id for n in Notification.objects.for_user(alice)] == [unit_a.pk]
    assert digests_send(now=NINE + datetime.timedelta(hours=1)).created == 0  # nothing twice
    assert len(receiver.to("/wecom")) == 1


def test_due_soon_overdue_and_chases_go_to_the_group_once_per_run(receiver, robot_unit, notice, office):
    overdue = make_item(notice, 1, responsible=["区教育局"], deadline=D(2026, 11, 20)).assignments.get()
    make_item(notice, 2, responsible=["区教育局"], deadline=D(2026, 11, 26))
    chase_create(assignments=[overdue], message="请本周内报送。", author=office, today=TODAY)
    run = reminders_send(day=TODAY)
    assert (run.overdue, run.due_soon) == (1, 1)
    (wecom,) = receiver.to("/wecom")  # one message for the whole run
    content = wecom.json["markdown"]["content"]
    assert "区教育局：即将到期1条、已逾期1条、被催办1条" in content and "请本周内报送。" in content
    assert len(receiver.to("/ding")) == 1
    assert set(Delivery.objects.values_list("unit_id", "status")) == {(robot_unit.pk, "delivered")}
    again = reminders_send(day=TODAY)  # the same day again: nothing new, nothing resent
    assert (again.overdue, again.due_soon, again.digest.created) == (0, 0, 0) and len(receiver.to("/wecom")) == 1


def test_a_unit_without_liaisons_and_without_robot_gets_no_message(notice, unit_b):
    make_item(notice, 1, responsible=["区教育局"], deadline=D(2026, 11, 20))
    run = reminders_send(day=TODAY)
    assert run.overdue == 0 and not Notification.objects.exists() and not Delivery.objects.exists()


def test_the_inbox_and_unread_count_ignore_robot_only_messages(client, receiver, robot_unit, notice, office):
    overdue = make_item(notice, 1, responsible=["区教育局"], deadline=D(2026, 11, 20)).assignments.get()
    reminders_send(day=TODAY)
    assert Notification.objects.filter(recipient__isnull=True, assignment=overdue).count() == 1
    client.force_login(office)
    page = client.get(reverse("workflow:notification-list")).content.decode()
    assert "逾期提醒" not in page
    assert Assignment.objects.count() == 1


def test_a_returned_claim_reaches_the_group_of_a_unit_without_liaisons(receiver, robot_unit, notice, office):
    from tasks.services import progress_record
    from workflow.review import review_return

    row = make_item(notice, 1, responsible=["区教育局"], deadline=D(2026, 12, 20)).assignments.get()
    report = progress_record(assignment=row, author=office, text="已公开。", status=Assignment.Status.DONE,
                             reported_on=D(2026, 11, 20), completed_on=D(2026, 11, 20), submit_for_review=True)
    review_return(report=report, reviewer=office, reason="缺少公开链接。")
    digests_send(now=NINE)
    (wecom,) = receiver.to("/wecom")
    assert "区教育局：被退回1条" in wecom.json["markdown"]["content"] and "缺少公开链接。" in wecom.json["markdown"]["content"]
