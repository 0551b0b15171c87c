"""The demo's live table: a current-year table of 鼓楼 clearly labelled 演示, derived from 鼓楼's real 2022 table
(fixtures/notices/gulou2022.json: same sections, items and units) with its 时限 moved around the day the demo is
loaded, so that every state is there on that day: rows due in 2 and in 6 days, rows overdue by 3 and 5 working
days, done, 不涉及, a done-claim awaiting review, one returned, two chased, some in progress.

Everything is relative to ``today`` (passed in): load the demo on any day and the home pages of the demo
liaisons show the same picture. The three demo units' rows are scripted; the other units' rows get a plausible
random history (seeded, so two loads on the same day agree)."""
from __future__ import annotations

import datetime
import json
import random

from tasks.breakdown import ParsedNotice
from tasks.models import Assignment, Notice
from tasks.services import notice_import, progress_record, progress_submit
from units.models import Government, User
from workflow.calendar import WorkCalendar

SEED_KEY = "gulou2022"
DONE_TEXT = "{unit}已按要求完成，相关信息已在区政府门户网站“政府信息公开”专栏发布。"
PROGRESS_TEXT = "{unit}已梳理需公开的信息清单，正在审核，预计按期完成。"
LINK = "http://www.example.gov.cn/zwgk/"


def live_doc_number(year: int) -> str:
    return f"演示鼓政办〔{year}〕1号"


def _deadlines(today: datetime.date, calendar: WorkCalendar) -> dict[int, datetime.date | None]:
    """Item number → its 时限 relative to ``today`` (None: 持续推进)."""
    day = datetime.timedelta
    plan: dict[int, datetime.date | None] = {
        1: today - day(75), 2: today - day(60), 3: today - day(45), 4: today - day(30), 5: today - day(21),
        6: today - day(14),
        7: calendar.add_working_days(today, -3),  # overdue by 3 working days
        8: calendar.add_working_days(today, -5),  # overdue by 5 working days
        9: today + day(2), 10: today + day(6),
    }
    for number in range(11, 32):
        plan[number] = None if number % 7 == 0 else today + day(10 + (number - 10) * 8)
    return plan


def _deadline_text(due: datetime.date | None, year: int) -> str:
    if due is None:
        return "持续推进"
    return f"{due.month}月{due.day}日前" if due.year == year else f"{due.year}年{due.month}月{due.day}日前"


def live_parsed(fixtures, today: datetime.date, calendar: WorkCalendar) -> tuple[ParsedNotice, dict]:
    """The seed table as the demo's live table: 演示 in its 文号 and title, 时限 around ``today``."""
    data = json.loads((fixtures / "notices" / f"{SEED_KEY}.json").read_text(encoding="utf-8"))
    year = today.year
    plan = _deadlines(today, calendar)
    data.update(doc_number=live_doc_number(year), year=year, issue_date=(today - datetime.timedelta(days=90)).isoformat(),
                issuer="福州市鼓楼区人民政府办公室（演示）",
                title=f"【演示】关于印发{year}年全区政务公开工作主要任务分解表的通知（演示数据）")
    for section in data["sections"]:
        for task in section["tasks"] + [t for sub in section["subsections"] for t in sub["tasks"]]:
            due = plan.get(task["number"], today + datetime.timedelta(days=120))
            task["deadline"] = due.isoformat() if due else None
            task["deadline_text"] = _deadline_text(due, year)
    meta = {"recipients": "各街道办事处、洪山镇政府，区直各相关部门（演示）", "publicity": "主动公开",
            "report_back_date": (today + datetime.timedelta(days=60)).isoformat(),
            "body": f"【演示数据】本表由鼓政办〔2022〕46号的任务分解表派生，仅用于演示：各项时限按载入日期"
                    f"（{today.year}年{today.month}月{today.day}日）前后排列，以便展示临近到期、逾期、已完成、不涉及、"
                    f"待审核、已退回、已催办等各种状态。"}
    return ParsedNotice.from_json(data), meta


def _report(row: Assignment, *, author, status: str, day: datetime.date, today: datetime.date, submit=False):
    day = min(day, today - datetime.timedelta(days=1))
    unit = row.unit.short_name
    fields = {"reported_on": day}
    if status == Assignment.Status.DONE:
        fields.update(text=DONE_TEXT.format(unit=unit), links=[LINK], completed_on=day)
    elif status == Assignment.Status.NOT_APPLICABLE:
        fields.update(text="", na_reason="本单位无此项职能，不涉及。")
    else:
        fields.update(text=PROGRESS_TEXT.format(unit=unit))
    if submit:
        return progress_submit(assignment=row, author=author, status=status, **fields)
    return progress_record(assignment=row, author=author, status=status, **fields)


