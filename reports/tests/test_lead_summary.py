"""The lead unit's summary page of an item: access, draft, saving, bad input, stale edits."""
import pytest
from django.urls import reverse

from conftest import make_user
from reports.models import LeadSummary
from reports.services import lead_summary_draft, lead_summary_save
from reports.tests.summary_data import TODAY, build_year, freeze_views_today


@pytest.fixture
def year(unit_a, unit_b, street, monkeypatch):
    freeze_views_today(monkeypatch)
    return build_year(unit_a, unit_b, street)


def url(item):
    return reverse("reports:lead-summary", args=[item.pk])


def test_anonymous_is_sent_to_login(client, year):
    response = client.get(url(year["item1"]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_responsible_unit_that_does_not_lead_gets_404(client, charlie, year):
    client.force_login(charlie)
    assert client.get(url(year["item1"])).status_code == 404
    assert client.post(url(year["item1"]), {"text": "越权汇总"}).status_code == 404
    assert not LeadSummary.objects.exists()


def test_another_units_item_is_404(client, alice, year):
    client.force_login(alice)
    assert client.get(url(year["item2"])).status_code == 404  # 区教育局 only


def test_lead_liaison_sees_units_side_by_side_with_not_reported_marked(client, alice, unit_a, year):
    from conftest import make_item
    item = make_item(year["notice"], 9, lead=["区发改局"], responsible=["区教育局", "东街街道"])
    client.force_login(alice)
    html = client.get(url(item)).content.decode()
    assert html.count('class="text-danger mb-0">未报送') == 3
    html = client.get(url(year["item1"])).content.decode()
    assert "教育局已公开招生政策。" in html and "发改局已公开营商环境政策12条。" in html
    assert "已报送 2/2" in html and "从各单位报送生成草稿" in html


def test_draft_is_assembled_in_unit_order_and_not_saved(client, alice, year):
    client.force_login(alice)
    html = client.get(url(year["item1"]), {"draft": 1}).content.decode()
    assert "区发改局：发改局已公开营商环境政策12条。\n区教育局：教育局已公开招生政策。" in html
    assert "草稿尚未保存" in html
    assert not LeadSummary.objects.exists()


def test_draft_marks_units_that_never_reported(office, year):
    assert lead_summary_draft(item=year["item3"], user=office).split("\n") == [
        "区发改局：发改局平台已整改。", "区教育局：未报送", "东街街道：不涉及：本街道无平台"]


def test_lead_liaison_saves_and_the_summary_shows(client, alice, year):
    client.force_login(alice)
    response = client.post(url(year["item1"]), {"text": "  两个单位均已按要求公开。 ", "version": 0}, follow=True)
    html = response.content.decode()
    assert "第1项的落实情况汇总已保存" in html
    summary = LeadSummary.objects.get(item=year["item1"])
    assert (summary.text, summary.author, summary.unit.short_name, summary.written_on) == (
        "两个单位均已按要求公开。", alice, "区发改局", TODAY)
    assert "王丽（区发改局）" in html


def test_read_only_user_of_the_lead_unit_gets_403_on_save(client, bob, year):
    client.force_login(bob)
    html = client.get(url(year["item1"])).content.decode()
    assert "保存汇总" not in html
    assert client.post(url(year["item1"]), {"text": "只读用户"}).status_code == 403
    assert not LeadSummary.objects.exists()


def test_leader_reads_but_cannot_write(client, leader, year):
    client.force_login(leader)
    assert client.get(url(year["item1"])).status_code == 200
    assert client.post(url(year["item1"]), {"text": "领导"}).status_code == 403


def test_empty_text_is_refused_in_chinese_and_nothing_saved(client, alice, year):
    client.force_login(alice)
    html = client.post(url(year["item1"]), {"text": "   ", "version": 0}).content.decode()
    assert "请填写落实情况汇总。" in html
    assert not LeadSummary.objects.exists()


def test_a_stale_edit_is_refused(client, alice, office, year):
    lead_summary_save(item=year["item1"], user=office, text="公开办先写的", today=TODAY)
    client.force_login(alice)
    html = client.post(url(year["item1"]), {"text": "联络员后写的", "version": 0}).content.decode()
    assert "已被其他人修改" in html
    assert LeadSummary.objects.get().text == "公开办先写的"


def test_a_first_summary_written_meanwhile_is_not_overwritten(alice, office, year, monkeypatch):
    from django.core.exceptions import ValidationError
    lead_summary_save(item=year["item1"], user=office, text="公开办同时写的", today=TODAY)

    class NotYetVisible:  # the other transaction's insert was not committed when this one looked
        def filter(self, **kwargs):
            return self

        def first(self):
            return None

    monkeypatch.setattr(LeadSummary.objects, "select_for_update", lambda: NotYetVisible())
    with pytest.raises(ValidationError, match="该汇总刚被其他人填写"):
        lead_summary_save(item=year["item1"], user=alice, text="联络员写的", today=TODAY, expected_version=0)
    assert list(LeadSummary.objects.values_list("text", flat=True)) == ["公开办同时写的"]


def test_the_service_refuses_liaisons_of_units_that_do_not_lead(charlie, year):
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        lead_summary_save(item=year["item1"], user=charlie, text="x", today=TODAY)
    viewer_without_unit = make_user("viewer2", unit=None, role="viewer")
    with pytest.raises(PermissionDenied):
        lead_summary_save(item=year["item1"], user=viewer_without_unit, text="x", today=TODAY)


def test_wrong_method_is_not_allowed(client, alice, year):
    client.force_login(alice)
    assert client.put(url(year["item1"])).status_code == 405
    assert client.post(reverse("reports:lead-items")).status_code == 405


def test_the_item_page_links_to_the_lead_summary_for_the_lead_unit_only(client, alice, charlie, year):
    link = url(year["item1"])
    client.force_login(alice)
    assert link in client.get(reverse("tasks:item-detail", args=[year["item1"].pk])).content.decode()
    client.force_login(charlie)
    assert link not in client.get(reverse("tasks:item-detail", args=[year["item1"].pk])).content.decode()


def test_lead_items_query_count_does_not_grow(client, office, year, django_assert_max_num_queries):
    from conftest import make_item
    for n in range(5, 25):
        make_item(year["notice"], n, lead=["区发改局"], responsible=["区教育局", "东街街道"])
    client.force_login(office)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("reports:lead-items"), {"year": 2026}).content.decode()
    assert html.count("填写汇总") == 21
