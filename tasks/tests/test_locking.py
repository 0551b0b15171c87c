"""Optimistic locking: of two people editing the same notice, item or ledger row, the second save is refused."""
import threading
import time

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from conftest import make_user
from core.locking import take_row
from tasks.forms import ItemForm
from tasks.models import Assignment, Item, Notice, ProgressReport

STALE_ITEM = "该事项已被其他人修改，您的修改未保存。请刷新页面查看最新内容后重新编辑。"


@pytest.fixture
def office2(office):
    return make_user("office2", unit=office.unit, role="office_admin", display_name="周公开", is_staff=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def item_data(item, unit_a, requirement, version):
    return {"version": version, "number": item.number, "requirement": requirement, "deadline": "2026-10-31",
            "deadline_text": "10月底前", "lead_units": [f"u:{unit_a.pk}"]}


def hidden_version(html: str) -> str:
    return html.split('name="version" value="', 1)[1].split('"', 1)[0]


def test_two_people_edit_the_same_item_and_the_second_is_refused(office, office2, ledger, unit_a):
    item = ledger["item1"]
    first, second = signed_in(office), signed_in(office2)
    url = reverse("tasks:item-edit", args=[item.pk])
    seen = hidden_version(first.get(url).content.decode())
    assert hidden_version(second.get(url).content.decode()) == seen == "1"

    assert first.post(url, item_data(item, unit_a, "第一人的修改。", seen)).status_code == 302
    response = second.post(url, item_data(item, unit_a, "第二人的修改。", seen))

    assert response.status_code == 409
    html = response.content.decode()
    assert STALE_ITEM in html
    assert "第二人的修改。" in html  # what they typed is still on the page to copy
    assert hidden_version(html) == "1"  # resubmitting the same page is refused again
    item.refresh_from_db()
    assert (item.requirement, item.version) == ("第一人的修改。", 2)
    assert second.post(url, item_data(item, unit_a, "第二人的修改。", "1")).status_code == 409
    # After reloading, the second person can save over the new version.
    assert hidden_version(second.get(url).content.decode()) == "2"
    assert second.post(url, item_data(item, unit_a, "第二人重新修改。", "2")).status_code == 302
    item.refresh_from_db()
    assert (item.requirement, item.version) == ("第二人重新修改。", 3)


def test_a_save_landing_between_read_and_write_is_caught_by_the_conditional_update(
        client, office, ledger, unit_a, monkeypatch):
    """The page's version equals the one this request read, yet someone saved in between: refused."""
    item = ledger["item1"]
    real_is_valid = ItemForm.is_valid

    def is_valid_while_someone_else_saves(form):
        Item.objects.filter(pk=item.pk).update(requirement="别人刚保存的内容。", version=F("version") + 1)
        return real_is_valid(form)

    monkeypatch.setattr(ItemForm, "is_valid", is_valid_while_someone_else_saves)
    client.force_login(office)
    response = client.post(reverse("tasks:item-edit", args=[item.pk]), item_data(item, unit_a, "我的修改。", "1"))
    assert response.status_code == 409 and STALE_ITEM in response.content.decode()
    item.refresh_from_db()
    assert (item.requirement, item.version) == ("别人刚保存的内容。", 2)


def notice_data(notice, title, version):
    return {"version": version, "doc_number": notice.doc_number, "title": title, "work_year": notice.work_year,
            "issuer": notice.issuer}


def test_two_people_edit_the_same_notice_and_the_second_is_refused(office, office2, notice):
    first, second = signed_in(office), signed_in(office2)
    url = reverse("tasks:notice-edit", args=[notice.pk])
    seen = hidden_version(first.get(url).content.decode())
    assert first.post(url, notice_data(notice, "第一人改的标题", seen)).status_code == 302
    response = second.post(url, notice_data(notice, "第二人改的标题", seen))
    assert response.status_code == 409
    assert "该通知已被其他人修改，您的修改未保存。" in response.content.decode()
    notice.refresh_from_db()
    assert (notice.title, notice.version) == ("第一人改的标题", 2)


def test_two_liaisons_record_progress_on_the_same_row_and_the_second_is_refused(alice, unit_a, ledger):
    row = ledger["item1"].assignments.get(unit=unit_a)
    colleague = make_user("alice2", unit=unit_a, role="liaison", display_name="王丽二")
    first, second = signed_in(alice), signed_in(colleague)
    seen = hidden_version(first.get(row.get_absolute_url()).content.decode())
    url = reverse("tasks:progress-create", args=[row.pk])
    payload = {"status": "done", "text": "已公开。", "reported_on": "2026-11-20", "version": seen}
    assert first.post(url, payload).status_code == 302
    response = second.post(url, {**payload, "status": "in_progress", "text": "第二人的填报。"})
    assert response.status_code == 409
    assert "该台账行已被其他人更新，本次填报未保存。" in response.content.decode()
    row.refresh_from_db()
    assert row.status == Assignment.Status.PENDING_REVIEW and row.version == 2  # done-claims wait for review
    assert list(ProgressReport.objects.values_list("text", flat=True)) == ["已公开。"]


def test_take_row_matches_only_the_current_version(notice):
    assert take_row(notice, 1)
    Notice.objects.filter(pk=notice.pk).update(version=2)
    assert not take_row(notice, 1)
    assert not take_row(notice, None)
    assert take_row(notice, 2)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL only")
def test_simultaneous_saves_of_one_version_cannot_both_pass(notice):
    """Two transactions read version 1 at once; the second waits on the first's row lock, then loses."""
    results, ready = {}, threading.Barrier(2)

    def save(name, pause):
        try:
            with transaction.atomic():
                row = Notice.objects.get(pk=notice.pk)
                ready.wait()
                time.sleep(pause)
                won = take_row(row, 1)
                if won:
                    row.title, row.version = f"{name}的标题", 2
                    row.save()
                    time.sleep(0.3)  # hold the lock while the other tries
                results[name] = won
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=("甲", 0)), threading.Thread(target=save, args=("乙", 0.1))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"甲": True, "乙": False}
    notice.refresh_from_db()
    assert (notice.title, notice.version) == ("甲的标题", 2)


