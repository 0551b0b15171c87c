"""Hand-built year for the summary tests, with answers known in advance.

Notice 测政办〔2026〕1号 (2026), units in fixed order 区发改局 (10), 区教育局 (20), 东街街道 (100):

一、加强涉及市场主体的信息公开
  1. lead 区发改局, responsible 区教育局, 时限 2026-06-30
       区发改局 done 2026-06-20 (on time); 区教育局 done 2026-07-10 (late)    → item 已完成 2026-07-10, late
  2. responsible 区教育局, 时限 2026-12-31
       区教育局 in progress (reported)                                        → item 推进中
二、推进政务公开平台规范化
  3. responsible 区发改局, 区教育局, 东街街道, 时限 2026-09-30
       区发改局 done 2026-09-01; 东街街道 不涉及; 区教育局 never reported      → item 已逾期
  4. responsible 东街街道, 持续推进
       东街街道 not applicable                                                → item 不涉及

TODAY = 2026-11-23. Assignment dates are forced to 2026-03-01 (created_at) so day counts are exact.
"""
import datetime

from django.utils import timezone

from conftest import make_item, make_notice
from tasks.models import Assignment, Section
from tasks.services import progress_record
from workflow.calendar import seed_from_package
from workflow.models import CalendarDay, CalendarYear

TODAY = datetime.date(2026, 11, 23)
ASSIGNED = datetime.date(2026, 3, 1)


def report(item, unit, *, text, status, on, completed_on=None, na_reason="", author=None):
    row = Assignment.objects.get(item=item, unit=unit)
    return progress_record(assignment=row, author=author, text=text, status=status, reported_on=on,
                           na_reason=na_reason, completed_on=completed_on)


def holidays_2026():
    """The 2026 holiday arrangement the hand-worked answers count working days by (the data migration's): put in
    afresh so the answers never depend on what the database holds of the calendar when the test starts."""
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    seed_from_package(CalendarDay, CalendarYear, years=[2026])


def build_year(unit_a, unit_b, street, *, notice=None):
    holidays_2026()
    notice = notice or make_notice(doc_number="测政办〔2026〕1号", year=2026)
    one = Section.objects.create(notice=notice, number="一", title="加强涉及市场主体的信息公开", position=1)
    two = Section.objects.create(notice=notice, number="二", title="推进政务公开平台规范化", position=2)
    item1 = make_item(notice, 1, lead=["区发改局"], responsible=["区教育局"], section=one,
                      deadline=datetime.date(2026, 6, 30), deadline_text="6月底前", title="公开营商环境政策")
    item2 = make_item(notice, 2, responsible=["区教育局"], section=one, deadline=datetime.date(2026, 12, 31),
                      deadline_text="年底前")
    item3 = make_item(notice, 3, responsible=["区发改局", "区教育局", "东街街道"], section=two,
                      deadline=datetime.date(2026, 9, 30), deadline_text="9月底前")
    item4 = make_item(notice, 4, responsible=["东街街道"], section=two, deadline_text="持续推进")
    Assignment.objects.filter(notice=notice).update(
        created_at=timezone.make_aware(datetime.datetime.combine(ASSIGNED, datetime.time(9))))
    report(item1, unit_a, text="发改局已公开营商环境政策12条。", status="done", on=datetime.date(2026, 6, 20),
           completed_on=datetime.date(2026, 6, 20))
    report(item1, unit_b, text="教育局第一次报送。", status="in_progress", on=datetime.date(2026, 6, 1))
    report(item1, unit_b, text="教育局已公开招生政策。", status="done", on=datetime.date(2026, 7, 10),
           completed_on=datetime.date(2026, 7, 10))
    report(item2, unit_b, text="教育局正在推进。", status="in_progress", on=datetime.date(2026, 10, 1))
    report(item3, unit_a, text="发改局平台已整改。", status="done", on=datetime.date(2026, 9, 1),
           completed_on=datetime.date(2026, 9, 1))
    report(item3, street, text="", status="not_applicable", on=datetime.date(2026, 5, 1), na_reason="本街道无平台")
    report(item4, street, text="", status="not_applicable", on=datetime.date(2026, 5, 1), na_reason="不涉及")
    return {"notice": notice, "item1": item1, "item2": item2, "item3": item3, "item4": item4,
            "section1": one, "section2": two}


def freeze_views_today(monkeypatch):
    """Make every summary view read TODAY (the views call core.http.today)."""
    from reports.views import annual_text, lead, lookback, stats, summary
    for module in (annual_text, lead, lookback, stats, summary):
        monkeypatch.setattr(module, "today", lambda: TODAY)