def _random_history(rows, *, admin, today: datetime.date, seed: int) -> None:
    rng = random.Random(seed)
    for row in rows:
        roll = rng.random()
        due = row.due_date
        if due is not None and due < today:
            if roll < 0.65:
                _report(row, author=admin, status=Assignment.Status.DONE, day=due - datetime.timedelta(days=rng.randint(0, 10)),
                        today=today)
            elif roll < 0.75 and row.via_group_id:
                _report(row, author=admin, status=Assignment.Status.NOT_APPLICABLE, day=due - datetime.timedelta(days=15),
                        today=today)
            elif roll < 0.85:
                _report(row, author=admin, status=Assignment.Status.IN_PROGRESS,
                        day=due - datetime.timedelta(days=rng.randint(5, 20)), today=today)
        elif roll < 0.2:
            _report(row, author=admin, status=Assignment.Status.IN_PROGRESS,
                    day=today - datetime.timedelta(days=rng.randint(1, 20)), today=today)
        elif roll < 0.28:
            _report(row, author=admin, status=Assignment.Status.DONE,
                    day=today - datetime.timedelta(days=rng.randint(1, 20)), today=today)


# The demo liaisons' rows, item number → (status, days before today it was reported; None: not started).
# 区教育局 (jiaoyu): due in 2 (not started) and 6 days (in progress), overdue by 3 working days, a done-claim
# awaiting review, 不涉及; 东街街道 (dongjie): a returned done-claim, due in 2 and 6 days, overdue; 区发改局
# (fagai): items 7 and 8 overdue and chased by the office.
SCRIPT = {
    "jiaoyu": {1: ("done", 80), 2: ("done", 62), 3: ("done", 46), 4: ("done", 31), 5: ("done", 22),
               6: ("not_applicable", 20), 7: ("in_progress", 12), 8: ("claim", 2), 9: (None, 0),
               10: ("in_progress", 4), 12: ("in_progress", 6)},
    "dongjie": {3: ("done", 47), 4: ("in_progress", 35), 5: ("returned", 23), 9: ("in_progress", 3), 10: (None, 0)},
    "fagai": {1: ("done", 76), 2: ("done", 61), 3: ("done", 45), 4: ("done", 30), 6: ("done", 15), 7: (None, 0),
              8: ("in_progress", 25)},
}
CHASED_ITEMS = (7, 8)
CHASE_MESSAGE = "以上事项已超过完成时限，请于3个工作日内报送落实情况及佐证材料。"
RETURN_REASON = "佐证材料不全：请补充政府网站发布页面的链接和发布日期。"


def _scripted(notice: Notice, *, admin, today: datetime.date) -> None:
    from workflow.chasing import chase_create
    from workflow.review import review_return

    for username, plan in SCRIPT.items():
        liaison = User.objects.get(username=username)
        rows = {r.item_number: r for r in notice.assignments.filter(unit=liaison.unit).select_related("unit")}
        for number, (state, days_ago) in plan.items():
            row = rows.get(number)
            if row is None or state is None:
                continue
            day = today - datetime.timedelta(days=days_ago)
            if state in ("claim", "returned"):
                report = _report(row, author=liaison, status=Assignment.Status.DONE, day=day, today=today, submit=True)
                if state == "returned":
                    review_return(report=report, reviewer=admin, reason=RETURN_REASON)
            else:
                _report(row, author=liaison, status=state, day=day, today=today)
    fagai = User.objects.get(username="fagai")
    late = list(notice.assignments.filter(unit=fagai.unit, item_number__in=CHASED_ITEMS).order_by("item_number"))
    if late:
        chase_create(assignments=late, author=admin, today=today, message=CHASE_MESSAGE)


def load_live_table(*, fixtures, government: Government, admin, today: datetime.date,
                    calendar: WorkCalendar | None = None) -> tuple[Notice, bool]:
    """The live table of ``today``'s year for ``government`` (鼓楼), with its states; (notice, created).
    Loaded once per year: a table of this year already there is left as it is."""
    existing = Notice.objects.filter(doc_number=live_doc_number(today.year)).first()
    if existing is not None:
        return existing, False
    calendar = calendar or WorkCalendar()
    parsed, meta = live_parsed(fixtures, today, calendar)
    notice = notice_import(parsed=parsed, government=government, meta=meta, created_by=admin)
    demo_units = User.objects.filter(username__in=SCRIPT).values("unit_id")
    others = (notice.assignments.exclude(unit_id__in=demo_units).select_related("unit")
              .order_by("item_number", "unit_sort_order", "id"))
    _random_history(others, admin=admin, today=today, seed=today.toordinal())
    _scripted(notice, admin=admin, today=today)
    return notice, True
