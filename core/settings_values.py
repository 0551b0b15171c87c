"""The channel and reminder settings as written in the environment, checked in one place.

govopen.settings raises ImproperlyConfigured with the first problem (manage.py prints it as one line, never a
traceback); `send_reminders` and the system check (workflow.apps) ask the same questions of the live settings.
Pure Python: no Django import, so the settings module can use it while it loads.
"""
from __future__ import annotations

import datetime
import re

QUIET_HOURS_HELP = "应为“开始-结束”的24小时制时间，例如 21:00-08:00；不需要免打扰时段时留空"
_HM_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")

# name: smallest value allowed (the integers of the channels and reminders)
INTEGER_SETTINGS = {"GOVOPEN_CHANNEL_TIMEOUT_SECONDS": 1, "GOVOPEN_CHANNEL_MAX_ATTEMPTS": 1,
                    "GOVOPEN_CHANNEL_RETRY_MINUTES": 1, "GOVOPEN_STALLED_WORKING_DAYS": 1}
CHANNEL_SETTINGS = ("GOVOPEN_QUIET_HOURS", "GOVOPEN_SITE_URL", "GOVOPEN_SMS_URL_TEMPLATE", "GOVOPEN_SMS_METHOD",
                    "GOVOPEN_SMS_BODY_TEMPLATE", "GOVOPEN_REMINDER_DAYS_BEFORE", *INTEGER_SETTINGS)


def _hm(text: str) -> datetime.time:
    match = _HM_RE.match(text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError
    return datetime.time(int(match.group(1)), int(match.group(2)))


def parse_quiet_hours(text: str) -> tuple[datetime.time, datetime.time] | None:
    """(start, end) of "21:00-08:00"; None for an empty value (no quiet hours). ValueError with a Chinese
    message naming the variable otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    parts = text.split("-")
    try:
        if len(parts) != 2:
            raise ValueError
        start, end = _hm(parts[0]), _hm(parts[1])
    except ValueError:
        raise ValueError(f"GOVOPEN_QUIET_HOURS 设置不正确：“{text}”，{QUIET_HOURS_HELP}。") from None
    if start == end:
        raise ValueError(f"GOVOPEN_QUIET_HOURS 设置不正确：“{text}”的开始和结束相同；{QUIET_HOURS_HELP}。")
    return start, end


def parse_int(name: str, text, *, minimum: int = 0) -> int:
    """An integer setting; ValueError with a Chinese message naming the variable otherwise."""
    value = str(text).strip()
    if not re.fullmatch(r"-?\d+", value) or int(value) < minimum:
        raise ValueError(f"{name} 设置不正确：“{value}”，应为不小于 {minimum} 的整数。")
    return int(value)


def parse_int_list(name: str, text: str) -> list[int]:
    """"7,3" → [7, 3]."""
    parts = [p.strip() for p in str(text).replace("，", ",").split(",") if p.strip()]
    if not all(re.fullmatch(r"\d+", p) for p in parts):
        raise ValueError(f"{name} 设置不正确：“{text}”，应为用逗号分隔的天数，例如 7,3。")
    return [int(p) for p in parts]


def channel_setting_problems(values: dict) -> list[str]:
    """One Chinese line per bad channel or reminder setting in ``values`` (a settings module's names)."""
    problems = []
    try:
        parse_quiet_hours(values.get("GOVOPEN_QUIET_HOURS", ""))
    except ValueError as exc:
        problems.append(str(exc))
    for name, minimum in INTEGER_SETTINGS.items():
        if name in values:
            try:
                parse_int(name, values[name], minimum=minimum)
            except ValueError as exc:
                problems.append(str(exc))
    days = values.get("GOVOPEN_REMINDER_DAYS_BEFORE", [])
    if not isinstance(days, (list, tuple)) or not all(isinstance(d, int) and d >= 0 for d in days):
        problems.append(f"GOVOPEN_REMINDER_DAYS_BEFORE 设置不正确：“{days}”，应为用逗号分隔的天数，例如 7,3。")
    site = values.get("GOVOPEN_SITE_URL", "")
    if site and not re.match(r"^https?://[^/\s]+", site):
        problems.append(f"GOVOPEN_SITE_URL 设置不正确：“{site}”，应为本系统的网址，例如 https://govopen.example.gov.cn。")
    method = values.get("GOVOPEN_SMS_METHOD", "GET")
    if method not in ("GET", "POST"):
        problems.append(f"GOVOPEN_SMS_METHOD 设置不正确：“{method}”，应为 GET 或 POST。")
    sms = values.get("GOVOPEN_SMS_URL_TEMPLATE", "")
    if sms:
        body = values.get("GOVOPEN_SMS_BODY_TEMPLATE", "") if method == "POST" else ""
        if not re.match(r"^https?://[^/\s]+", sms):
            problems.append(f"GOVOPEN_SMS_URL_TEMPLATE 设置不正确：应以 http:// 或 https:// 开头，现在是“{sms[:60]}”。")
        elif method == "GET" and not ("{phone}" in sms and "{text}" in sms):
            problems.append("GOVOPEN_SMS_URL_TEMPLATE 设置不正确：用 GET 发送时，地址中应含 {phone} 和 {text}。")
        elif method == "POST" and body and not ("{phone}" in sms + body and "{text}" in sms + body):
            problems.append("GOVOPEN_SMS_BODY_TEMPLATE 设置不正确：地址或请求内容中应含 {phone} 和 {text}。")
    return problems
