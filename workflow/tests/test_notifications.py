"""The notifications page, marking read, and the unread count in the navigation."""
import pytest
from django.urls import reverse

from workflow.models import Notification

LIST = reverse("workflow:notification-list")


@pytest.fixture
def notes(ledger, alice, charlie, unit_a):
    row = ledger["item1"].assignments.get(unit=unit_a)
    mine = [Notification.objects.create(recipient=alice, kind=Notification.Kind.CHASE, assignment=row,
                                        title=f"催办：第1项（第{n}次）", body="请尽快报送。", link=row.get_absolute_url())
            for n in range(1, 4)]
    other = Notification.objects.create(recipient=charlie, kind=Notification.Kind.OVERDUE, title="逾期提醒：教育局")
    return {"mine": mine, "other": other, "row": row}


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(LIST).url.startswith(reverse("login"))


def test_the_list_shows_only_my_notifications_and_the_unread_count(client, alice, notes,
                                                                   django_assert_max_num_queries):
    client.force_login(alice)
    # session, user (with the unread count: units.backends), 2 savepoints, the page's count and rows; no session write
    with django_assert_max_num_queries(6):
        page = client.get(LIST).content.decode()
    assert "催办：第1项（第3次）" in page and "逾期提醒：教育局" not in page
    assert '<span class="badge rounded-pill text-bg-warning" id="unread-count">3</span>' in page
    assert "3 条未读" in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_row(client, alice, notes):
    client.force_login(alice)
    note = notes["mine"][0]
    response = client.post(reverse("workflow:notification-read", args=[note.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == notes["row"].get_absolute_url()
    note.refresh_from_db()
    assert note.is_read
    assert 'id="unread-count">2<' in client.get(LIST).content.decode()


def test_mark_all_read(client, alice, notes):
    client.force_login(alice)
    response = client.post(reverse("workflow:notification-read-all"), follow=True)
    assert "已将3条消息标记为已读。" in response.content.decode()
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert not Notification.objects.get(pk=notes["other"].pk).is_read  # charlie's stays unread
    assert 'id="unread-count"' not in client.get(LIST).content.decode()


def test_someone_elses_notification_is_a_404(client, alice, notes):
    client.force_login(alice)
    assert client.post(reverse("workflow:notification-read", args=[notes["other"].pk])).status_code == 404
    assert not Notification.objects.get(pk=notes["other"].pk).is_read


def test_reading_needs_post(client, alice, notes):
    client.force_login(alice)
    assert client.get(reverse("workflow:notification-read", args=[notes["mine"][0].pk])).status_code == 405
    assert client.get(reverse("workflow:notification-read-all")).status_code == 405


def test_unread_filter(client, alice, notes):
    notes["mine"][0].read_at = notes["mine"][0].created_at
    notes["mine"][0].save()
    client.force_login(alice)
    page = client.get(LIST, {"unread": "1"}).content.decode()
    assert "（第1次）" not in page and "（第2次）" in page


def test_the_unread_count_comes_with_the_user_and_follows_new_messages(client, alice, notes, unit_a):
    """Issue 18: the navigation's count is read in the user's own query, so it is never a request behind."""
    client.force_login(alice)
    home = reverse("home")
    assert 'id="unread-count">3<' in client.get(home).content.decode()
    Notification.objects.create(recipient=alice, kind=Notification.Kind.CHASE, title="催办：第2项")
    Notification.objects.create(recipient=None, unit=unit_a, kind=Notification.Kind.CHASE, title="工作群消息")
    assert 'id="unread-count">4<' in client.get(home).content.decode()
    client.post(reverse("workflow:notification-read-all"))
    assert 'id="unread-count"' not in client.get(home).content.decode()


def test_the_count_of_a_user_read_without_it_is_one_query(rf, alice, notes, django_assert_num_queries):
    from units.models import User
    from workflow.context_processors import notifications

    request = rf.get("/")
    request.user = User.objects.get(pk=alice.pk)  # not through the backend: no count read with it
    with django_assert_num_queries(1):
        assert notifications(request)["unread_notification_count"] == 3
