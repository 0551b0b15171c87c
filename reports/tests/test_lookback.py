"""The look-back (回头看): last year's unfinished items become this year's rectification items."""
import datetime

import pytest
from django.urls import reverse

from conftest import make_item, make_notice
from reports.services import lookback_create
from reports.summary import summary_rows
from reports.tests.summary_data import TODAY, build_year, freeze_views_today, report
from tasks.models import Assignment, Item, Section


@pytest.fixture
def last_year(unit_a, unit_b, street, monkeypatch):
    """2025: items 1 (done), 2 (in progress), 3 (overdue), 4 (not applicable) — see summary_data."""
    freeze_views_today(monkeypatch)
    return build_year(unit_a, unit_b, street, notice=make_notice(doc_number="测政办〔2025〕3号", year=2025))


@pytest.fixture
def this_year(db):
    notice = make_notice(doc_number="测政办〔2026〕5号", year=2026)
    one = Section.objects.create(notice=notice, number="一", title="已有部分", position=1)
    make_item(notice, 1, responsible=["区发改局"], section=one, deadline=datetime.date(2026, 12, 31))
    make_item(notice, 2, responsible=["区发改局"], section=one, deadline=datetime.date(2026, 12, 31))
    return notice


URL = reverse("reports:lookback")


def box(item):
    """The item's checkbox on the look-back page."""
    return f'name="items" value="{item.pk}"'


def test_anonymous_and_units_are_kept_out(client, alice, last_year):
    assert client.get(URL).url.startswith(reverse("login"))
    client.force_login(alice)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"from_year": 2025, "items": [last_year["item2"].pk]}).status_code == 403
    assert not Item.objects.filter(origin__isnull=False).exists()


def test_the_page_lists_only_unfinished_items(client, office, last_year):
    client.force_login(office)
    html = client.get(URL, {"from_year": 2025}).content.decode()
    assert box(last_year["item2"]) in html and box(last_year["item3"]) in html
    assert box(last_year["item1"]) not in html and box(last_year["item4"]) not in html
    assert "区教育局" in html.split(box(last_year["item3"]))[1].split("</tr>")[0]


def test_end_to_end_into_an_existing_notice(client, office, last_year, this_year, unit_b):
    client.force_login(office)
    response = client.post(URL, {"from_year": 2025, "items": [last_year["item3"].pk, last_year["item2"].pk],
                                 "to_notice": this_year.pk, "deadline": "2026-12-31"}, follow=True)
    html = response.content.decode()
    assert "已在测政办〔2026〕5号“二、回头看整改”中新建2项整改事项（第3—4项）" in html
    created = list(Item.objects.filter(notice=this_year, origin__isnull=False).order_by("number"))
    assert [(i.number, i.origin_id, i.section.heading) for i in created] == [
        (3, last_year["item2"].pk, "二、回头看整改"), (4, last_year["item3"].pk, "二、回头看整改")]
    assert created[1].responsible_units_text == ["区发改局", "区教育局", "东街街道"]
    assert created[1].deadline == datetime.date(2026, 12, 31) and created[1].deadline_text == "年底前"
    units = list(Assignment.objects.filter(item=created[1]).order_by("unit_sort_order")
                 .values_list("unit__short_name", "status", "year"))
    assert units == [("区发改局", "not_started", 2026), ("区教育局", "not_started", 2026),
                     ("东街街道", "not_started", 2026)]
    # The summary of 2026 shows where the item came from.
    rows = [r for r in summary_rows(office, year=2026, today=TODAY) if r.kind == "item"]
    assert [r.origin_label for r in rows] == ["", "", "整改自2025年第2项", "整改自2025年第3项"]
    page = client.get(reverse("reports:summary"), {"year": 2026}).content.decode()
    assert "整改自2025年第3项" in page


