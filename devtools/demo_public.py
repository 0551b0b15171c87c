"""What the demo shows the public and the 依申请公开 register: the live table's 公开进度页 published (so /gongkai/
lists it), and a few register entries of 鼓楼's units around the day the demo is loaded — answered, in progress,
waiting for the applicant’s 补正, and one past its due date (received 50 days before: overdue even across
the Spring Festival)."""
from __future__ import annotations

import datetime

from django.utils import timezone

from disclosure.models import Application, ApplicationEvent
from disclosure.services import application_answer, application_create, event_add
from reports.services import notice_page_publish
from tasks.models import Notice
from units.models import Government, User

# (username whose unit handles it, days before today received, applicant type, applicant, request,
#  events as (kind, days before today), answer as (outcome, days before today) or None)
APPLICATIONS = [
    ("admin", 40, "natural", "王某某", "申请公开本区2025年老旧小区改造项目清单及资金安排。",
     [], ("open", 25)),
    ("admin", 33, "commercial", "福州某某科技有限公司", "申请公开本区政府购买服务项目的招标文件。",
     [], ("unable_not_held", 15)),
    ("jiaoyu", 26, "natural", "李某", "申请公开本区2026年义务教育阶段学校招生划片方案的制定依据。",
     [(ApplicationEvent.Kind.CORRECTION_SENT, 24), (ApplicationEvent.Kind.CORRECTION_RECEIVED, 12)], None),
    ("jiaoyu", 6, "nonprofit", "某某公益服务中心", "申请公开本区校外培训机构白名单及监管检查结果。", [], None),
    ("fagai", 50, "legal", "福建某某律师事务所", "申请公开某重点建设项目的立项批复文件。", [], None),
]


def publish_live_page(notice: Notice, *, admin) -> str | None:
    """Publish the live table's public progress page once (a page the office withdrew stays withdrawn);
    its address, or None when it was published or withdrawn before."""
    if notice.public_token:
        return None
    notice_page_publish(notice=notice, user=admin, now=timezone.now())
    return f"/gongkai/{notice.public_token}/"


def demo_register(government: Government, *, today: datetime.date) -> int:
    """A few register entries of ``government``'s units, dated around ``today``, if it has none yet."""
    if Application.objects.filter(unit__government=government).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in={a[0] for a in APPLICATIONS})}
    day = datetime.timedelta
    for number, (username, received, kind, name, text, events, answer) in enumerate(APPLICATIONS, 1):
        user = users[username]
        application = application_create(unit=user.unit, user=user, today=today, values={
            "reference": f"演示-{today.year}-{number:03d}", "received_on": today - day(received), "channel": "online",
            "applicant_type": kind, "applicant_name": name, "applicant_contact": f"1380000{number:04d}",
            "request_text": text, "handler": user, "note": "演示数据"})
        for event_kind, before in events:
            event_add(application=application, kind=event_kind, date=today - day(before), user=user, today=today)
        if answer:
            outcome, before = answer
            application_answer(application=application, outcome=outcome, answered_on=today - day(before),
                               note="已按期书面答复申请人。", user=user, today=today)
    return len(APPLICATIONS)
