"""基础数据 › 单位: the unit's work-group robots (企业微信, 钉钉 with its 加签 secret) on its form and in the list."""
import re
import warnings

import pytest
from django.urls import reverse

from units.forms import UnitForm
from units.models import Unit
from units.tests.test_masterdata_units import unit_post

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-123"
DING = "https://oapi.dingtalk.com/robot/send?access_token=ding-token-456"


def test_the_form_shows_and_saves_the_robot_addresses_as_the_sender_uses_them(client, office, unit_a):
    client.force_login(office)
    page = client.get(reverse("units:unit-edit", args=[unit_a.pk])).content.decode()
    assert "工作群机器人" in page and "企业微信机器人地址" in page and "钉钉机器人地址" in page and "钉钉加签密钥" in page
    response = client.post(reverse("units:unit-edit", args=[unit_a.pk]), unit_post(
        unit_a, wecom_robot_url=WECOM, dingtalk_robot_url=f"{DING}&timestamp=1700000000000&sign=abc%3D",
        dingtalk_secret=" SECabc123 "))
    assert response.status_code == 302
    unit_a.refresh_from_db()
    # the address with its key (what workflow.channels posts to); 钉钉's copied signature dropped, the secret apart
    assert (unit_a.wecom_robot_url, unit_a.dingtalk_robot_url, unit_a.dingtalk_secret) == (WECOM, DING, "SECabc123")
    page = client.get(reverse("units:unit-edit", args=[unit_a.pk])).content.decode()
    assert WECOM.replace("&", "&amp;") in page or WECOM in page  # the office admin sees what to correct


def test_an_address_without_scheme_is_https(client, office, unit_a):
    client.force_login(office)
    client.post(reverse("units:unit-edit", args=[unit_a.pk]), unit_post(
        unit_a, wecom_robot_url="qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1"))
    unit_a.refresh_from_db()
    assert unit_a.wecom_robot_url == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1"


@pytest.mark.parametrize("changes,message", [
    ({"wecom_robot_url": "这不是网址"}, "请输入有效的网址"),
    ({"wecom_robot_url": "ftp://qyapi.weixin.qq.com/send"}, "请输入有效的网址"),
    ({"dingtalk_robot_url": "https://oapi.dingtalk.com/robot/send?access_token=" + "x" * 300}, "地址不能超过 300 个字符"),
    ({"dingtalk_robot_url": DING, "dingtalk_secret": "abc 123"}, "加签密钥应为 SEC 开头"),
    ({"dingtalk_secret": "SECabc"}, "请同时填写钉钉机器人地址"),
])
def test_a_bad_robot_address_is_refused_in_chinese_and_nothing_is_saved(client, office, unit_a, changes, message):
    client.force_login(office)
    response = client.post(reverse("units:unit-edit", args=[unit_a.pk]), unit_post(unit_a, sort_order=99, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    unit_a.refresh_from_db()
    assert (unit_a.sort_order, unit_a.wecom_robot_url, unit_a.dingtalk_secret) == (10, "", "")


def test_the_list_says_set_and_never_shows_the_address(client, office, unit_a, unit_b):
    Unit.objects.filter(pk=unit_a.pk).update(wecom_robot_url=WECOM, dingtalk_robot_url=DING, dingtalk_secret="SECx")
    client.force_login(office)
    page = client.get(reverse("units:unit-list")).content.decode()
    table = page[page.index('id="unit-table"'):]
    row = table[table.index("区发改局"):table.index("区教育局")]
    assert "企业微信：已设置" in row and "钉钉：已设置（加签）" in row
    assert "未设置" in table[table.index("区教育局"):]
    cards = page[page.index('id="unit-cards"'):page.index('id="unit-table"')]
    assert "工作群机器人：企业微信：已设置" in re.sub(r"<[^>]+>", "", cards)
    for secret in ("wecom-key-123", "ding-token-456", "qyapi", "SECx"):
        assert secret not in page


def test_the_form_fields_assume_https_without_a_deprecation_warning(unit_a):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        form = UnitForm(instance=unit_a, government=unit_a.government)
        assert form.fields["wecom_robot_url"].assume_scheme == "https"
        assert form.fields["dingtalk_robot_url"].assume_scheme == "https"
