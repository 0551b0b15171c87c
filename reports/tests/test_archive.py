"""年度归档: an office closes a work year (reminders, chases and to-do lists drop its rows, progress on them is
refused, its pages say 已归档), lists and exports its unfinished rows, carries them into the next year in one
step, and reopens it, each step in the audit trail."""
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from conftest import make_item, make_notice, make_unit, make_user
from reports.views import archive as archive_views
from tasks.archive import year_close, year_reopen
from tasks.models import Assignment, ClosedYear, Item, ProgressReport
from units.models import Government
from workflow.calendar import days_overdue, overdue_text
from workflow.reminders import reminders_send

TODAY = datetime.date(2026, 11, 23)  # a Monday


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    from reports.views import summary
    from tasks.views import assignments, home, ledger

    for module in (archive_views, assignments, ledger, summary):
        monkeypatch.setattr(module, "today", lambda: TODAY)
    monkeypatch.setattr(home, "get_today", lambda: TODAY)


@pytest.fixture
def years(unit_a, unit_b, alice, charlie):
    """2025: item 1 overdue for both units (区发改局 reported once), item 2 done; 2026: item 1 overdue."""
    old = make_notice(doc_number="测政办〔2025〕3号", year=2025)
    o1 = make_item(old, 1, lead=["区发改局"], responsible=["区教育局"], deadline=datetime.date(2025, 10, 31),
                   deadline_text="10月底前", title="公开重大建设项目批准信息")
    o2 = make_item(old, 2, responsible=["区教育局"], deadline=datetime.date(2025, 6, 30), deadline_text="6月底前")
    from tasks.services import progress_record
    progress_record(assignment=Assignment.objects.get(item=o2), author=None, text="已完成。", status="done",
                    reported_on=datetime.date(2025, 6, 1))
    progress_record(assignment=Assignment.objects.get(item=o1, unit=unit_a), author=None, text="正在推进。",
                    status="in_progress", reported_on=datetime.date(2025, 9, 1))
    new = make_notice(doc_number="测政办〔2026〕4号", year=2026)
    n1 = make_item(new, 1, responsible=["区发改局"], deadline=datetime.date(2026, 11, 18), deadline_text="11月18日前")
    alice.email = "alice@example.gov.cn"
    alice.save()
    return {"old": old, "o1": o1, "o2": o2, "new": new, "n1": n1}


def test_anonymous_units_and_wrong_methods_are_kept_out(client, alice, years):
    index = reverse("reports:archive")
    assert client.get(index).status_code == 302
    client.force_login(alice)
    assert client.get(index).status_code == 403
    assert client.get(reverse("reports:archive-year", args=[2025])).status_code == 403
    assert client.post(reverse("reports:archive-close", args=[2025])).status_code == 403
    assert client.get(reverse("reports:archive-export", args=[2025])).status_code == 403
    assert not ClosedYear.objects.exists()
    assert client.get(reverse("reports:archive-close", args=[2025])).status_code == 405


def test_the_office_closes_a_year_and_every_page_of_it_says_so(client, office, alice, years):
    client.force_login(office)
    page = client.get(reverse("reports:archive")).content.decode()
    assert "2025年度" in page and "未归档" in page and "归档2025年度" in page
    assert "年度尚未结束，2027年起可以归档" in page  # 2026 cannot be closed yet
    assert "未完成 <strong>2</strong> 行（其中已逾期 2 行）" in page
    response = client.post(reverse("reports:archive-close", args=[2025]), {"note": "年度报告已公布"}, follow=True)
    page = response.content.decode()
    assert "已归档2025年度" in page and "重新开放2025年度" in page and "年度报告已公布" in page
    closed = ClosedYear.objects.get()
    assert (closed.government, closed.year, closed.closed_by) == (office.government, 2025, office)
    event = AuditEvent.objects.get(object_type="tasks.closedyear", action=AuditEvent.Action.STATE)
    assert event.actor == office and "2025年度" in event.object_label

    summary = client.get(reverse("reports:summary"), {"year": 2025}).content.decode()
    assert "2025年政务公开工作主要任务落实情况汇总" in summary and ">已归档</span>" in summary
    assert "2025年（已归档）" in summary
    assert ">已归档</span>" not in client.get(reverse("reports:summary"), {"year": 2026}).content.decode()
    ledger = client.get(reverse("tasks:ledger"), {"year": 2025}).content.decode()
    assert "2025年（已归档）" in ledger and ">已归档</span>" in ledger
    notice = client.get(years["old"].get_absolute_url()).content.decode()
    assert ">已归档</span>" in notice
    assert ">已归档</span>" not in client.get(years["new"].get_absolute_url()).content.decode()
    home = client.get(reverse("home"), {"year": 2025}).content.decode()
    assert "2025年（已归档）" in home and ">已归档</span>" in home


def test_a_closed_year_is_not_reminded_chased_or_on_the_to_do_list(client, office, alice, years):
    year_close(government=office.government, year=2025, user=office, today=TODAY)
    run = reminders_send(day=TODAY)
    reminded = set(Assignment.objects.filter(notifications__isnull=False).values_list("year", flat=True))
    assert run.overdue == 1 and reminded == {2026}
    client.force_login(alice)
    home = client.get(reverse("home")).content.decode()
    assert "本单位已逾期（1）" in home and "公开重大建设项目批准信息" not in home
    todo = client.get(reverse("tasks:my-ledger"), {"overdue": "on", "todo": "on"}).content.decode()
    assert "第1项工作要求" in todo and "公开重大建设项目批准信息" not in todo
    client.force_login(office)
    row = Assignment.objects.get(item=years["o1"], unit__short_name="区发改局")
    response = client.post(reverse("workflow:chase-create"), {"assignments": [row.pk], "message": "请尽快报送。"})
    assert "所属年度已归档" in response.content.decode()

    year_reopen(government=office.government, year=2025, user=office)
    run = reminders_send(day=TODAY + datetime.timedelta(days=1))
    assert run.overdue == 3  # reminded again: both units of 2025 and the 2026 row


