"""Review: a done-claim waits for the office (or the item's lead unit), which accepts it or returns it."""
import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tasks.models import Assignment, ProgressReport
from workflow.calendar import seed_from_package
from workflow.models import CalendarDay, CalendarYear, Notification

D = datetime.date


@pytest.fixture(autouse=True)
def calendar_2026(db):
    """The 2026 arrangement as the data migration seeds it (a flush by a live-server test removes it)."""
    seed_from_package(CalendarDay, CalendarYear, years=[2026])



@pytest.fixture
def rows(ledger, unit_a, unit_b):
    item1 = ledger["item1"]  # led by unit A (alice), unit B (charlie) responsible
    return {"a1": item1.assignments.get(unit=unit_a), "b1": item1.assignments.get(unit=unit_b),
            "b2": ledger["item2"].assignments.get(unit=unit_b)}


def report_done(client, row, text="已在政府网站公开。", day="2026-11-20"):
    return client.post(reverse("tasks:progress-create", args=[row.pk]),
                       {"status": "done", "text": text, "reported_on": day, "completed_on": "2026-11-18",
                        "version": current_version(row)})


def current_version(row) -> int:
    """The version the row's page would show now (the form always sends it)."""
    return type(row).objects.get(pk=row.pk).version


def test_the_lead_unit_accepts_a_responsible_units_claim(client, alice, charlie, office, rows):
    client.force_login(charlie)
    response = report_done(client, rows["b1"])
    page = client.get(response.url).content.decode()
    assert "已提交审核，审核通过后计为已完成" in page
    assert "申报状态：已完成" in page and "报送后状态：已完成" not in page  # a claim, not yet the row's status
    rows["b1"].refresh_from_db()
    assert rows["b1"].status == Assignment.Status.PENDING_REVIEW and rows["b1"].completed_on is None
    asked = Notification.objects.filter(kind=Notification.Kind.REVIEW_REQUESTED)
    assert list(asked.values_list("recipient__username", flat=True)) == ["alice"]  # the lead unit, not the office

    client.force_login(alice)
    page = client.get(reverse("workflow:review-list")).content.decode()
    assert "区教育局" in page and "已在政府网站公开。" in page
    assert "有1项完成报送等待您审核" in client.get(reverse("home")).content.decode()
    report = rows["b1"].reports.get()
    response = client.post(reverse("workflow:report-accept", args=[report.pk]), follow=True)
    assert "已审核通过“区教育局”第1项，该项计为已完成。" in response.content.decode()
    rows["b1"].refresh_from_db()
    assert rows["b1"].status == Assignment.Status.DONE and rows["b1"].completed_on == D(2026, 11, 18)
    report.refresh_from_db()
    assert report.review_status == ProgressReport.Review.ACCEPTED and report.reviewed_by == alice
    assert Notification.objects.filter(kind=Notification.Kind.REVIEW_ACCEPTED, recipient=charlie).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVIEW_ACCEPT)
    assert event.actor == alice and event.changes["review_status"]["after"] == "已通过"
    client.force_login(charlie)
    assert "已通过" in client.get(rows["b1"].get_absolute_url()).content.decode()


def test_the_office_returns_a_claim_and_the_correction_keeps_both_versions(client, alice, office, rows):
    client.force_login(alice)
    report_done(client, rows["a1"], text="第一版：已公开。")
    assert Notification.objects.filter(kind=Notification.Kind.REVIEW_REQUESTED, recipient=office).exists()
    first = rows["a1"].reports.get()

    client.force_login(office)
    url = reverse("workflow:report-return", args=[first.pk])
    assert "退回理由" in client.get(url).content.decode()
    response = client.post(url, {"reason": "缺少政府网站公开链接，请补充。"}, follow=True)
    assert "已退回“区发改局”第1项" in response.content.decode()
    rows["a1"].refresh_from_db()
    assert rows["a1"].status == Assignment.Status.RETURNED
    assert rows["a1"].return_reason == "缺少政府网站公开链接，请补充。"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REVIEW_RETURN, actor=office).exists()

    client.force_login(alice)
    home = client.get(reverse("home")).content.decode()
    assert "被退回、需重新报送（1）" in home and "缺少政府网站公开链接，请补充。" in home
    assert "已退回" in client.get(reverse("tasks:my-ledger")).content.decode()
    assert Notification.objects.get(kind=Notification.Kind.REVIEW_RETURNED).recipient == alice

    report_done(client, rows["a1"], text="第二版：已公开，链接见佐证。")
    second = rows["a1"].reports.latest("id")
    assert second.corrects == first and second.review_status == ProgressReport.Review.PENDING
    rows["a1"].refresh_from_db()
    assert rows["a1"].status == Assignment.Status.PENDING_REVIEW and rows["a1"].return_reason == ""
    page = client.get(rows["a1"].get_absolute_url()).content.decode()
    assert "第一版：已公开。" in page and "第二版：已公开，链接见佐证。" in page
    assert "退回理由：缺少政府网站公开链接，请补充。" in page and "更正2026年11月20日的报送" in page


