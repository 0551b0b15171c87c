"""Several governments on one install: names resolve per government, a district sees only its own rows, the
upper office sees the roll-up of its own table, a district derives its table from the city's (links kept)."""
import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from conftest import TODAY, make_item, make_notice, make_unit, make_user
from tasks.chain import item_links_set, link_suggestions, notice_publish
from tasks.models import Assignment, Item, Notice
from tasks.services import progress_record
from units.models import Alias, Government, UnitGroup
from workflow.models import Chase, Notification


@pytest.fixture
def chain(government, unit_a, unit_b, office):
    """测试市 (its office, 市发改委, its table 测市政办〔2026〕5号 with two items) above the test's district 测试区
    (unit A 区发改局, unit B 区教育局) and 乙区 (its own 区教育局)."""
    city = Government.objects.create(name="测试市人民政府", short_name="测试市", level=Government.Level.CITY)
    government.upper = city
    government.save()
    yi = Government.objects.create(name="测试市乙区人民政府", short_name="乙区", upper=city, shares_details=False)
    city_dev = make_unit("测试市发展和改革委员会", "市发改委", government=city, sort_order=10)
    city_office = make_user("city", unit=make_unit("测试市人民政府办公室", "市政府办", government=city, sort_order=1),
                            role="office_admin")
    yi_edu = make_unit("测试市乙区教育局", "区教育局", government=yi, sort_order=20)
    yi_office = make_user("yi", unit=make_unit("测试市乙区人民政府办公室", "区政府办", government=yi, sort_order=1),
                          role="office_admin")
    yi.office_unit = yi_office.unit
    yi.save()
    city_notice = make_notice(doc_number="测市政办〔2026〕5号", government=city, issue_date=datetime.date(2026, 3, 1))
    upper1 = make_item(city_notice, 1, lead=["市发改委"], requirement="推进重大建设项目批准和实施领域政府信息公开。",
                       deadline=datetime.date(2026, 10, 31), deadline_text="10月底前")
    upper2 = make_item(city_notice, 2, lead=["市发改委"], requirement="做好政府信息公开工作年度报告编制发布工作。",
                       deadline=datetime.date(2026, 12, 31), deadline_text="年底前")
    return {"city": city, "yi": yi, "city_dev": city_dev, "city_office": city_office, "yi_edu": yi_edu,
            "yi_office": yi_office, "city_notice": city_notice, "upper1": upper1, "upper2": upper2}


def district_table(chain, *, government, doc_number, unit_text="区教育局", link=True):
    notice = make_notice(doc_number=doc_number, government=government)
    item = make_item(notice, 1, responsible=[unit_text], requirement="推进重大建设项目批准和实施领域信息公开。",
                     deadline=datetime.date(2026, 9, 30), deadline_text="9月底前")
    if link:
        item_links_set(notice=notice, upper=chain["city_notice"], links={item.pk: chain["upper1"].pk})
        item.refresh_from_db()
    return notice, item


def test_the_same_short_name_resolves_within_each_government(chain, unit_b):
    assert Alias.objects.resolve("区教育局", unit_b.government) == unit_b
    assert Alias.objects.resolve("区教育局", chain["yi"]) == chain["yi_edu"]
    assert Alias.objects.resolve("区教育局") is None  # two governments know it: no guessing across them
    Alias.objects.create(government=chain["yi"], text="教育局", unit=chain["yi_edu"])
    assert Alias.objects.resolve("教育局", unit_b.government) is None
    _, mine = district_table(chain, government=unit_b.government, doc_number="测政办〔2026〕7号")
    _, theirs = district_table(chain, government=chain["yi"], doc_number="乙政办〔2026〕7号")
    assert [a.unit for a in mine.assignments.all()] == [unit_b]
    assert [a.unit for a in theirs.assignments.all()] == [chain["yi_edu"]]
    assert theirs.assignments.get().government == chain["yi"]


def test_the_unit_picker_offers_only_the_governments_own_units(client, chain, office, unit_b):
    UnitGroup.objects.create(government=chain["yi"], phrase="乙区各街道")
    notice = make_notice(doc_number="测政办〔2026〕8号")
    client.force_login(office)
    page = client.get(reverse("tasks:item-create", args=[notice.pk])).content.decode()
    assert f'value="u:{unit_b.pk}"' in page
    assert f'value="u:{chain["yi_edu"].pk}"' not in page and "乙区各街道" not in page


