"""The ledger's copied columns follow their sources on every edit path (issue 10).

Each test edits a source the way a user does it (the notice form, the item form, the Django admin, an
import) and then looks where the stale copy used to show: the ledger's year filter and overdue filter,
its sort by unit, and the reminders.
"""
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import home_government, make_item, make_notice
from core.locking import row_fingerprint
from tasks.breakdown import ParsedNotice, ParsedSection, ParsedTask
from tasks.models import Assignment, Item
from tasks.services import notice_import
from units.models import Alias, Unit, UnitGroup
from workflow.calendar import seed_from_package
from workflow.models import CalendarDay, CalendarYear, Notification

D = datetime.date


@pytest.fixture(autouse=True)
def calendar_2026(db, monkeypatch):
    seed_from_package(CalendarDay, CalendarYear, years=[2026])
    monkeypatch.setattr("tasks.views.ledger.today", lambda: D(2026, 11, 23))


def admin_login(client, user):
    """The Django admin edits master data; a superuser (the office's system administrator) uses it."""
    user.is_superuser = True
    user.save()
    client.force_login(user)


def ledger_rows(client, **params) -> list[tuple[int, str]]:
    """(item number, unit short name) of the ledger rows the page shows, in the order shown."""
    response = client.get(reverse("tasks:ledger"), params)
    assert response.status_code == 200
    return [(row.record.item_number, row.record.unit.short_name) for row in response.context["table"].page.object_list]


