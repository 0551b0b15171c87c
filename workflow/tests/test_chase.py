"""催办: the office chases late rows; units see it on home, ledger and item pages; counted per unit."""
import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import TODAY, make_item
from tasks.models import Assignment
from units.models import Unit
from workflow.calendar import seed_from_package
from workflow.digests import digests_send
from workflow.models import CalendarDay, CalendarYear, Chase, Notification, annotate_chase_counts

URL = reverse("workflow:chase-create")


@pytest.fixture(autouse=True)
def calendar_2026(db):
    """The 2026 arrangement as the data migration seeds it (a flush by a live-server test removes it)."""
    seed_from_package(CalendarDay, CalendarYear, years=[2026])


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("workflow.views.chasing.today", lambda: TODAY)


@pytest.fixture
def rows(ledger, unit_a, unit_b):
    item1 = ledger["item1"]  # due 2026-10-31: overdue on TODAY
    return {"a1": item1.assignments.get(unit=unit_a), "b1": item1.assignments.get(unit=unit_b),
            "b2": ledger["item2"].assignments.get(unit=unit_b)}


def test_anonymous_is_sent_to_login(client, rows):
    assert client.get(URL).url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["alice", "bob", "leader"])
def test_only_the_office_chases(client, rows, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"assignments": [rows["b1"].pk], "message": "快"}).status_code == 403
    assert not Chase.objects.exists()


def test_the_page_lists_overdue_rows_only(client, office, notice, rows, django_assert_max_num_queries):
    for number in range(3, 13):
        make_item(notice, number, responsible=["区教育局"], deadline=datetime.date(2026, 9, 30))
    client.force_login(office)
    with django_assert_max_num_queries(17):  # constant: no query per row (with the default year and the count)
        page = client.get(URL).content.decode()
    assert page.count('name="assignments"') == 12
    assert f'name="assignments" value="{rows["a1"].pk}"' in page
    assert f'name="assignments" value="{rows["b2"].pk}"' not in page  # due at year end: not late
    assert "16个工作日" in page  # 2026-10-31 → 2026-11-23


def test_chasing_two_units_records_notifies_and_counts(client, office, alice, charlie, rows,
                                                        django_capture_on_commit_callbacks):
    charlie.email = "charlie@example.gov.cn"
    charlie.save()
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"assignments": [rows["a1"].pk, rows["b1"].pk],
                                     "message": "请于11月27日前报送落实情况。"})
    assert response.status_code == 302 and response.url == reverse("workflow:chase-list")
    assert Chase.objects.count() == 2
    chase = Chase.objects.get(unit=rows["b1"].unit)
    assert chase.created_by == office and chase.created_on == TODAY and chase.due_date == datetime.date(2026, 10, 31)
    assert set(Notification.objects.filter(kind="chase").values_list("recipient__username", flat=True)) == {
        "alice", "charlie"}
    assert mail.outbox == []  # nothing leaves the app until the next digest run
    digests_send(now=timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(10))))
    assert [m.to for m in mail.outbox] == [["charlie@example.gov.cn"]]  # alice has no address
    assert "请于11月27日前报送落实情况。" in mail.outbox[0].body and "【被催办】（1条）" in mail.outbox[0].body
    listing = client.get(reverse("workflow:chase-list")).content.decode()
    assert "已向2个单位催办2项" in listing and "各单位被催办次数" in listing

    counts = {u.short_name: u.chase_count for u in annotate_chase_counts(Unit.objects.all(), year=2026)}
    assert counts["区教育局"] == 1 and counts["区发改局"] == 1 and counts["区政府办"] == 0
    assert annotate_chase_counts(Unit.objects.filter(pk=rows["b1"].unit_id), year=2025).get().chase_count == 0
    per_unit = {r["unit__short_name"]: r["chase_count"] for r in Chase.objects.counts_per_unit()}
    assert per_unit == {"区发改局": 1, "区教育局": 1}


def test_the_unit_sees_the_chase_on_home_ledger_row_and_item(client, office, charlie, rows):
    client.force_login(office)
    client.post(URL, {"assignments": [rows["b1"].pk], "message": "请抓紧报送第1项。"})
    client.force_login(charlie)
    assert "请抓紧报送第1项。" in client.get(reverse("home")).content.decode()
    assert "本单位1项被催办" in client.get(reverse("tasks:my-ledger")).content.decode()
    assert "已催办1次" in client.get(rows["b1"].get_absolute_url()).content.decode()
    item_page = client.get(reverse("tasks:item-history", args=[rows["b1"].item_id])).content.decode()
    assert "催办记录（1次）" in item_page and "请抓紧报送第1项。" in item_page


def test_other_units_do_not_see_the_chase(client, office, charlie, alice, rows):
    client.force_login(office)
    client.post(URL, {"assignments": [rows["a1"].pk], "message": "发改局请报送。"})
    client.force_login(charlie)  # unit B neither owns nor leads unit A's row
    assert "发改局请报送。" not in client.get(reverse("workflow:chase-list")).content.decode()
    assert "发改局请报送。" not in client.get(reverse("home")).content.decode()


def test_bad_input_saves_nothing(client, office, rows):
    client.force_login(office)
    response = client.post(URL, {"assignments": [rows["b1"].pk], "message": "  "})
    assert response.status_code == 400 and "请填写催办内容。" in response.content.decode()
    response = client.post(URL, {"message": "请报送。"})
    assert response.status_code == 400 and "请至少选择一行台账。" in response.content.decode()
    rows["b1"].status = Assignment.Status.DONE
    rows["b1"].save()
    response = client.post(URL, {"assignments": [rows["b1"].pk, rows["a1"].pk], "message": "请报送。"})
    assert response.status_code == 400 and "已完成、不涉及、正在审核或所属年度已归档，无需催办" in response.content.decode()
    assert not Chase.objects.exists() and not Notification.objects.exists()