def test_progress_on_a_closed_year_is_refused_in_chinese_even_for_the_office(client, office, alice, years):
    year_close(government=office.government, year=2025, user=office, today=TODAY)
    row = Assignment.objects.get(item=years["o1"], unit=alice.unit)
    for user in (alice, office):
        client.force_login(user)
        detail = client.get(row.get_absolute_url()).content.decode()
        assert "2025年度已归档，不能再报送落实情况" in detail and 'id="progress"' not in detail
        response = client.post(reverse("tasks:progress-create", args=[row.pk]),
                               {"version": row.version, "status": "done", "text": "补报", "reported_on": "2026-11-23"})
        assert response.status_code == 400
        assert "2025年度已归档，不能再报送或审核该年度的落实情况" in response.content.decode()
    assert ProgressReport.objects.filter(assignment=row).count() == 1
    row.refresh_from_db()
    assert row.status == "in_progress"


def test_closing_the_current_year_twice_or_anothers_is_refused(client, office, alice, years):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError, match="2026年度尚未结束"):
        year_close(government=office.government, year=2026, user=office, today=TODAY)
    year_close(government=office.government, year=2025, user=office, today=TODAY)
    client.force_login(office)
    page = client.post(reverse("reports:archive-close", args=[2025]), follow=True).content.decode()
    assert "2025年度已于" in page and ClosedYear.objects.count() == 1
    with pytest.raises(PermissionDenied):
        year_close(government=office.government, year=2024, user=alice, today=TODAY)
    other = Government.objects.create(name="另一区人民政府", short_name="另一区")
    with pytest.raises(PermissionDenied):
        year_close(government=other, year=2025, user=office, today=TODAY)
    # Another government's office closes its own 2025: ours is untouched.
    other_office = make_user("other", unit=make_unit("另一区政府办", "区政府办", government=other), role="office_admin")
    client.force_login(other_office)
    client.post(reverse("reports:archive-close", args=[2025]))
    assert set(ClosedYear.objects.values_list("government__short_name", flat=True)) == {"测试区", "另一区"}


def test_reopening_is_recorded_in_the_audit_trail(client, office, years):
    client.force_login(office)
    client.post(reverse("reports:archive-close", args=[2025]))
    page = client.post(reverse("reports:archive-reopen", args=[2025]), follow=True).content.decode()
    assert "已重新开放2025年度" in page and not ClosedYear.objects.exists()
    deleted = AuditEvent.objects.get(object_type="tasks.closedyear", action=AuditEvent.Action.DELETE)
    assert deleted.actor == office and deleted.changes  # who closed it, when, why: kept in the trail
    page = client.post(reverse("reports:archive-reopen", args=[2025]), follow=True).content.decode()
    assert "2025年度未归档，无需重新开放" in page


def test_the_year_page_reads_a_fixed_number_of_queries(client, office, years, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(office)
    url = reverse("reports:archive-year", args=[2025])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3, 9):
        make_unit(f"测试单位{n}", f"单位{n}")
        make_item(years["old"], n, responsible=[f"单位{n}"], deadline=datetime.date(2025, 12, 31))
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "单位8" in page


def test_the_unfinished_rows_are_listed_exported_and_carried_in_one_step(client, office, years):
    client.force_login(office)
    client.post(reverse("reports:archive-close", args=[2025]))
    url = reverse("reports:archive-year", args=[2025])
    page = client.get(url).content.decode()
    assert "2025年度未完成事项（回头看）" in page and ">已归档</span>" in page
    assert page.count("公开重大建设项目批准信息") == 2  # both units' rows; item 2 is done
    late = overdue_text(days_overdue(datetime.date(2025, 10, 31), TODAY))  # the one rule, in working days
    assert late in page and "将1项转入2026年" in page

    export = client.get(reverse("reports:archive-export", args=[2025]))
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert "2025年度未完成事项清单（已归档）" in sheet["A1"].value
    assert [sheet.cell(row=r, column=4).value for r in (3, 4)] == ["区发改局", "区教育局"]
    assert sheet.cell(row=3, column=9).value == late
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, object_type="reports.archive").exists()

    response = client.post(reverse("reports:archive-carry", args=[2025]),
                           {"to_notice": years["new"].pk, "deadline": "2026-12-31"}, follow=True)
    assert "已将2025年1项未完成事项转入测政办〔2026〕4号" in response.content.decode()
    carried = Item.objects.get(origin=years["o1"])
    assert carried.notice == years["new"] and carried.assignments.count() == 2
    page = client.get(url).content.decode()
    assert "都已转入以后年度整改" in page
    assert page.count(f"已转入测政办〔2026〕4号第{carried.number}项") == 2  # on both units' rows


def test_carrying_without_a_target_says_what_to_fill_in(client, office, years):
    client.force_login(office)
    response = client.post(reverse("reports:archive-carry", args=[2025]), {"to_notice": "", "new_doc_number": ""})
    assert response.status_code == 400 and "请填写新通知的文号" in response.content.decode()
    assert not Item.objects.filter(origin__isnull=False).exists()
