"""One reminder run: `python manage.py send_reminders [--date YYYY-MM-DD]` (cron or a systemd timer; daily at
least, better every 30 minutes: reminders are made once a day, digests of every message go out each run).

Idempotent: a second run sends nothing new. Its last line is always `sent N reminders` (N: in-app reminders
created in this run); the line before it counts the digests (per person and channel, per unit work group).
Without --date the digests follow the clock (quiet hours); with --date they are sent as of 09:00 that day.
"""
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.trail import audit_actor
from core.dates import cn_date
from core.settings_values import CHANNEL_SETTINGS, channel_setting_problems
from workflow.reminders import DIGESTS_LOCK_DAY, ReminderRunBusy, reminder_run_lock, reminders_send


class Command(BaseCommand):
    help = "发送临近时限提醒和逾期提醒（每天运行一次；重复运行不会重复发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天发送，格式 YYYY-MM-DD，默认今天")

    def handle(self, *args, **options):
        problems = channel_setting_problems({name: getattr(settings, name) for name in CHANNEL_SETTINGS
                                             if hasattr(settings, name)})
        if problems:  # one Chinese line naming the setting, before anything is sent
            raise CommandError(problems[0])
        now = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期格式不正确：“{options['date']}”，应为 YYYY-MM-DD，例如 2026-11-23。")
        else:
            now = timezone.now()
            day = timezone.localdate(now)
        try:
            # one run per day at a time, and one digest run at a time whatever the day
            with reminder_run_lock(day), reminder_run_lock(DIGESTS_LOCK_DAY), audit_actor(None):
                run = reminders_send(day=day, now=now)
        except ReminderRunBusy as busy:
            self.stdout.write(self.style.WARNING(str(busy)))
            self.stdout.write("sent 0 reminders")
            return
        for warning in run.warnings:
            self.stdout.write(self.style.WARNING(warning))
        digest = run.digest
        digest_line = ""
        if digest is not None:
            quiet = f"，免打扰时段暂缓{digest.held}条消息" if digest.quiet else ""
            digest_line = f"汇总发送：送达{digest.delivered}条，失败{digest.failed}条（将自动重试）{quiet}。"
        if not run.working_day:  # only urgent messages (and their retries) go out on a day off
            if digest_line:
                self.stdout.write(digest_line)
            self.stdout.write(f"{cn_date(day)}不是工作日，不发送提醒。")
        else:
            self.stdout.write(f"{cn_date(day)}：临近时限提醒{run.due_soon}条，逾期提醒{run.overdue}条，"
                              f"停滞提醒{run.stalled}条，此前已发送而跳过{run.already_sent}条。")
            if digest_line:
                self.stdout.write(digest_line)
        self.stdout.write(f"sent {run.sent} reminders")
