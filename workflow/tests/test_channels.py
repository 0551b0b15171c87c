"""The channel backends against a local receiver: 企业微信 and 钉钉 robots' JSON, 钉钉's signature, the SMS
gateway template; failures become a ChannelError with a Chinese reason, never an exception of another kind."""
import base64
import hashlib
import hmac
import urllib.parse

import pytest

from workflow.channels import (
    ChannelError,
    dingtalk_sign,
    dingtalk_signed_url,
    send_dingtalk,
    send_sms,
    send_wecom,
)


def test_dingtalk_signature_is_base64_hmac_sha256_of_timestamp_and_secret_url_encoded():
    secret, ts = "SEC0123456789abcdef", 1764400000000
    expected = base64.b64encode(hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest())
    assert dingtalk_sign(secret, ts) == urllib.parse.quote_plus(expected)
    # A known vector (computed independently once): stable across releases.
    assert dingtalk_sign("SECabc", 1700000000000) == urllib.parse.quote_plus(base64.b64encode(
        hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()))
    url = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=T", secret, ts)
    assert url == f"https://oapi.dingtalk.com/robot/send?access_token=T&timestamp={ts}&sign={dingtalk_sign(secret, ts)}"
    assert dingtalk_signed_url("https://x/robot", "") == "https://x/robot"  # no secret: unsigned


def test_wecom_robot_gets_markdown_json(receiver):
    send_wecom(url=receiver.url("/wecom?key=K1"), subject="区发改局：新任务1条", text="**新任务（1条）**\n- 第1项")
    (request,) = receiver.to("/wecom")
    assert request.method == "POST" and request.query == {"key": ["K1"]}
    assert request.json == {"msgtype": "markdown",
                            "markdown": {"content": "**区发改局：新任务1条**\n**新任务（1条）**\n- 第1项"}}


def test_dingtalk_robot_gets_signed_markdown_json(receiver):
    send_dingtalk(url=receiver.url("/ding?access_token=T"), secret="SECxyz", subject="区教育局：已逾期2条",
                  text="- 第2项")
    (request,) = receiver.to("/ding")
    ts = int(request.query["timestamp"][0])
    # parse_qs decodes the URL-encoding once: what is left is the base64 HMAC itself
    assert request.query["sign"] == [urllib.parse.unquote_plus(dingtalk_sign("SECxyz", ts))]
    assert request.json["msgtype"] == "markdown"
    assert request.json["markdown"]["title"] == "区教育局：已逾期2条"
    assert "- 第2项" in request.json["markdown"]["text"]


@pytest.mark.parametrize("status, body, reason", [
    (200, {"errcode": 93000, "errmsg": "invalid webhook url"}, "机器人拒绝：errcode=93000 invalid webhook url"),
    (500, {"errcode": 0}, "对方返回 HTTP 500"),
    (200, b"<html>not json</html>", "机器人返回的不是 JSON"),
])
def test_robot_failures_are_channel_errors_with_a_reason(receiver, status, body, reason):
    receiver.answer("/wecom", (status, body))
    with pytest.raises(ChannelError) as caught:
        send_wecom(url=receiver.url("/wecom"), subject="s", text="t")
    assert str(caught.value) == reason


def test_unreachable_and_non_http_addresses_fail_with_a_reason(settings):
    settings.GOVOPEN_CHANNEL_TIMEOUT_SECONDS = 1
    with pytest.raises(ChannelError, match="无法连接"):
        send_wecom(url="http://127.0.0.1:9/wecom", subject="s", text="t")  # the discard port: refused
    with pytest.raises(ChannelError, match="不是 http"):
        send_wecom(url="file:///etc/passwd", subject="s", text="t")


def test_sms_gateway_get_template_url_encodes_phone_and_text(receiver, settings):
    settings.GOVOPEN_SMS_URL_TEMPLATE = receiver.url("/sms?to={phone}&msg={text}&sig=gov")
    settings.GOVOPEN_SMS_METHOD = "GET"
    send_sms(phone="13800000000", text="【台账】新任务2条 & 逾期1条")
    (request,) = receiver.to("/sms")
    assert request.method == "GET"
    assert request.query == {"to": ["13800000000"], "msg": ["【台账】新任务2条 & 逾期1条"], "sig": ["gov"]}


def test_sms_gateway_post_sends_the_json_body_template(receiver, settings):
    settings.GOVOPEN_SMS_URL_TEMPLATE = receiver.url("/sms/send")
    settings.GOVOPEN_SMS_METHOD = "POST"
    settings.GOVOPEN_SMS_BODY_TEMPLATE = '{"mobile": {phone}, "content": {text}, "sign": "区政府办"}'
    send_sms(phone="13800000000", text='含"引号"的短信')
    (request,) = receiver.to("/sms/send")
    assert request.method == "POST"
    assert request.json == {"mobile": "13800000000", "content": '含"引号"的短信', "sign": "区政府办"}


def test_sms_gateway_error_status_and_missing_configuration(receiver, settings):
    settings.GOVOPEN_SMS_URL_TEMPLATE = ""
    with pytest.raises(ChannelError, match="未配置短信网关"):
        send_sms(phone="1", text="t")
    settings.GOVOPEN_SMS_URL_TEMPLATE = receiver.url("/sms?p={phone}&t={text}")
    receiver.answer("/sms", (503, b"busy"))
    with pytest.raises(ChannelError, match="HTTP 503"):
        send_sms(phone="1", text="t")