def test_a_district_office_cannot_read_another_districts_rows(client, chain, charlie):
    notice, item = district_table(chain, government=chain["yi"], doc_number="乙政办〔2026〕7号")
    row = item.assignments.get()
    client.force_login(chain["yi_office"])
    assert client.get(reverse("tasks:assignment-detail", args=[row.pk])).status_code == 200  # control
    client.force_login(charlie)  # 区教育局 of the test's district: same short name, another government
    for url in (reverse("tasks:assignment-detail", args=[row.pk]), reverse("tasks:item-detail", args=[item.pk]),
                reverse("tasks:notice-detail", args=[notice.pk])):
        assert client.get(url).status_code == 404, url
    office = make_user("office2", unit=charlie.unit, role="office_admin")
    client.force_login(office)
    assert client.get(reverse("tasks:assignment-detail", args=[row.pk])).status_code == 404
    ledger = client.get(reverse("tasks:ledger")).content.decode()
    assert "乙政办〔2026〕7号" not in ledger


def test_the_upper_office_sees_the_rollup_of_its_own_table_and_nothing_else(client, chain, unit_b, charlie):
    mine, mine_item = district_table(chain, government=unit_b.government, doc_number="测政办〔2026〕7号")
    theirs, theirs_item = district_table(chain, government=chain["yi"], doc_number="乙政办〔2026〕7号")
    progress_record(assignment=mine_item.assignments.get(), author=charlie, text="已发布。", status="done",
                    reported_on=datetime.date(2026, 9, 1))
    unlinked, _ = district_table(chain, government=chain["yi"], doc_number="乙政办〔2026〕8号", link=False)
    city_office = chain["city_office"]
    client.force_login(city_office)
    page = client.get(reverse("reports:chain-rollup", args=[chain["city_notice"].pk])).content.decode()
    assert "测试区" in page and "乙区" in page
    assert page.count("已完成") >= 2 and "已逾期" in page and "未分解" in page  # 乙区 is late (9月底前), item 2 not derived
    # The district that does not share details: counted, never read.
    assert not unit_b.government.shares_details
    for obj in (theirs_item.assignments.get(), mine_item.assignments.get()):
        assert client.get(reverse("tasks:assignment-detail", args=[obj.pk])).status_code == 404
    for notice in (theirs, unlinked, mine):
        assert client.get(reverse("tasks:notice-detail", args=[notice.pk])).status_code == 404
        assert client.get(reverse("reports:chain-rollup", args=[notice.pk])).status_code == 404
    assert not Assignment.objects.visible_to(city_office).filter(government=chain["yi"]).exists()
    # Where the district shares details, the rows carrying out the city's items open; other rows still do not.
    chain["yi"].shares_details = True
    chain["yi"].save()
    assert client.get(reverse("tasks:assignment-detail", args=[theirs_item.assignments.get().pk])).status_code == 200
    other_row = unlinked.items.get().assignments.get()
    assert client.get(reverse("tasks:assignment-detail", args=[other_row.pk])).status_code == 404
    # A district office reads the published city table but not the roll-up of the other districts.
    notice_publish(notice=chain["city_notice"], today=TODAY)
    client.force_login(chain["yi_office"])
    assert client.get(reverse("tasks:notice-detail", args=[chain["city_notice"].pk])).status_code == 200
    assert client.get(reverse("reports:chain-rollup", args=[chain["city_notice"].pk])).status_code == 403
    assert not Assignment.objects.visible_to(chain["yi_office"]).filter(notice=chain["city_notice"]).exists()


def test_the_rollup_needs_four_queries_whatever_the_number_of_districts(client, chain, django_assert_num_queries):
    from reports.chain import rollup

    def count():
        with django_assert_num_queries(4):
            data = rollup(user=chain["city_office"], notice=chain["city_notice"], today=TODAY)
        return len(data.governments)

    assert count() == 2
    for n in range(3):
        district = Government.objects.create(name=f"测试市丙{n}区人民政府", short_name=f"丙{n}区", upper=chain["city"])
        edu = make_unit(f"测试市丙{n}区教育局", "区教育局", government=district)
        district_table(chain, government=district, doc_number=f"丙{'一二三'[n]}政办〔2026〕1号")
        assert edu.assignments.exists()
    assert count() == 5


