"""One reminder run: `python manage.py send_reminders [--date YYYY-MM-DD]` (cron or a systemd timer, daily).

Idempotent: a second run for the same date sends nothing new. Its last line is always `sent N reminders`
(N: in-app reminders created in this run, each also e-mailed when the liaison has an address).
"""
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.trail import audit_actor
from core.dates import cn_date
from workflow.reminders import ReminderRunBusy, reminder_run_lock, reminders_send


class Command(BaseCommand):
    help = "发送临近时限提醒和逾期提醒（每天运行一次；重复运行不会重复发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天发送，格式 YYYY-MM-DD，默认今天")

    def handle(self, *args, **options):
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期格式不正确：“{options['date']}”，应为 YYYY-MM-DD，例如 2026-11-23。")
        else:
            day = timezone.localdate()
        try:
            with reminder_run_lock(day), audit_actor(None):  # one run per day at a time
                run = reminders_send(day=day)
        except ReminderRunBusy as busy:
            self.stdout.write(self.style.WARNING(str(busy)))
            self.stdout.write("sent 0 reminders")
            return
        for warning in run.warnings:
            self.stdout.write(self.style.WARNING(warning))
        if not run.working_day:
            self.stdout.write(f"{cn_date(day)}不是工作日，不发送提醒。")
        else:
            self.stdout.write(f"{cn_date(day)}：临近时限提醒{run.due_soon}条，逾期提醒{run.overdue}条，"
                              f"此前已发送而跳过{run.already_sent}条，发送邮件{run.emails}封。")
        self.stdout.write(f"sent {run.sent} reminders")
