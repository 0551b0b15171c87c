"""The holiday calendar page: everyone reads it; office admins add days and confirm a new year."""
import datetime

import pytest
from django.urls import reverse

from workflow.calendar import WorkCalendar, seed_from_package
from workflow.models import CalendarDay, CalendarYear

URL = reverse("workflow:calendar")
ADD = reverse("workflow:calendar-day-create")
CONFIRM = reverse("workflow:calendar-year-create")
D = datetime.date


@pytest.fixture(autouse=True)
def calendar_2026(db):
    """The 2026 arrangement as the data migration seeds it (a flush by a live-server test removes it)."""
    seed_from_package(CalendarDay, CalendarYear, years=[2026])



def test_anonymous_is_sent_to_login(client, db):
    assert client.get(URL).url.startswith(reverse("login"))


def test_everyone_reads_the_2026_arrangement(client, bob):
    client.force_login(bob)
    page = client.get(URL, {"year": 2026}).content.decode()
    assert "2026年节假日安排已录入" in page and "2026年10月10日" in page and "调休上班" in page
    assert "添加放假或调休上班日期" not in page


def test_a_year_without_data_says_so(client, bob):
    client.force_login(bob)
    page = client.get(URL, {"year": 2027}).content.decode()
    assert "2027年节假日安排尚未录入，按周一至周五计算工作日" in page


@pytest.mark.parametrize("who", ["alice", "bob", "leader"])
def test_only_office_admins_change_the_calendar(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(ADD, {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}).status_code == 403
    assert client.post(CONFIRM, {"year": 2027}).status_code == 403
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert client.post(reverse("workflow:calendar-day-delete", args=[day.pk])).status_code == 403
    assert not CalendarDay.objects.filter(date=D(2027, 1, 1)).exists()
    assert CalendarDay.objects.filter(pk=day.pk).exists()


def test_office_enters_2027_and_confirms_it(client, office):
    client.force_login(office)
    response = client.post(CONFIRM, {"year": 2027, "note": "国办发明电"})
    assert response.status_code == 400 and "2027年还没有录入任何放假或调休日期" in response.content.decode()
    response = client.post(ADD, {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}, follow=True)
    assert "已添加：2027年1月1日 放假（元旦）" in response.content.decode()
    client.post(ADD, {"date": "2027-02-20", "kind": "workday", "name": "春节"})  # a Saturday worked in lieu
    assert not WorkCalendar().has_year(2027)
    response = client.post(CONFIRM, {"year": 2027, "note": "国办发明电〔2026〕7号"}, follow=True)
    assert "已确认2027年节假日安排录入完整" in response.content.decode()
    calendar = WorkCalendar()
    assert calendar.has_year(2027) and not calendar.is_working_day(D(2027, 1, 1))
    assert calendar.is_working_day(D(2027, 2, 20))
    assert CalendarYear.objects.get(year=2027).created_by == office


def test_bad_days_are_refused_in_chinese(client, office):
    client.force_login(office)
    response = client.post(ADD, {"date": "2026-10-01", "kind": "holiday"})
    assert response.status_code == 400 and "2026年10月1日已在节假日表中" in response.content.decode()
    response = client.post(ADD, {"date": "2027-01-06", "kind": "workday"})  # a Wednesday
    assert response.status_code == 400 and "本来就是工作日" in response.content.decode()
    response = client.post(ADD, {"date": "", "kind": "holiday"})
    assert response.status_code == 400
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_office_deletes_a_day(client, office):
    client.force_login(office)
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    response = client.post(reverse("workflow:calendar-day-delete", args=[day.pk]), follow=True)
    assert "已删除：2026年10月10日 调休上班（国庆节）" in response.content.decode()
    assert not WorkCalendar().is_working_day(D(2026, 10, 10))
    assert client.get(reverse("workflow:calendar-day-delete", args=[day.pk])).status_code == 405