def reminders(day: datetime.date) -> str:
    out = io.StringIO()
    call_command("send_reminders", date=day.isoformat(), stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def notice_post(notice, **changes) -> dict:
    data = {"doc_number": notice.doc_number, "title": notice.title, "issuer": notice.issuer,
            "issue_date": "", "work_year": notice.work_year, "recipients": "", "cited_documents_text": "",
            "report_back_date": notice.report_back_date.isoformat() if notice.report_back_date else "",
            "publicity": "", "body": "", "version": notice.version}
    data.update(changes)
    return data


def item_post(item, **changes) -> dict:
    data = {"section": "", "number": item.number, "title": item.title, "requirement": item.requirement,
            "deadline_text": item.deadline_text, "deadline": item.deadline.isoformat() if item.deadline else "",
            "lead_units": [], "responsible_units": [], "cooperating_units": [], "version": item.version}
    data.update(changes)
    return data


def test_notice_work_year_edit_moves_its_rows_in_the_year_filter(client, office, notice, unit_a, ledger):
    client.force_login(office)
    assert len(ledger_rows(client, year=2026)) == 3
    response = client.post(reverse("tasks:notice-edit", args=[notice.pk]), notice_post(notice, work_year=2027))
    assert response.status_code == 302, response.content.decode()
    other = make_notice(doc_number="测政办〔2026〕9号", year=2026)
    make_item(other, 1, responsible=["区教育局"], deadline=D(2026, 12, 31))
    assert ledger_rows(client, year=2026) == [(1, "区教育局")]  # only the other notice's row is left
    assert sorted(ledger_rows(client, year=2027)) == [(1, "区发改局"), (1, "区教育局"), (2, "区教育局")]


def test_notice_report_back_date_edit_is_the_due_date_of_items_without_one(client, office, unit_a, alice):
    notice = make_notice(report_back_date=D(2026, 12, 20))
    item = make_item(notice, 1, responsible=["区发改局"])
    alice.email = "alice@example.gov.cn"
    alice.save()
    client.force_login(office)
    assert ledger_rows(client, overdue="on") == []
    assert reminders(D(2026, 11, 23)) == "sent 0 reminders"
    response = client.post(reverse("tasks:notice-edit", args=[notice.pk]),
                           notice_post(notice, report_back_date="2026-11-10"))
    assert response.status_code == 302, response.content.decode()
    assert item.assignments.get().due_date == D(2026, 11, 10)
    client.force_login(office)
    assert ledger_rows(client, overdue="on") == [(1, "区发改局")]
    assert reminders(D(2026, 11, 23)) == "sent 1 reminders"
    # the edit told the unit once about its row's new 时限 (new work); the run added the overdue reminder
    assert sorted(Notification.objects.values_list("kind", flat=True)) == [Notification.Kind.NEW_WORK,
                                                                          Notification.Kind.OVERDUE]


def test_item_deadline_edit_reaches_the_overdue_filter_and_the_reminders(client, office, unit_a, unit_b, alice,
                                                                         notice):
    item = make_item(notice, 1, lead=["区发改局"], deadline=D(2026, 12, 31), deadline_text="年底前")
    alice.email = "alice@example.gov.cn"
    alice.save()
    client.force_login(office)
    assert ledger_rows(client, overdue="on") == []
    response = client.post(reverse("tasks:item-edit", args=[item.pk]),
                           item_post(item, deadline_text="11月15日前", deadline="",
                                     lead_units=[f"u:{unit_a.pk}"]))
    assert response.status_code == 302, response.content.decode()
    assert ledger_rows(client, overdue="on") == [(1, "区发改局")]
    assert reminders(D(2026, 11, 23)) == "sent 1 reminders"


def test_unit_sort_order_edit_in_the_admin_reorders_the_ledger(client, office, unit_a, unit_b, notice):
    make_item(notice, 1, responsible=["区发改局", "区教育局"], deadline=D(2026, 12, 31))
    admin_login(client, office)
    before = ledger_rows(client, sort="unit")
    assert [name for _, name in before] == ["区发改局", "区教育局"]
    unit_b.refresh_from_db()
    data = {"government": unit_b.government_id, "name": unit_b.name, "short_name": unit_b.short_name, "kind": unit_b.kind, "sort_order": 1,
            "is_active": "on", "aliases-TOTAL_FORMS": 0, "aliases-INITIAL_FORMS": 0,
            "aliases-MIN_NUM_FORMS": 0, "aliases-MAX_NUM_FORMS": 1000,
            "_row_fingerprint": row_fingerprint(unit_b)}  # the change page's optimistic lock (core.locking)
    response = client.post(reverse("admin:units_unit_change", args=[unit_b.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Unit.objects.get(pk=unit_b.pk).sort_order == 1
    assert [name for _, name in ledger_rows(client, sort="unit")] == ["区教育局", "区发改局"]


def test_group_membership_edit_gives_the_new_member_its_row_and_its_reminders(client, office, unit_a, unit_b,
                                                                            alice, charlie):
    year = timezone.localdate().year  # membership edits reach this year's items (and later ones)
    notice = make_notice(doc_number=f"测政办〔{year}〕3号", year=year)
    group = UnitGroup.objects.create(government=unit_a.government, phrase="区直各有关部门")
    group.members.set([unit_a])
    Alias.objects.create(government=group.government, text="区直各部门", group=group)
    due = D(year, 1, 1)
    item = make_item(notice, 1, responsible=["区直各部门"], deadline=due)
    charlie.email = "charlie@example.gov.cn"
    charlie.save()
    admin_login(client, office)
    assert ledger_rows(client) == [(1, "区发改局")]
    alias = group.aliases.get()
    data = {"government": group.government_id, "phrase": group.phrase, "description": "", "members": [unit_a.pk, unit_b.pk],
            "aliases-TOTAL_FORMS": 1, "aliases-INITIAL_FORMS": 1, "aliases-MIN_NUM_FORMS": 0,
            "aliases-MAX_NUM_FORMS": 1000, "aliases-0-id": alias.pk, "aliases-0-group": group.pk,
            "aliases-0-text": alias.text}
    response = client.post(reverse("admin:units_unitgroup_change", args=[group.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(ledger_rows(client)) == [(1, "区发改局"), (1, "区教育局")]
    row = item.assignments.get(unit=unit_b)
    assert row.via_group == group and row.due_date == due and row.year == year
    first_working_day_after = D(year, 2, 2) if D(year, 2, 2).weekday() < 5 else D(year, 2, 4)
    reminders(first_working_day_after)
    assert Notification.objects.filter(recipient=charlie, kind=Notification.Kind.OVERDUE).exists()


# --- one "ongoing" rule: the importer's 时限 vocabulary, wherever the item is saved ------------------------------

@pytest.mark.parametrize("text", ["每季度", "及时"])
def test_recurring_deadline_imported_is_ongoing_not_overdue(unit_a, text):
    parsed = ParsedNotice(doc_number="测政办〔2026〕5号", year=2026, title="分解表", sections=[
        ParsedSection(number="一", title="部分", tasks=[ParsedTask(number=1, requirement="公开季度数据",
                                                                 responsible_units=["区发改局"], deadline_text=text)])])
    notice = notice_import(parsed=parsed, government=home_government(), meta={"report_back_date": "2026-06-30"})
    item = Item.objects.get(notice=notice)
    row = Assignment.objects.get(item=item)
    assert item.is_ongoing and row.is_ongoing and row.due_date is None
    assert not Assignment.objects.overdue(D(2026, 11, 23)).exists()


@pytest.mark.parametrize("text", ["每季度", "及时"])
def test_recurring_deadline_typed_in_the_item_form_is_ongoing(client, office, unit_a, text):
    notice = make_notice(report_back_date=D(2026, 6, 30))
    client.force_login(office)
    response = client.post(reverse("tasks:item-create", args=[notice.pk]), {
        "section": "", "number": 1, "title": "", "requirement": "公开季度数据", "deadline_text": text,
        "deadline": "", "responsible_units": [f"u:{unit_a.pk}"], "lead_units": [], "cooperating_units": []})
    assert response.status_code == 302, response.content.decode()
    row = Assignment.objects.get(item__notice=notice)
    assert row.item.is_ongoing and row.is_ongoing and row.due_date is None
    page = client.get(reverse("tasks:item-detail", args=[row.item_id])).content.decode()
    assert text in page
