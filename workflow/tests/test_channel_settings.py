"""A badly written channel setting (GOVOPEN_QUIET_HOURS, the SMS gateway, the retry numbers …) ends with one
Chinese line naming it, from any manage.py command or from send_reminders: never a traceback."""
import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.settings_values import channel_setting_problems, parse_quiet_hours
from workflow.digests import is_quiet

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"GOVOPEN_QUIET_HOURS": "21:00-08:00", "GOVOPEN_SITE_URL": "https://govopen.example.gov.cn",
        "GOVOPEN_SMS_URL_TEMPLATE": "", "GOVOPEN_SMS_METHOD": "GET", "GOVOPEN_SMS_BODY_TEMPLATE": "",
        "GOVOPEN_REMINDER_DAYS_BEFORE": [7, 3], "GOVOPEN_CHANNEL_TIMEOUT_SECONDS": 5,
        "GOVOPEN_CHANNEL_MAX_ATTEMPTS": 3, "GOVOPEN_CHANNEL_RETRY_MINUTES": 15, "GOVOPEN_STALLED_WORKING_DAYS": 20}


def test_good_settings_have_no_problem_and_an_empty_quiet_window_means_none():
    assert channel_setting_problems(GOOD) == []
    assert parse_quiet_hours("21:00-08:00") == (datetime.time(21), datetime.time(8))
    assert parse_quiet_hours(" 12:30 - 13:30 ") == (datetime.time(12, 30), datetime.time(13, 30))
    assert parse_quiet_hours("") is None


@pytest.mark.parametrize("name,value,message", [
    ("GOVOPEN_QUIET_HOURS", "21-8", "GOVOPEN_QUIET_HOURS 设置不正确：“21-8”，应为“开始-结束”的24小时制时间，例如 21:00-08:00"),
    ("GOVOPEN_QUIET_HOURS", "25:00-08:00", "GOVOPEN_QUIET_HOURS 设置不正确"),
    ("GOVOPEN_QUIET_HOURS", "21:00~08:00", "GOVOPEN_QUIET_HOURS 设置不正确"),
    ("GOVOPEN_QUIET_HOURS", "08:00-08:00", "开始和结束相同"),
    ("GOVOPEN_CHANNEL_MAX_ATTEMPTS", "0", "GOVOPEN_CHANNEL_MAX_ATTEMPTS 设置不正确：“0”，应为不小于 1 的整数"),
    ("GOVOPEN_SMS_METHOD", "PUT", "GOVOPEN_SMS_METHOD 设置不正确：“PUT”，应为 GET 或 POST"),
    ("GOVOPEN_SMS_URL_TEMPLATE", "sms.example.gov.cn/send", "应以 http:// 或 https:// 开头"),
    ("GOVOPEN_SMS_URL_TEMPLATE", "https://sms.example.gov.cn/send?to={phone}", "地址中应含 {phone} 和 {text}"),
    ("GOVOPEN_SITE_URL", "govopen.example.gov.cn", "GOVOPEN_SITE_URL 设置不正确"),
])
def test_each_bad_setting_is_named_in_one_chinese_line(name, value, message):
    (problem,) = channel_setting_problems(GOOD | {name: value})
    assert message in problem and "\n" not in problem


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GOVOPEN_")}
    environment.update({"DJANGO_SETTINGS_MODULE": "govopen.settings", "DJANGO_DEBUG": "1",
                        "DJANGO_ENV_FILE": "/nonexistent"}, **env)
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("env,line", [
    ({"GOVOPEN_QUIET_HOURS": "9点-17点"}, "GOVOPEN_QUIET_HOURS 设置不正确：“9点-17点”，应为“开始-结束”的24小时制时间"),
    ({"GOVOPEN_CHANNEL_RETRY_MINUTES": "十五"}, "GOVOPEN_CHANNEL_RETRY_MINUTES 设置不正确：“十五”，应为整数。"),
    ({"GOVOPEN_REMINDER_DAYS_BEFORE": "7,三"}, "GOVOPEN_REMINDER_DAYS_BEFORE 设置不正确：“7,三”"),
])
def test_manage_py_ends_with_one_chinese_line_not_a_traceback(env, line):
    result = manage("send_reminders", **env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    (printed,) = result.stderr.strip().splitlines()
    assert printed.startswith(line)


def test_send_reminders_refuses_a_bad_live_setting_with_a_command_error(db, settings):
    settings.GOVOPEN_QUIET_HOURS = "21:00-8"
    with pytest.raises(CommandError) as refused:
        call_command("send_reminders", date="2026-11-23")
    assert str(refused.value).startswith("GOVOPEN_QUIET_HOURS 设置不正确：“21:00-8”")


def test_without_quiet_hours_only_days_off_are_quiet(db, settings):
    settings.GOVOPEN_QUIET_HOURS = ""
    monday_night = timezone.make_aware(datetime.datetime(2026, 11, 23, 23, 30))
    assert not is_quiet(monday_night)
    assert is_quiet(monday_night + datetime.timedelta(days=5))  # Saturday
