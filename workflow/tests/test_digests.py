"""Digests through a local receiver: one message per person and channel and per unit robot per run, grouped;
nothing in the quiet hours or on days off (urgent chases excepted); nothing twice; failures recorded and retried."""
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conftest import TODAY, make_item, make_user
from workflow.calendar import seed_from_package
from workflow.chasing import chase_create
from workflow.digests import digests_send
from workflow.models import CalendarDay, CalendarYear, ChannelPreference, Delivery, Notification
from workflow.reminders import reminders_send

D = datetime.date  # TODAY is Monday 2026-11-23, a working day


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture(autouse=True)
def calendar_2026(db):
    seed_from_package(CalendarDay, CalendarYear, years=[2026])


@pytest.fixture
def setup(receiver, settings, notice, unit_a, unit_b, alice, charlie):
    """Unit A has both robots; alice wants e-mail and SMS; amy (unit A) e-mail only; charlie (unit B) e-mail."""
    settings.GOVOPEN_SMS_URL_TEMPLATE = receiver.url("/sms?to={phone}&msg={text}")
    unit_a.wecom_robot_url = receiver.url("/wecom?key=A")
    unit_a.dingtalk_robot_url = receiver.url("/ding?access_token=A")
    unit_a.dingtalk_secret = "SECunitA"
    unit_a.save()
    alice.email, alice.phone = "alice@example.gov.cn", "13800000001"
    alice.save()
    ChannelPreference.objects.create(user=alice, by_email=True, by_sms=True)
    amy = make_user("amy", unit=unit_a, display_name="林雨", email="amy@example.gov.cn")
    charlie.email = "charlie@example.gov.cn"
    charlie.save()
    rows = {
        "a_overdue": make_item(notice, 1, responsible=["区发改局"], deadline=D(2026, 11, 20)).assignments.get(),
        "a_soon": make_item(notice, 2, responsible=["区发改局"], deadline=D(2026, 11, 26)).assignments.get(),
        "b_overdue": make_item(notice, 3, responsible=["区教育局"], deadline=D(2026, 11, 18)).assignments.get(),
    }
    mail.outbox.clear()
    return {"amy": amy, "rows": rows}


