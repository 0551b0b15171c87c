"""Tell units about new work (issue 13): an import, a re-import or an item edit becomes one change set; each
unit it concerns gets one in-app notice per change set listing its rows and 时限, and one digest entry."""
import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from tasks.breakdown import ParsedNotice, ParsedSection, ParsedTask
from tasks.models import ChangeSet, Item
from tasks.services import notice_import, notice_reimport
from workflow.calendar import seed_from_package
from workflow.digests import digests_send
from workflow.models import CalendarDay, CalendarYear, Notification
from workflow.newwork import change_sets_notify

D = datetime.date
DOC = "测政办〔2026〕9号"


@pytest.fixture(autouse=True)
def calendar_2026(db):
    seed_from_package(CalendarDay, CalendarYear, years=[2026])


def table(*tasks) -> ParsedNotice:
    return ParsedNotice(doc_number=DOC, year=2026, title="关于印发分解表的通知",
                        sections=[ParsedSection("一", "推进决策公开", tasks=list(tasks))])


OCTOBER_31 = D(2026, 10, 31)


def task(number, requirement, *units, deadline=OCTOBER_31, deadline_text="10月底前"):
    return ParsedTask(number=number, requirement=requirement, responsible_units=list(units),
                      deadline_text=deadline_text, deadline=deadline)


TASKS = [task(i, f"第{i}项要求。", "区发改局", "区教育局") for i in range(1, 6)] + [task(6, "只给教育局。", "区教育局")]


@pytest.fixture
def people(alice, charlie, unit_a):
    alice.email, charlie.email = "alice@example.gov.cn", "charlie@example.gov.cn"
    alice.save()
    charlie.save()
    amy = make_user("amy", unit=unit_a, display_name="林雨", email="amy@example.gov.cn")
    return {"alice": alice, "charlie": charlie, "amy": amy}


def test_an_import_tells_each_unit_once_listing_its_rows(people, unit_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_import(parsed=table(*TASKS), government=unit_a.government)
    change_set = ChangeSet.objects.get()
    assert change_set.notice == notice and change_set.notified_at is not None
    assert change_set.rows.count() == 11
    notes = {n.recipient.username: n for n in Notification.objects.select_related("recipient")}
    assert sorted(notes) == ["alice", "amy", "charlie"]  # one each, not one per row
    assert notes["charlie"].title == f"新任务：{DOC} 新分配6项"
    assert notes["alice"].title == f"新任务：{DOC} 新分配5项" and notes["alice"].unit == unit_a
    assert "第6项 只给教育局。（责任，完成时限2026年10月31日）" in notes["charlie"].body
    assert "只给教育局" not in notes["alice"].body
    assert notes["alice"].link == f"{reverse('tasks:my-ledger')}?notice={notice.pk}"
    assert change_sets_notify() == 0  # told once

    run = digests_send(now=timezone.make_aware(datetime.datetime(2026, 11, 23, 9)))
    assert run.delivered == 3 and len(mail.outbox) == 3  # one e-mail per person for the whole import
    charlie_mail = next(m for m in mail.outbox if m.to == ["charlie@example.gov.cn"])
    assert charlie_mail.subject == f"【政务公开任务台账】新任务：{DOC} 新分配6项"
    assert "【新任务】（1条）" in charlie_mail.body and "第3项 第3项要求。" in charlie_mail.body


def test_a_rolled_back_import_tells_nobody_and_a_missed_one_is_told_by_the_next_run(people, unit_a):
    notice_import(parsed=table(*TASKS), government=unit_a.government)  # on_commit never runs in this test
    assert Notification.objects.count() == 0 and ChangeSet.objects.unnotified().count() == 1
    digests_send(now=timezone.make_aware(datetime.datetime(2026, 11, 23, 9)))
    assert Notification.objects.filter(kind="new_work").count() == 3 and len(mail.outbox) == 3


def test_a_reimport_tells_about_added_units_and_changed_deadlines_only(people, unit_a, unit_b,
                                                                       django_capture_on_commit_callbacks):
    notice = notice_import(parsed=table(*TASKS), government=unit_a.government)
    change_sets_notify()
    Notification.objects.all().delete()
    changed = list(TASKS)
    changed[0] = task(1, "第1项要求。", "区发改局", "区教育局", deadline=D(2026, 9, 30), deadline_text="9月底前")
    changed[5] = task(6, "只给教育局。", "区教育局", "区发改局")  # unit A added
    with django_capture_on_commit_callbacks(execute=True):
        notice_reimport(notice=notice, parsed=table(*changed), today=D(2026, 6, 1))
    notes = {n.recipient.username: n for n in Notification.objects.select_related("recipient")}
    assert notes["alice"].title == f"新任务：{DOC} 新分配1项、时限调整1项"
    assert "第1项 第1项要求。（责任，时限调整为完成时限2026年9月30日）" in notes["alice"].body
    assert "第6项 只给教育局。（责任，完成时限2026年10月31日）" in notes["alice"].body
    assert notes["charlie"].title == f"任务调整：{DOC} 时限调整1项"
    assert "第6项" not in notes["charlie"].body


def test_an_unchanged_reimport_records_nothing(people, unit_a, django_capture_on_commit_callbacks):
    notice = notice_import(parsed=table(*TASKS), government=unit_a.government)
    with django_capture_on_commit_callbacks(execute=True):
        notice_reimport(notice=notice, parsed=table(*TASKS), today=D(2026, 6, 1))
    assert ChangeSet.objects.count() == 1


def test_the_office_editing_an_items_deadline_tells_its_units(client, office, people, ledger, unit_a, unit_b,
                                                               django_capture_on_commit_callbacks):
    item = ledger["item1"]
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tasks:item-edit", args=[item.pk]), {
            "version": item.version, "number": 1, "requirement": item.requirement, "deadline_text": "11月底前",
            "lead_units": [f"u:{unit_a.pk}"], "responsible_units": [f"u:{unit_b.pk}"]})
    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).deadline == D(2026, 11, 30)
    change_set = ChangeSet.objects.get()
    assert change_set.kind == ChangeSet.Kind.EDIT and change_set.created_by == office
    notes = Notification.objects.filter(kind="new_work")
    assert sorted(notes.values_list("recipient__username", flat=True)) == ["alice", "amy", "charlie"]
    assert all("时限调整为完成时限2026年11月30日" in n.body for n in notes)
