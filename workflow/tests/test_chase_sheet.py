"""督办通知单: a chase printed or sent as a Word document in 公文 layout. The document names the unit, its
overdue items of that chase with the working days overdue, the requested date, the office and the date; the
download is scoped like the chase record (another unit or government: 404)."""
import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from conftest import TODAY, make_item, make_notice, make_unit, make_user
from units.models import Government
from workflow.calendar import days_overdue, seed_from_package
from workflow.chase_sheet import ChaseSheetData, SheetLine, build_chase_document
from workflow.chasing import chase_create
from workflow.models import CalendarDay, CalendarYear, Chase

pytestmark = pytest.mark.django_db
MESSAGE = "你单位承担的以下任务已超过完成时限，请抓紧落实。"


@pytest.fixture(autouse=True)
def calendar():
    seed_from_package(CalendarDay, CalendarYear, years=[2026])


@pytest.fixture
def chased(office, unit_a, unit_b):
    """Unit B (区教育局) chased on items 1 and 2 in one round, unit A on item 3; an earlier round for unit B."""
    notice = make_notice(doc_number="测政办〔2026〕5号")
    items = [make_item(notice, 1, responsible=["区教育局"], deadline=datetime.date(2026, 10, 31),
                       title="推进义务教育信息公开"),
             make_item(notice, 2, responsible=["区教育局"], deadline=datetime.date(2026, 11, 16)),
             make_item(notice, 3, lead=["区发改局"], deadline=datetime.date(2026, 10, 31), title="发改局的事项")]
    rows = [item.assignments.get() for item in items]
    earlier = chase_create(assignments=[rows[0]], message="第一次催办。", author=office, today=datetime.date(2026, 11, 5))
    chases = chase_create(assignments=rows, message=MESSAGE, author=office, today=TODAY)
    return {"b": chases[0], "a": chases[2], "earlier": earlier[0], "rows": rows}


def download(client, chase, **params):
    return client.get(reverse("workflow:chase-sheet", args=[chase.pk]), params)


def read(response) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(p.text for p in doc.paragraphs), [[c.text for c in row.cells] for row in doc.tables[0].rows]


def test_the_sheet_lists_the_units_items_of_that_round_with_working_days_overdue(client, office, chased):
    client.force_login(office)
    response = download(client, chased["b"])
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and "%E7%9D%A3%E5%8A%9E" in response["Content-Disposition"]
    text, table = read(response)
    assert text.splitlines()[0] == "督办通知单"
    assert "测试区教育局：" in text and MESSAGE in text
    reply_by = "2026年11月30日"  # five working days after Monday 23 November
    assert "截至2026年11月23日，你单位以下2项任务已超过完成时限（逾期天数按工作日计算）：" in text
    assert f"请于{reply_by}前完成，并在系统中报送落实情况和佐证材料。" in text
    assert text.rstrip().endswith("测试区人民政府办公室\n2026年11月23日")
    late_1 = days_overdue(datetime.date(2026, 10, 31), TODAY)
    late_2 = days_overdue(datetime.date(2026, 11, 16), TODAY)
    assert table == [
        ["序号", "文件", "事项", "工作任务", "完成时限", "逾期工作日", "当前状态"],
        ["1", "测政办〔2026〕5号", "第1项", "推进义务教育信息公开", "2026年10月31日", str(late_1), "未开始"],
        ["2", "测政办〔2026〕5号", "第2项", "第2项工作要求：做好相关信息公开。", "2026年11月16日", str(late_2), "未开始"],
    ]
    assert late_1 == 16 and late_2 == 5
    assert "发改局的事项" not in text + str(table)  # another unit of the same round
    assert "第一次催办" not in text  # another round


@pytest.mark.parametrize("by, message", [
    ("12月4日", "要求报送日期格式不正确，请选择日期或写成 2026-12-04 这样的日期。"),
    ("2026-02-30", "要求报送日期格式不正确"),
    ("", "请填写要求报送日期。"),
    ("2026-11-20", "要求报送日期不能早于催办日期2026年11月23日。"),
    ("2028-01-04", "要求报送日期不能晚于催办日期2026年11月23日之后一年。"),
])
def test_a_bad_requested_date_shows_the_form_again_in_chinese(client, office, chased, by, message):
    client.force_login(office)
    response = download(client, chased["b"], by=by)
    html = response.content.decode()
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert message in html and "督办通知单：测试区教育局" in html
    assert 'type="date"' in html and 'name="by"' in html  # the form again, to correct the date


def test_the_chase_record_offers_the_requested_date_and_the_form_sets_it(client, office, chased):
    """Each chase's row: a date input holding the proposed date (five working days after the chase) and the
    button; what is submitted is the date on the sheet."""
    client.force_login(office)
    html = client.get(reverse("workflow:chase-list")).content.decode()
    url = reverse("workflow:chase-sheet", args=[chased["b"].pk])
    form = html[html.index(f'action="{url}"'):]
    form = form[:form.index("</form>")]
    assert 'name="by" value="2026-11-30"' in form and "要求报送日期" in form and "下载督办通知单" in form
    assert 'min="2026-11-23"' in form
    text, _table = read(download(client, chased["b"], by="2026-12-04"))
    assert "请于2026年12月4日前完成" in text
    text, _table = read(download(client, chased["b"]))  # a plain link keeps the default
    assert "请于2026年11月30日前完成" in text


def test_the_chased_unit_may_download_its_own_sheet_but_not_another_units(client, charlie, chased):
    client.force_login(charlie)
    assert download(client, chased["b"]).status_code == 200
    assert download(client, chased["a"]).status_code == 404


def test_another_governments_office_gets_a_404(client, chased):
    other = Government.objects.create(name="另一区人民政府", short_name="另一区", level=Government.Level.COUNTY)
    stranger = make_user("stranger", unit=make_unit("另一区人民政府办公室", "另一区政府办", government=other),
                         role="office_admin")
    client.force_login(stranger)
    assert download(client, chased["b"]).status_code == 404


def test_anonymous_is_sent_to_login_and_post_is_refused(client, office, chased):
    response = download(client, chased["b"])
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(office)
    assert client.post(reverse("workflow:chase-sheet", args=[chased["b"].pk])).status_code == 405


def test_the_chase_record_links_every_chase_to_its_sheet(client, office, chased):
    client.force_login(office)
    html = client.get(reverse("workflow:chase-list")).content.decode()
    for chase in Chase.objects.all():
        assert reverse("workflow:chase-sheet", args=[chase.pk]) in html
    assert "督办通知单" in html


def test_the_pure_builder_lays_the_sheet_out_as_a_gongwen():
    sheet = ChaseSheetData(unit_name="测试区教育局", office_name="测试区人民政府办公室", message="请抓紧落实。",
                           chased_on=datetime.date(2026, 11, 29), reply_by=datetime.date(2026, 12, 4),
                           lines=[SheetLine("测政办〔2026〕5号", 7, "推进政务公开", "10月底前", 20, "推进中")])
    doc = build_chase_document(sheet)
    title = doc.paragraphs[0]
    assert title.text == "督办通知单" and title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert [p.text for p in doc.paragraphs][-2:] == ["测试区人民政府办公室", "2026年11月29日"]
    header = doc.tables[0].rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["1", "测政办〔2026〕5号", "第7项", "推进政务公开",
                                                              "10月底前", "20", "推进中"]
    section = doc.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert sheet.filename == "督办通知单_测试区教育局_20261129.docx"