def test_running_it_twice_creates_nothing_new(office, last_year, this_year):
    ids = [last_year["item2"].pk, last_year["item3"].pk]
    first = lookback_create(user=office, from_year=2025, item_ids=ids, today=TODAY, to_notice=this_year)
    second = lookback_create(user=office, from_year=2025, item_ids=ids, today=TODAY, to_notice=this_year)
    assert len(first.created) == 2 and second.created == [] and len(second.skipped) == 2
    assert Item.objects.filter(origin__isnull=False).count() == 2
    assert Section.objects.filter(notice=this_year, title="回头看整改").count() == 1


def test_carried_items_are_marked_on_the_page(client, office, last_year, this_year):
    lookback_create(user=office, from_year=2025, item_ids=[last_year["item2"].pk], today=TODAY, to_notice=this_year)
    client.force_login(office)
    html = client.get(URL, {"from_year": 2025}).content.decode()
    assert "已整改至2026年测政办〔2026〕5号第3项" in html
    assert box(last_year["item2"]) not in html


def test_into_a_new_notice(client, office, last_year):
    client.force_login(office)
    response = client.post(URL, {"from_year": 2025, "items": [last_year["item3"].pk], "to_notice": "",
                                 "new_doc_number": "测政办〔2026〕20号", "new_title": "回头看整改任务清单"})
    item = Item.objects.get(origin=last_year["item3"])
    assert response.status_code == 302 and response.url == item.notice.get_absolute_url()
    assert (item.notice.doc_number, item.notice.work_year, item.number) == ("测政办〔2026〕20号", 2026, 1)
    assert item.section.heading == "一、回头看整改"


@pytest.mark.parametrize("data, message", [
    ({"items": []}, "请至少选择一项需要整改的事项。"),
    ({"new_doc_number": ""}, "请填写新通知的文号。"),
    ({"new_doc_number": "乱写的文号"}, "文号格式不正确"),
    ({"new_doc_number": "测政办〔2025〕3号"}, "已存在"),
    ({"deadline": "2025-06-30"}, "整改时限不能早于2026年。"),
])
def test_bad_input_is_refused_in_chinese_and_nothing_saved(client, office, last_year, data, message):
    client.force_login(office)
    post = {"from_year": 2025, "items": [last_year["item3"].pk], "to_notice": "",
            "new_doc_number": "测政办〔2026〕20号", "new_title": "回头看", **data}
    html = client.post(URL, post).content.decode()
    assert message in html
    assert not Item.objects.filter(origin__isnull=False).exists()
    assert not Item.objects.filter(notice__doc_number="测政办〔2026〕20号").exists()


def test_a_done_item_cannot_be_forced_through(office, last_year, this_year):
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError):
        lookback_create(user=office, from_year=2025, item_ids=[last_year["item1"].pk], today=TODAY,
                        to_notice=this_year)


def test_an_item_finished_after_all_drops_off_the_list(client, office, last_year, unit_b):
    report(last_year["item2"], unit_b, text="已完成", status="done", on=datetime.date(2026, 1, 5))
    client.force_login(office)
    html = client.get(URL, {"from_year": 2025}).content.decode()
    assert box(last_year["item2"]) not in html


@pytest.mark.parametrize("error", ["本年度已归档，不能再添加整改事项。", {"section": "整改部分已被删除。"}])
def test_a_service_refusal_off_the_forms_fields_shows_on_top(client, office, last_year, monkeypatch, error):
    """The service's message lands on the page (core.forms.add_errors: on its field, else above the form)."""
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError(error)

    monkeypatch.setattr("reports.views.lookback.lookback_create", refuse)
    client.force_login(office)
    html = client.post(URL, {"from_year": 2025, "items": [last_year["item3"].pk], "to_notice": "",
                             "new_doc_number": "测政办〔2026〕20号", "new_title": "回头看"}).content.decode()
    message = error if isinstance(error, str) else error["section"]
    assert message in html
    assert not Item.objects.filter(notice__doc_number="测政办〔2026〕20号").exists()
