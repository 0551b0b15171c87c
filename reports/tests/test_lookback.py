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


# ---------------------------------------------------------------- a big year: pages, filters, totals, all matching

def many_items(notice, start, stop, section=None, units=("区教育局",)):
    """Items ``start``…``stop - 1`` of ``notice``, not started (so unfinished), for ``units``."""
    return [make_item(notice, n, responsible=list(units), section=section, deadline=datetime.date(2025, 12, 31),
                      title=f"第{n}项回头看任务") for n in range(start, stop)]


@pytest.fixture
def big_year(db, unit_a, unit_b, monkeypatch):
    """2025: 60 unfinished items on 测政办〔2025〕9号 (区教育局), of which items 56–60 also for 区发改局."""
    freeze_views_today(monkeypatch)
    notice = make_notice(doc_number="测政办〔2025〕9号", year=2025)
    section = Section.objects.create(notice=notice, number="一", title="深化重点领域信息公开", position=1)
    return {"notice": notice, "items": many_items(notice, 1, 56, section) + many_items(
        notice, 56, 61, section, units=("区发改局", "区教育局"))}


def boxes(html):
    """The item numbers with a checkbox on the page, in order."""
    import re
    return [int(n) for n in re.findall(r'aria-label="选择第(\d+)项"', html)]


def test_a_big_year_is_paged_50_items_at_a_time_with_its_exact_total(client, office, big_year):
    client.force_login(office)
    first = client.get(URL, {"from_year": 2025}).content.decode()
    assert boxes(first) == list(range(1, 51))
    assert "未完成事项共<strong>60</strong>项，本页第1—50项" in first
    assert "选择2025年全部<strong>60</strong>项" in first
    assert 'href="?from_year=2025&amp;page=2"' in first
    second = client.get(URL, {"from_year": 2025, "page": 2}).content.decode()
    assert boxes(second) == list(range(51, 61)) and "本页第51—60项" in second
    # A page number past the end shows the last page; nonsense shows the first.
    assert boxes(client.get(URL, {"from_year": 2025, "page": 99}).content.decode()) == list(range(51, 61))
    assert boxes(client.get(URL, {"from_year": 2025, "page": "x"}).content.decode())[:1] == [1]


def test_filters_narrow_the_list_and_the_total(client, office, big_year, unit_a, last_year, this_year):
    client.force_login(office)
    by_unit = client.get(URL, {"from_year": 2025, "unit": unit_a.pk}).content.decode()
    # 区发改局 has open rows on items 56–60 of 9号 only (on 3号 its part of item 3 is done).
    assert "符合条件的未完成事项共<strong>5</strong>项" in by_unit
    assert boxes(by_unit) == [56, 57, 58, 59, 60]
    by_notice = client.get(URL, {"from_year": 2025, "notice": last_year["notice"].pk}).content.decode()
    assert boxes(by_notice) == [2, 3] and "共<strong>2</strong>项" in by_notice
    by_word = client.get(URL, {"from_year": 2025, "q": "第57项回头看"}).content.decode()
    assert boxes(by_word) == [57] and "共<strong>1</strong>项" in by_word
    by_section = client.get(URL, {"from_year": 2025, "q": "深化重点领域"}).content.decode()
    assert "共<strong>60</strong>项" in by_section
    nothing = client.get(URL, {"from_year": 2025, "q": "没有这个词"}).content.decode()
    assert "没有符合条件的未完成事项。" in nothing and "新建整改事项</button>" not in nothing
    # Only the items not carried yet.
    lookback_create(user=office, from_year=2025, item_ids=[last_year["item2"].pk], today=TODAY, to_notice=this_year)
    pending = client.get(URL, {"from_year": 2025, "notice": last_year["notice"].pk, "pending": "on"}).content.decode()
    assert boxes(pending) == [3] and "已整改至" not in pending and "共<strong>1</strong>项" in pending
    # A notice or unit that is not on the list is ignored with a message, never a 500.
    bad = client.get(URL, {"from_year": 2025, "notice": 999999, "unit": "abc"}).content.decode()
    assert "筛选条件有误，已忽略" in bad and "共<strong>62</strong>项" in bad


def test_select_all_matching_carries_every_matching_item_not_only_the_page(client, office, big_year):
    client.force_login(office)
    url = f"{URL}?from_year=2025"
    response = client.post(url, {"from_year": 2025, "all_matching": "on", "to_notice": "",
                                 "new_doc_number": "测政办〔2026〕30号", "new_title": "回头看整改任务清单"}, follow=True)
    assert "中新建60项整改事项（第1—60项）" in response.content.decode()
    created = Item.objects.filter(notice__doc_number="测政办〔2026〕30号").order_by("number")
    assert [i.origin.number for i in created] == list(range(1, 61))
    # Again: everything already carried, nothing new, and the page says so.
    notice = created[0].notice
    again = client.post(url, {"from_year": 2025, "all_matching": "on", "to_notice": notice.pk}, follow=True)
    assert "中新建0项整改事项；60项此前已整改过，未重复创建。" in again.content.decode()
    assert Item.objects.filter(notice=notice).count() == 60


def test_select_all_matching_follows_the_filter(client, office, big_year, unit_a, this_year):
    client.force_login(office)
    client.post(f"{URL}?from_year=2025&unit={unit_a.pk}&page=1",
                {"from_year": 2025, "all_matching": "on", "to_notice": this_year.pk})
    assert sorted(Item.objects.filter(notice=this_year, origin__isnull=False)
                  .values_list("origin__number", flat=True)) == [56, 57, 58, 59, 60]


@pytest.mark.parametrize("post, message", [
    ({"items": ["abc"]}, "所选事项无效，请刷新页面后重新选择。"),
    ({"items": [999999]}, "所选事项中有1项不是2025年未完成的事项"),
    ({"all_matching": "on", "query": "没有这个词"}, "没有符合条件的2025年未完成事项。"),
    ({"to_notice": 999999}, "选择一个有效的选项"),
])
def test_bad_choices_are_refused_in_chinese_and_nothing_saved(client, office, big_year, this_year, post, message):
    client.force_login(office)
    query = post.pop("query", "")
    html = client.post(f"{URL}?from_year=2025&q={query}",
                       {"from_year": 2025, "to_notice": this_year.pk, **post}).content.decode()
    assert message in html
    assert not Item.objects.filter(origin__isnull=False).exists()


def test_the_page_reads_the_same_queries_with_2_or_60_candidates(client, office, last_year):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(office)
    client.get(URL, {"from_year": 2025})

    def count():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(URL, {"from_year": 2025}).content.decode()
        return len(ctx.captured_queries), len(boxes(html))

    few = count()
    many_items(last_year["notice"], 10, 68)
    many = count()
    assert few == (many[0], 2) and many[1] == 50