def test_the_rollup_export_holds_the_matrix(client, chain, unit_b):
    district_table(chain, government=chain["yi"], doc_number="乙政办〔2026〕7号")
    client.force_login(chain["city_office"])
    response = client.get(reverse("reports:chain-rollup-export", args=[chain["city_notice"].pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[2]][:5] == ["序号", "工作任务", "测试区", "乙区", None]
    assert sheet["D3"].value.startswith("已逾期\n完成0/1\n时限：9月底前")
    assert sheet["C3"].value == "未分解" and sheet["D4"].value == "未分解"
    # It prints (core.xlsx.print_layout): A4, one page wide, the header row repeated, page numbers.
    assert (int(sheet.page_setup.paperSize), sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (9, 1, 0)
    assert sheet.print_title_rows == "$2:$2" and sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert sheet.row_dimensions[3].height >= 3 * 14.5  # sized for the three lines of a cell


def test_deriving_the_district_table_from_the_citys_keeps_the_links(client, chain, office, unit_a):
    client.force_login(office)
    city_notice = chain["city_notice"]
    assert client.post(reverse("tasks:notice-derive", args=[city_notice.pk])).status_code == 404  # not published
    notice_publish(notice=city_notice, today=TODAY)
    assert Notification.objects.filter(recipient=chain["yi_office"], kind="published").exists()
    response = client.post(reverse("tasks:notice-derive", args=[city_notice.pk]))
    assert response["Location"] == reverse("tasks:import-preview")
    page = client.get(reverse("tasks:import-preview")).content.decode()
    assert "据测试市下发的“测市政办〔2026〕5号”分解本级任务分解表" in page
    assert "市发改委" in page and "单位名录中找不到" in page  # the city's unit: mapped to ours in the preview
    token = client.session["tasks_import_draft"]["token"]
    form = {"token": token, "doc_number": "测政办〔2026〕20号", "title": "关于印发2026年任务分解表的通知",
            "work_year": "2026", "n1-action": "map", "n1-target": f"u:{unit_a.pk}"}
    response = client.post(reverse("tasks:import-confirm"), form)
    notice = Notice.objects.get(doc_number="测政办〔2026〕20号")
    assert response["Location"] == notice.get_absolute_url()
    assert notice.government == unit_a.government and notice.upper_notice == city_notice
    items = {i.number: i for i in notice.items.all()}
    assert items[1].upper_item == chain["upper1"] and items[2].upper_item == chain["upper2"]
    assert items[1].lead_units_text == ["区发改局"] and items[1].deadline_text == "10月底前"
    assert [(a.unit, a.upper_government) for a in items[1].assignments.all()] == [(unit_a, chain["city"])]
    assert Alias.objects.resolve("市发改委", unit_a.government) == unit_a  # remembered for next year's table


def test_another_districts_office_cannot_derive_from_a_table_not_sent_to_it(client, chain, office):
    other_city = Government.objects.create(name="外市人民政府", short_name="外市", level=Government.Level.CITY)
    foreign = make_notice(doc_number="外政办〔2026〕1号", government=other_city)
    with pytest.raises(ValidationError, match="没有下级政府"):
        notice_publish(notice=foreign, today=TODAY)
    client.force_login(office)
    assert client.post(reverse("tasks:notice-derive", args=[foreign.pk])).status_code == 404


def test_an_imported_table_is_linked_afterwards_by_suggestion_and_confirmation(client, chain, office, unit_b):
    notice_publish(notice=chain["city_notice"], today=TODAY)
    mine, item = district_table(chain, government=unit_b.government, doc_number="测政办〔2026〕7号", link=False)
    other = make_item(mine, 2, responsible=["区教育局"], requirement="做好义务教育阶段招生入学政策解读。")
    suggestions = {s.item.number: s.upper_item for s in link_suggestions(notice=mine, upper=chain["city_notice"])}
    assert suggestions == {1: chain["upper1"], 2: None}
    client.force_login(office)
    url = reverse("tasks:notice-link-upper", args=[mine.pk])
    page = client.get(url).content.decode()
    assert "系统推荐" in page and f'<option value="{chain["upper1"].pk}" selected>' in page
    # The office changes its mind on item 2 and confirms.
    client.post(url, {"upper": chain["city_notice"].pk, f"link-{item.pk}": chain["upper1"].pk,
                      f"link-{other.pk}": chain["upper2"].pk})
    item.refresh_from_db()
    other.refresh_from_db()
    mine.refresh_from_db()
    assert (item.upper_item, other.upper_item, mine.upper_notice) == (chain["upper1"], chain["upper2"],
                                                                     chain["city_notice"])
    # An upper item of another table is refused, nothing saved.
    foreign = make_item(make_notice(doc_number="测政办〔2026〕9号"), 1, responsible=["区教育局"])
    response = client.post(url, {"upper": chain["city_notice"].pk, f"link-{item.pk}": foreign.pk})
    assert response.status_code == 400 and "不属于" in response.content.decode()
    item.refresh_from_db()
    assert item.upper_item == chain["upper1"]


def test_chasing_a_lower_government_goes_to_its_office_and_counts(client, chain, unit_b):
    district_table(chain, government=chain["yi"], doc_number="乙政办〔2026〕7号")
    client.force_login(chain["city_office"])
    url = reverse("workflow:chase-government", args=[chain["city_notice"].pk])
    client.post(url, {"cells": [f"{chain['upper1'].pk}:{chain['yi'].pk}", f"{chain['upper2'].pk}:{unit_b.government.pk}"],
                      "message": "请抓紧落实。"})
    chases = Chase.objects.order_by("id")
    # 测试区 has no 政府办 set on the government: the chase is recorded under its office admin's unit.
    assert {(c.government, c.item.number) for c in chases} == {(chain["yi"], 1), (unit_b.government, 2)}
    yi_chase = chases.get(government=chain["yi"])
    assert yi_chase.unit == chain["yi_office"].unit and yi_chase.assignment is None
    note = Notification.objects.get(recipient=chain["yi_office"], kind="chase")
    assert note.title == "上级催办：测市政办〔2026〕5号 第1项（测试市）"
    listing = client.get(reverse("workflow:chase-list")).content.decode()
    assert "乙区" in listing and "请抓紧落实。" in listing
    client.force_login(chain["yi_office"])
    assert "请抓紧落实。" in client.get(reverse("workflow:chase-list")).content.decode()


def test_dump_notice_with_assignments(chain, unit_a, unit_b):
    _, item = district_table(chain, government=unit_b.government, doc_number="测政办〔2026〕7号")
    plain, full = io.StringIO(), io.StringIO()
    call_command("dump_notice", "测政办〔2026〕7号", stdout=plain)
    call_command("dump_notice", "测政办〔2026〕7号", "--assignments", stdout=full)
    data, with_rows = json.loads(plain.getvalue()), json.loads(full.getvalue())
    assert "government" not in data and "assignments" not in data["sections"][0]["tasks"][0]
    assert list(with_rows)[0] == "government" and with_rows["government"] == "测试区人民政府"
    task = with_rows["sections"][0]["tasks"][0]
    assert task["assignments"] == [{"unit": "测试区教育局", "government": "测试区人民政府", "role": "责任",
                                    "status": "未开始"}]
    assert {k: v for k, v in with_rows.items() if k != "government"}["sections"][0]["tasks"][0].keys() \
        == data["sections"][0]["tasks"][0].keys() | {"assignments"}
    assert Item.objects.filter(upper_item=chain["upper1"]).count() == 1


def test_notices_and_items_are_read_by_the_same_rule(chain, unit_b, charlie, office):
    """One rule (NoticeVisibility) for notices and items: who reads which table, and which of its items."""
    theirs, theirs_item = district_table(chain, government=chain["yi"], doc_number="乙政办〔2026〕7号")
    unlinked, unlinked_item = district_table(chain, government=chain["yi"], doc_number="乙政办〔2026〕8号", link=False)
    mine, mine_item = district_table(chain, government=unit_b.government, doc_number="测政办〔2026〕7号")
    superuser = make_user("root", is_superuser=True, is_staff=True)

    def read(user):
        notices = set(Notice.objects.visible_to(user).values_list("doc_number", flat=True))
        items = set(Item.objects.visible_to(user).values_list("notice__doc_number", "number"))
        assert {doc for doc, _ in items} <= notices  # an item read means its table is read
        return notices, items

    city, yi, city_doc = chain["city_office"], chain["yi_office"], "测市政办〔2026〕5号"
    assert read(city) == ({city_doc}, {(city_doc, 1), (city_doc, 2)})  # 乙区 shares nothing yet
    assert read(yi) == ({"乙政办〔2026〕7号", "乙政办〔2026〕8号"}, {("乙政办〔2026〕7号", 1), ("乙政办〔2026〕8号", 1)})
    assert read(charlie) == ({"测政办〔2026〕7号"}, {("测政办〔2026〕7号", 1)})  # 区教育局: the rows of its unit
    assert read(office)[0] == {"测政办〔2026〕7号"}
    chain["yi"].shares_details = True
    chain["yi"].save()
    # The table derived from the city's, and its item carrying out the city's item; never the unlinked one.
    assert read(city) == ({city_doc, "乙政办〔2026〕7号"}, {(city_doc, 1), (city_doc, 2), ("乙政办〔2026〕7号", 1)})
    notice_publish(notice=chain["city_notice"], today=TODAY)
    yi.refresh_from_db()
    assert read(yi) == ({city_doc, "乙政办〔2026〕7号", "乙政办〔2026〕8号"},
                        {(city_doc, 1), (city_doc, 2), ("乙政办〔2026〕7号", 1), ("乙政办〔2026〕8号", 1)})
    assert read(charlie)[0] == {"测政办〔2026〕7号"}  # a unit never reads the published upper table
    assert len(read(superuser)[0]) == 4
    assert read(make_user("nobody")) == (set(), set())