# --- a POST without its version never overwrites (issue 16) -------------------------------------------

MISSING = "页面缺少版本信息，您的修改未保存。请刷新页面后重新编辑。"


def test_an_item_post_without_its_version_does_not_overwrite(office, ledger, unit_a):
    item = ledger["item1"]
    client = signed_in(office)
    data = item_data(item, unit_a, "没有版本号的修改。", "")
    del data["version"]
    response = client.post(reverse("tasks:item-edit", args=[item.pk]), data)
    assert response.status_code == 409 and MISSING in response.content.decode()
    item.refresh_from_db()
    assert item.requirement != "没有版本号的修改。" and item.version == 1


def test_a_notice_post_without_its_version_does_not_overwrite(office, notice):
    client = signed_in(office)
    response = client.post(reverse("tasks:notice-edit", args=[notice.pk]), {
        "doc_number": notice.doc_number, "title": "没有版本号的标题", "issuer": notice.issuer, "work_year": 2026})
    assert response.status_code == 409 and MISSING in response.content.decode()
    notice.refresh_from_db()
    assert notice.title != "没有版本号的标题"


def test_progress_without_the_rows_version_is_not_recorded(alice, ledger, unit_a):
    row = ledger["item1"].assignments.get(unit=unit_a)
    response = signed_in(alice).post(reverse("tasks:progress-create", args=[row.pk]), {
        "status": "done", "text": "没有版本号的报送。", "reported_on": "2026-11-20"})
    assert response.status_code == 409 and MISSING in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_lead_summary_post_without_its_version_does_not_overwrite(alice, office, ledger):
    from reports.models import LeadSummary
    from reports.services import lead_summary_save
    from reports.tests.summary_data import TODAY

    item = ledger["item1"]
    lead_summary_save(item=item, user=office, text="公开办写的汇总。", today=TODAY)
    response = signed_in(alice).post(reverse("reports:lead-summary", args=[item.pk]), {"text": "覆盖的汇总。"})
    assert MISSING in response.content.decode()
    assert LeadSummary.objects.get(item=item).text == "公开办写的汇总。"


def test_an_annual_report_post_without_its_version_does_not_overwrite(alice, unit_a):
    from reports.tests.test_annual_views import form_data, make_report

    report = make_report(unit_a)
    data = form_data(report, overview="没有版本号的总体情况。")
    del data["version"]
    response = signed_in(alice).post(reverse("reports:annual-edit", args=[report.pk]), data)
    assert MISSING in response.content.decode()
    report.refresh_from_db()
    assert report.overview != "没有版本号的总体情况。"


def test_every_edited_row_carries_the_one_locking_pair(notice):
    """Notices, items, ledger rows, applications and report texts share one definition (core.locking.Versioned):
    a new row starts at version 1 with its time stamped, and take_row moves on the stored number."""
    from core.locking import Versioned
    from disclosure.models import Application
    from reports.models import AnnualReport, LeadSummary

    for model in (Notice, Item, Assignment, Application, AnnualReport, LeadSummary):
        assert issubclass(model, Versioned), model
        version = model._meta.get_field("version")
        assert (version.verbose_name, version.default) == ("版本", 1)
    assert (notice.version, notice.updated_at is not None) == (1, True)
    with transaction.atomic():
        assert take_row(notice, 1)
        Notice.objects.filter(pk=notice.pk).update(version=F("version") + 1)
    notice.refresh_from_db()
    assert notice.version == 2
    with transaction.atomic():
        assert not take_row(notice, 1)