def test_a_reminder_run_sends_one_digest_per_person_channel_and_per_unit_robot(receiver, setup, alice):
    out = io.StringIO()
    call_command("send_reminders", date=TODAY.isoformat(), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "sent 5 reminders"  # alice 2, amy 2, charlie 1 in-app
    assert lines[-2] == "汇总发送：送达6条，失败0条（将自动重试）。"

    by_address = {tuple(m.to): m for m in mail.outbox}
    assert sorted(by_address) == [("alice@example.gov.cn",), ("amy@example.gov.cn",), ("charlie@example.gov.cn",)]
    alice_mail = by_address[("alice@example.gov.cn",)]
    assert alice_mail.subject == "【政务公开任务台账】即将到期1条、已逾期1条"
    assert "【即将到期】（1条）" in alice_mail.body and "【已逾期】（1条）" in alice_mail.body
    assert alice_mail.body.index("【即将到期】") < alice_mail.body.index("【已逾期】")
    assert "测政办〔2026〕1号 第1项" in alice_mail.body and "测政办〔2026〕1号 第2项" in alice_mail.body

    (sms,) = receiver.to("/sms")
    assert sms.query["to"] == ["13800000001"]
    assert sms.query["msg"][0].startswith("【政务公开任务台账】王丽：即将到期1条、已逾期1条，请登录系统查看：")

    (wecom,) = receiver.to("/wecom")
    content = wecom.json["markdown"]["content"]
    assert "区发改局：即将到期1条、已逾期1条" in content  # alice's and amy's copies: once in the group
    assert content.count("1号 第1项") == 1 and "区教育局" not in content
    (ding,) = receiver.to("/ding")
    assert "sign" in ding.query and ding.json["markdown"]["text"].count("1号 第2项") == 1
    assert not receiver.to("/wecom-b")  # unit B has no robot

    records = Delivery.objects.order_by("channel", "address")
    assert [(d.channel, d.status, d.attempts) for d in records] == [
        ("dingtalk", "delivered", 1), ("email", "delivered", 1), ("email", "delivered", 1),
        ("email", "delivered", 1), ("sms", "delivered", 1), ("wecom", "delivered", 1)]
    assert "access_token" not in records[0].address  # the record shows no webhook token

    # a second run the same day: nothing new is made, nothing is sent again
    before = len(receiver.requests)
    out = io.StringIO()
    call_command("send_reminders", date=TODAY.isoformat(), stdout=out)
    assert out.getvalue().splitlines()[-2:] == ["汇总发送：送达0条，失败0条（将自动重试）。", "sent 0 reminders"]
    assert len(mail.outbox) == 3 and len(receiver.requests) == before and Delivery.objects.count() == 6


def test_quiet_hours_and_days_off_hold_messages_until_the_next_working_morning(receiver, setup, office, alice):
    rows = setup["rows"]
    evening = at(TODAY, 21, 30)
    chase_create(assignments=[rows["a_overdue"]], message="请今天报送。", author=office, today=TODAY)
    run = digests_send(now=evening)
    assert run.quiet and run.held == 2 and run.delivered == 0  # alice and amy; the robots wait too
    assert mail.outbox == [] and receiver.requests == [] and Delivery.objects.count() == 0
    assert digests_send(now=at(TODAY + datetime.timedelta(days=1), 7, 59)).delivered == 0  # still before 08:00
    saturday = D(2026, 11, 28)
    assert digests_send(now=at(saturday, 10)).delivered == 0  # a day off
    morning = digests_send(now=at(D(2026, 11, 24), 8, 0))
    assert morning.delivered == 5  # alice e-mail + SMS, amy e-mail, unit A's two robots
    assert {tuple(m.to) for m in mail.outbox} == {("alice@example.gov.cn",), ("amy@example.gov.cn",)}
    assert "【被催办】（1条）" in mail.outbox[0].body and "请今天报送。" in mail.outbox[0].body


def test_an_urgent_chase_goes_out_at_night_and_only_it(receiver, setup, office):
    rows = setup["rows"]
    chase_create(assignments=[rows["b_overdue"]], message="普通催办", author=office, today=TODAY)
    chase_create(assignments=[rows["a_overdue"]], message="加急：今晚报送", author=office, today=TODAY, urgent=True)
    run = digests_send(now=at(D(2026, 11, 28), 22, 15))  # Saturday night
    assert run.quiet and run.delivered == 5 and run.held == 1  # charlie's ordinary chase waits
    assert {tuple(m.to) for m in mail.outbox} == {("alice@example.gov.cn",), ("amy@example.gov.cn",)}
    assert mail.outbox[0].subject.startswith("【政务公开任务台账】【加急】")
    assert "加急" in receiver.to("/wecom")[0].json["markdown"]["content"]
    assert Notification.objects.get(recipient__username="charlie").digested_at is None


def test_a_failing_channel_is_recorded_retried_with_backoff_and_blocks_nothing(receiver, setup, settings):
    settings.GOVOPEN_CHANNEL_RETRY_MINUTES = 15
    receiver.answer("/wecom", (200, {"errcode": 93000, "errmsg": "invalid webhook url"}), (200, {"errcode": 0}))
    receiver.answer("/sms", (502, b"bad gateway"))  # the gateway stays down
    run = reminders_send(day=TODAY, now=at(TODAY, 9))
    assert run.digest.delivered == 4 and run.digest.failed == 2  # e-mails and 钉钉 went through
    wecom = Delivery.objects.get(channel="wecom")
    assert (wecom.status, wecom.attempts, wecom.reason) == ("failed", 1, "机器人拒绝：errcode=93000 invalid webhook url")
    assert wecom.next_attempt_at == at(TODAY, 9, 15)
    assert len(mail.outbox) == 3

    assert digests_send(now=at(TODAY, 9, 10)).delivered == 0  # not yet due: no sleeping, a later run retries
    retry = digests_send(now=at(TODAY, 9, 16))
    assert retry.delivered == 1 and retry.failed == 1
    wecom.refresh_from_db()
    assert (wecom.status, wecom.attempts, wecom.reason) == ("delivered", 2, "")
    assert len(receiver.to("/wecom")) == 2 and len(mail.outbox) == 3  # e-mails were not sent again

    sms = Delivery.objects.get(channel="sms")
    assert (sms.attempts, sms.next_attempt_at) == (2, at(TODAY, 9, 16) + datetime.timedelta(minutes=30))
    digests_send(now=at(TODAY, 10))
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.next_attempt_at, sms.reason) == ("failed", 3, None, "对方返回 HTTP 502")
    digests_send(now=at(TODAY, 12))
    assert len(receiver.to("/sms")) == 3  # bounded: three attempts in all


def test_people_choose_their_channels(receiver, setup, alice):
    ChannelPreference.objects.filter(user=alice).update(by_email=False, by_sms=False)
    reminders_send(day=TODAY, now=at(TODAY, 9))
    assert {tuple(m.to) for m in mail.outbox} == {("amy@example.gov.cn",), ("charlie@example.gov.cn",)}
    assert receiver.to("/sms") == []
    assert Notification.objects.filter(recipient=alice).count() == 2  # in-app always