def test_a_new_report_while_waiting_supersedes_the_pending_one(client, charlie, rows):
    client.force_login(charlie)
    report_done(client, rows["b2"], text="先报的。")
    client.post(reverse("tasks:progress-create", args=[rows["b2"].pk]),
                {"status": "in_progress", "text": "还在推进。", "reported_on": "2026-11-21",
                 "version": current_version(rows["b2"])})
    first, second = rows["b2"].reports.order_by("id")
    assert first.review_status == ProgressReport.Review.SUPERSEDED and second.corrects == first
    rows["b2"].refresh_from_db()
    assert rows["b2"].status == Assignment.Status.IN_PROGRESS


def test_the_office_reporting_done_needs_no_review(client, office, rows):
    client.force_login(office)
    response = report_done(client, rows["b2"])
    rows["b2"].refresh_from_db()
    assert rows["b2"].status == Assignment.Status.DONE and rows["b2"].completed_on == D(2026, 11, 18)
    assert "报送后状态：已完成" in client.get(response.url).content.decode()
    assert not Notification.objects.exists()


@pytest.fixture
def pending(client, alice, charlie, rows):
    client.force_login(charlie)
    report_done(client, rows["b1"])
    client.force_login(alice)
    report_done(client, rows["a1"])
    client.logout()
    return {"b1": rows["b1"].reports.get(), "a1": rows["a1"].reports.get()}


def test_anonymous_is_sent_to_login(client, pending):
    for url in (reverse("workflow:review-list"), reverse("workflow:report-return", args=[pending["b1"].pk])):
        assert client.get(url).url.startswith(reverse("login"))
    assert client.post(reverse("workflow:report-accept", args=[pending["b1"].pk])).url.startswith(reverse("login"))


@pytest.mark.parametrize("who, key, code", [
    ("charlie", "a1", 404),  # unit B cannot see unit A's row
    ("charlie", "b1", 403),  # its own claim: sees it, cannot review it
    ("alice", "a1", 403),    # the lead unit's own row goes to the office
    ("bob", "b1", 403),      # read-only user of the lead unit
    ("leader", "b1", 403),   # sees everything, reviews nothing
])
def test_who_may_not_review(client, pending, request, who, key, code):
    client.force_login(request.getfixturevalue(who))
    report = pending[key]
    assert client.post(reverse("workflow:report-accept", args=[report.pk])).status_code == code
    assert client.post(reverse("workflow:report-return", args=[report.pk]), {"reason": "不行"}).status_code == code
    report.refresh_from_db()
    assert report.review_status == ProgressReport.Review.PENDING


def test_a_return_needs_a_reason_and_a_decision_is_final(client, office, pending):
    client.force_login(office)
    url = reverse("workflow:report-return", args=[pending["a1"].pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400 and "请填写退回理由。" in response.content.decode()
    pending["a1"].refresh_from_db()
    assert pending["a1"].review_status == ProgressReport.Review.PENDING
    client.post(reverse("workflow:report-accept", args=[pending["a1"].pk]))
    response = client.post(url, {"reason": "晚了"})
    assert response.status_code == 400 and "该报送已通过，无需再审核。" in response.content.decode()
    assert Assignment.objects.get(pk=pending["a1"].assignment_id).status == Assignment.Status.DONE
    assert client.get(reverse("workflow:report-accept", args=[pending["a1"].pk])).status_code == 405


def test_the_review_list_shows_what_each_reviewer_may_decide(client, office, alice, pending, unit_b, notice,
                                                             django_assert_max_num_queries):
    client.force_login(office)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("workflow:review-list")).content.decode()
    assert page.count("审核通过</button>") == 2
    client.force_login(alice)
    page = client.get(reverse("workflow:review-list")).content.decode()
    assert page.count("审核通过</button>") == 1 and "区教育局" in page


def test_pending_rows_are_neither_reminded_nor_chased(client, office, pending, rows):
    from workflow.chasing import chaseable
    from workflow.reminders import reminders_send

    assert not chaseable(Assignment.objects.filter(pk__in=[rows["a1"].pk, rows["b1"].pk])).exists()
    run = reminders_send(day=D(2026, 11, 23))
    assert run.sent == 0
