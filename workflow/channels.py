"""Channels: how a digest leaves the system. Each backend sends one message and returns nothing, or raises
ChannelError with a short Chinese reason. Network calls use urllib with a short timeout; nothing runs a shell.

- e-mail: Django's mail backend (settings.EMAIL_*);
- 企业微信 group robot: POST {"msgtype": "markdown", "markdown": {"content": …}} to its webhook; {"errcode": 0}
  means accepted;
- 钉钉 group robot: POST {"msgtype": "markdown", "markdown": {"title": …, "text": …}} to its webhook, signed when
  the robot has a secret (timestamp & sign = base64(HMAC-SHA256(secret, "{timestamp}\\n{secret}")) appended);
  {"errcode": 0} means accepted;
- SMS gateway: settings.GOVOPEN_SMS_URL_TEMPLATE with {phone} and {text} (URL-encoded), called with GET, or with
  POST and the body settings.GOVOPEN_SMS_BODY_TEMPLATE (JSON, {phone} {text} JSON-escaped); any 2xx is accepted.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

SMS_MAX_CHARS = 300  # one digest as an SMS: the counts and the link, cut to a few segments
ROBOT_MAX_CHARS = 3500  # 企业微信 markdown takes 4096 bytes of content; 钉钉 about 20000


class ChannelError(Exception):
    """A send that did not go through; str() is the reason shown on the send-records page."""


def _reason(exc: Exception) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"对方返回 HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            return "连接超时"
        return f"无法连接：{reason}"[:200]
    if isinstance(exc, TimeoutError):
        return "连接超时"
    return f"{type(exc).__name__}：{exc}"[:200]


def _http(url: str, *, data: bytes | None = None, content_type: str = "application/json") -> bytes:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ChannelError("地址不是 http(s) 网址")
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if data is not None:
        request.add_header("Content-Type", f"{content_type}; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=settings.GOVOPEN_CHANNEL_TIMEOUT_SECONDS) as response:
            return response.read(64 * 1024)
    except ChannelError:
        raise
    except Exception as exc:  # any network problem is this channel's failure, never the run's
        raise ChannelError(_reason(exc)) from exc


def _robot_answer(raw: bytes) -> None:
    """企业微信 and 钉钉 answer 200 with {"errcode": 0, "errmsg": "ok"}; anything else is a failure."""
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ChannelError("机器人返回的不是 JSON") from None
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        code = answer.get("errcode") if isinstance(answer, dict) else None
        message = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        raise ChannelError(f"机器人拒绝：errcode={code} {message}"[:200])


def send_email(*, address: str, subject: str, text: str) -> None:
    try:
        send_mail(subject, text, None, [address])
    except Exception as exc:
        raise ChannelError(f"邮件发送失败：{exc}"[:200]) from exc


def send_wecom(*, url: str, subject: str, text: str) -> None:
    content = f"**{subject}**\n{text}"[:ROBOT_MAX_CHARS]
    payload = {"msgtype": "markdown", "markdown": {"content": content}}
    _robot_answer(_http(url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8")))


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉's signature: base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}")), URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    if not secret:
        return url
    timestamp_ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def send_dingtalk(*, url: str, secret: str, subject: str, text: str) -> None:
    payload = {"msgtype": "markdown", "markdown": {"title": subject[:60], "text": f"#### {subject}\n{text}"[:ROBOT_MAX_CHARS]}}
    _robot_answer(_http(dingtalk_signed_url(url, secret), data=json.dumps(payload, ensure_ascii=False).encode("utf-8")))


def sms_configured() -> bool:
    return bool(settings.GOVOPEN_SMS_URL_TEMPLATE)


def send_sms(*, phone: str, text: str) -> None:
    template = settings.GOVOPEN_SMS_URL_TEMPLATE
    if not template:
        raise ChannelError("未配置短信网关（GOVOPEN_SMS_URL_TEMPLATE）")
    text = text[:SMS_MAX_CHARS]
    url = template.replace("{phone}", urllib.parse.quote(phone, safe="")).replace(
        "{text}", urllib.parse.quote(text, safe=""))
    if settings.GOVOPEN_SMS_METHOD == "POST":
        body_template = settings.GOVOPEN_SMS_BODY_TEMPLATE or '{"phone": {phone}, "text": {text}}'
        body = body_template.replace("{phone}", json.dumps(phone, ensure_ascii=False)).replace(
            "{text}", json.dumps(text, ensure_ascii=False))
        _http(url, data=body.encode("utf-8"))
    else:
        _http(url)
