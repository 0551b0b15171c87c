"""通知方式 (each person's channels) and 发送记录 (the office's send records, scoped to its government)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_unit
from units.models import Government
from workflow.models import ChannelPreference, Delivery

SETTINGS = reverse("workflow:channel-settings")
RECORDS = reverse("workflow:delivery-list")


def test_anonymous_visitors_are_sent_to_login(client, db):
    for url in (SETTINGS, RECORDS):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


def test_a_liaison_sees_and_changes_their_channels(client, alice, unit_a, settings):
    settings.GOVOPEN_SMS_URL_TEMPLATE = ""
    alice.email = "alice@example.gov.cn"
    alice.save()
    unit_a.wecom_robot_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    unit_a.save()
    client.force_login(alice)
    page = client.get(SETTINGS).content.decode()
    assert "发送到 alice@example.gov.cn" in page and "系统尚未配置短信网关" in page
    assert "企业微信机器人：已设置" in page and "钉钉机器人：未设置" in page and "key=abc" not in page
    response = client.post(SETTINGS, {"by_sms": "on"}, follow=True)
    assert "通知方式已保存。" in response.content.decode()
    pref = ChannelPreference.objects.get(user=alice)
    assert (pref.by_email, pref.by_sms) == (False, True)


@pytest.fixture
def records(government, unit_a, alice):
    other = Government.objects.create(name="另一区人民政府", short_name="另一区")
    other_unit = make_unit("另一区教育局", "另区教育局", government=other)
    Delivery.objects.create(government=government, channel="email", recipient=alice, address="alice@example.gov.cn",
                            subject="【政务公开任务台账】已逾期1条", body="…", status="delivered", attempts=1, item_count=1)
    Delivery.objects.create(government=government, channel="wecom", unit=unit_a, address="https://qyapi.weixin.qq.com/x",
                            subject="区发改局：已逾期1条", body="…", status="failed", attempts=1,
                            reason="机器人拒绝：errcode=93000 invalid webhook url", item_count=1)
    Delivery.objects.create(government=other, channel="dingtalk", unit=other_unit, address="https://oapi.dingtalk.com/y",
                            subject="另区教育局：新任务1条", body="…", status="failed", attempts=3, item_count=1)
    return other


def test_the_office_sees_its_governments_send_records_with_failure_reasons(client, office, records, alice,
                                                                           government):
    client.force_login(office)
    client.get(RECORDS)  # warm the session
    with CaptureQueriesContext(connection) as few:
        page = client.get(RECORDS).content.decode()
    for n in range(20):
        Delivery.objects.create(government=government, channel="email", recipient=alice, address=f"{n}@x.cn",
                                subject="s", body="…", status="delivered", attempts=1)
    with CaptureQueriesContext(connection) as many:
        client.get(RECORDS)
    assert len(many) == len(few) <= 12  # no query per row
    assert "1 条发送失败" in page
    assert "机器人拒绝：errcode=93000 invalid webhook url" in page and "区发改局工作群" in page
    assert "王丽" in page and "已送达" in page
    assert "另区教育局" not in page  # another government's records
    failed = client.get(RECORDS, {"status": "failed"}).content.decode()
    assert "区发改局工作群" in failed and "王丽" not in failed


def test_liaisons_and_leaders_may_not_read_send_records(client, alice, leader, records):
    for user in (alice, leader):
        client.force_login(user)
        assert client.get(RECORDS).status_code == 403


def test_the_chase_form_offers_urgent(client, office, ledger):
    client.force_login(office)
    page = client.get(reverse("workflow:chase-create"), {"year": 2026, "scope": "open"}).content.decode()
    assert "加急（夜间和节假日也立即发送）" in page
