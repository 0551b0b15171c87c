"""Notices, sections and items in the browser: the table as issued, create and edit, bad input."""
import datetime

import pytest
from django.urls import reverse

from tasks.models import Assignment, Item, Notice
from units.models import UnitGroup


def test_anonymous_is_sent_to_login(client, notice):
    response = client.get(notice.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_office_sees_the_table_as_issued(client, office, ledger, notice):
    client.force_login(office)
    html = client.get(notice.get_absolute_url()).content.decode()
    assert "测政办〔2026〕1号" in html
    assert "第1项工作要求：做好相关信息公开。" in html and "第2项工作要求" in html
    assert "10月底前" in html and "年底前" in html
    assert "（共 2 项）" in html


def test_unit_sees_only_the_items_it_is_named_in(client, alice, ledger, notice):
    client.force_login(alice)
    html = client.get(notice.get_absolute_url()).content.decode()
    assert "第1项工作要求" in html
    assert "第2项工作要求" not in html
    assert "本单位涉及 1 项" in html


def test_unit_not_named_in_a_notice_gets_404(client, notice, street):
    from conftest import make_user

    client.force_login(make_user("street", unit=street))
    response = client.get(notice.get_absolute_url())
    assert response.status_code == 404
    assert "不属于您的单位" in response.content.decode()


def test_office_creates_a_notice(client, office):
    client.force_login(office)
    response = client.post(reverse("tasks:notice-create"), {
        "doc_number": "鼓政办〔2026〕 12 号", "title": "关于印发2026年政务公开工作主要任务分解表的通知",
        "issuer": "福州市鼓楼区人民政府办公室", "issue_date": "2026-03-01", "work_year": 2026,
        "report_back_date": "2026-10-28", "publicity": "主动公开", "cited_documents_text": "国办发〔2026〕8号"})
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert (notice.doc_number, notice.issuer_code, notice.doc_year, notice.doc_serial) == (
        "鼓政办〔2026〕12号", "鼓政办", 2026, 12)
    assert notice.cited_documents == ["国办发〔2026〕8号"]


@pytest.mark.parametrize("field,value,message", [
    ("doc_number", "二〇二六年第十二号", "文号格式不正确"),
    ("report_back_date", "2026-01-01", "报送截止日期不能早于成文日期。"),
    ("work_year", "1900", "工作年度应在2000年至2100年之间。"),
])
def test_bad_notice_input_is_refused(client, office, field, value, message):
    client.force_login(office)
    data = {"doc_number": "鼓政办〔2026〕12号", "title": "通知", "issue_date": "2026-03-01", "work_year": 2026,
            "publicity": "", field: value}
    response = client.post(reverse("tasks:notice-create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Notice.objects.exists()


def test_duplicate_doc_number_is_refused(client, office, notice):
    client.force_login(office)
    response = client.post(reverse("tasks:notice-create"), {
        "doc_number": notice.doc_number, "title": "另一份", "work_year": 2026, "publicity": ""})
    assert "已存在" in response.content.decode()
    assert Notice.objects.count() == 1


def test_liaison_cannot_create_or_edit(client, alice, ledger, notice):
    client.force_login(alice)
    refused = client.get(reverse("tasks:notice-create"))
    assert refused.status_code == 403
    assert "只有公开办管理员可以进行此操作。" in refused.content.decode()
    assert client.post(reverse("tasks:notice-edit", args=[notice.pk]), {"title": "x"}).status_code == 403
    assert client.post(reverse("tasks:item-edit", args=[ledger["item1"].pk]), {}).status_code == 403


def test_office_adds_an_item_with_a_group_phrase(client, office, notice, unit_a, unit_b):
    group = UnitGroup.objects.create(government=unit_a.government, phrase="区直各有关部门")
    group.members.set([unit_a, unit_b])
    client.force_login(office)
    response = client.post(reverse("tasks:item-create", args=[notice.pk]), {
        "number": 7, "requirement": "公开部门预决算。", "deadline_text": "9月底前",
        "lead_units": [f"u:{unit_a.pk}"], "responsible_units": [f"g:{group.pk}"]})
    assert response.status_code == 302
    item = Item.objects.get(number=7)
    assert item.deadline == datetime.date(2026, 9, 30)
    assert item.lead_units_text == ["区发改局"] and item.responsible_units_text == ["区直各有关部门"]
    rows = {a.unit.short_name: a.role for a in item.assignments.select_related("unit")}
    assert rows == {"区发改局": Assignment.Role.LEAD, "区教育局": Assignment.Role.RESPONSIBLE}


def test_a_unit_picked_twice_is_refused(client, office, notice, unit_a):
    client.force_login(office)
    response = client.post(reverse("tasks:item-create", args=[notice.pk]), {
        "number": 1, "requirement": "x", "deadline": "2026-10-31",
        "lead_units": [f"u:{unit_a.pk}"], "responsible_units": [f"u:{unit_a.pk}"]})
    assert "同一单位不能重复选择" in response.content.decode()
    assert not Item.objects.exists()


def test_an_item_needs_units_and_a_readable_deadline(client, office, notice):
    client.force_login(office)
    response = client.post(reverse("tasks:item-create", args=[notice.pk]), {
        "number": 1, "requirement": "x", "deadline_text": "看情况"})
    html = response.content.decode()
    assert "请至少选择一个牵头单位或责任单位。" in html
    assert not Item.objects.exists()


def test_item_page_lists_every_visible_units_status(client, alice, ledger):
    client.force_login(alice)
    html = client.get(ledger["item1"].get_absolute_url()).content.decode()
    assert "区发改局" in html and "区教育局" in html
    assert "未报送" in html


def test_stale_item_edit_is_refused(client, office, ledger, unit_a):
    item = ledger["item1"]
    client.force_login(office)
    response = client.post(reverse("tasks:item-edit", args=[item.pk]), {
        "version": item.version - 1 if item.version > 1 else 99, "number": 1, "requirement": "改",
        "deadline": "2026-10-31", "lead_units": [f"u:{unit_a.pk}"]})
    assert "已被其他人修改" in response.content.decode()
    item.refresh_from_db()
    assert item.requirement.startswith("第1项")
