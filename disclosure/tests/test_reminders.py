"""Reminders: 5 working days before, on the day, every working day overdue; to the handler and liaisons; once."""
import pytest

from conftest import make_user
from disclosure.services import reminders_send
from disclosure.tests.builders import d, make_application
from workflow.models import Notification


@pytest.fixture
def application(unit_a, alice):
    handler = make_user("handler", unit=unit_a, role="viewer", display_name="承办人小周", email="zhou@example.gov.cn")
    return make_application(unit_a, d("2026-03-02"), handler=handler)  # due Monday 30 March


def sent(day):
    return reminders_send(day=d(day))


def test_five_working_days_before_on_the_day_and_every_working_day_late(application, alice):
    assert sent("2026-03-20") == 0  # 6 working days left
    assert sent("2026-03-23") == 2  # 5 left: the handler and the liaison
    titles = list(Notification.objects.order_by("id").values_list("title", flat=True))
    assert titles[0].startswith("依申请公开临近期限：2026年3月2日收到的政府信息公开申请还有5个工作日到期")
    assert sent("2026-03-24") == 0
    assert sent("2026-03-30") == 2  # on the day
    assert "今天是答复期限" in Notification.objects.latest("id").title
    assert sent("2026-03-31") == 2 and sent("2026-04-01") == 2
    assert "已超过答复期限2个工作日" in Notification.objects.latest("id").title
    assert sent("2026-04-04") == 0  # a Saturday


def test_a_second_run_sends_nothing_again(application):
    assert sent("2026-03-23") == 2
    assert sent("2026-03-23") == 0


def test_answered_or_paused_applications_get_no_reminder(application, unit_a):
    make_application(unit_a, d("2026-03-02"), name="另一位", request="已补正中",
                     events=[("correction_sent", d("2026-03-04"))])
    application.answered_on, application.outcome = d("2026-03-20"), "open"
    application.save()
    assert sent("2026-03-23") == 0 and sent("2026-04-01") == 0


def test_reminder_links_to_the_application(application, alice):
    sent("2026-03-23")
    note = Notification.objects.get(recipient=alice)
    assert note.link == application.get_absolute_url()


def test_reminders_are_e_mailed(application, mailoutbox):
    sent("2026-03-23")
    assert [m.to for m in mailoutbox] == [["zhou@example.gov.cn"]]
    assert "还有5个工作日到期" in mailoutbox[0].subject


def test_the_daily_send_reminders_run_includes_the_register(application, alice, capsys):
    from django.core.management import call_command

    call_command("send_reminders", "--date", "2026-03-31")
    out = capsys.readouterr().out.strip().splitlines()
    created = Notification.objects.count()  # the register's, and any other source's (e.g. annual reports)
    assert out[-1] == f"sent {created} reminders"
    assert Notification.objects.filter(title__contains="依申请公开已逾期").count() == 2
    call_command("send_reminders", "--date", "2026-03-31")
    assert capsys.readouterr().out.strip().splitlines()[-1] == "sent 0 reminders"
