"""Annual-report deadline reminders, sent by the daily reminder run (manage.py send_reminders).

For last year's reports (due in January/March of this year, see collect.py): a unit whose report is not
yet submitted, finalised or published gets "N days before" reminders (settings.GOVOPEN_REMINDER_DAYS_BEFORE,
the same rule as the ledger's: a reminder date falling before the next working day is sent today), and,
while its report is not published after the due date, an overdue reminder every working day. The
government's own report reminds the office admins. Each (recipient, kind, day, report link) is sent once.
Overdue reminders stop OVERDUE_DAYS after the due date (the 年报收集 page keeps showing the flag).
"""
from __future__ import annotations

import datetime

from django.urls import reverse

from core.dates import cn_date
from reports.annual.collect import collect_rows
from reports.models import AnnualReport
from units.models import User
from workflow.models import Notification
from workflow.notifications import liaisons_by_unit

NOT_YET_SUBMITTED = (None, AnnualReport.Status.DRAFT, AnnualReport.Status.RETURNED)
OVERDUE_DAYS = 60


def _key(due: datetime.date, day: datetime.date, next_day: datetime.date, days_before) -> datetime.date | None:
    keys = [due - datetime.timedelta(days=n) for n in days_before]
    in_span = [k for k in keys if day <= k < next_day]
    return max(in_span) if in_span else None


def annual_report_reminders(*, day: datetime.date, next_day: datetime.date, days_before) -> list[Notification]:
    year = day.year - 1
    if day.month > 6:  # nothing due: spare the queries on most days of the year
        return []
    government, rows = collect_rows(year=year, today=day)
    liaisons = liaisons_by_unit(row.unit.pk for row in rows)
    office = list(User.objects.filter(role=User.Role.OFFICE_ADMIN, is_active=True).order_by("id"))
    link = f"{reverse('reports:annual-list')}?year={year}"
    created = []
    for row in [government, *rows]:
        status = row.report.status if row.report else None
        if row.overdue and (day - row.due).days <= OVERDUE_DAYS:
            kind, key = Notification.Kind.OVERDUE, day
            title = f"年度报告逾期：{row.name}{year}年政府信息公开工作年度报告应于{cn_date(row.due)}前公布，尚未发布"
        elif status in NOT_YET_SUBMITTED and (key := _key(row.due, day, next_day, days_before)) is not None:
            kind = Notification.Kind.DUE_SOON
            title = f"年度报告临近截止：{row.name}{year}年政府信息公开工作年度报告应于{cn_date(row.due)}前公布"
        else:
            continue
        body = f"{title}（目前状态：{row.state}）。请在系统中完成、提交并登记发布日期和网址。"
        recipients = office if row.unit is None else liaisons.get(row.unit.pk, [])
        for user in recipients:
            if Notification.objects.filter(recipient=user, kind=kind, key_date=key, link=link,
                                           assignment__isnull=True, title=title[:200]).exists():
                continue
            created.append(Notification.objects.create(recipient=user, kind=kind, key_date=key, link=link,
                                                       title=title[:200], body=body))
    return created
