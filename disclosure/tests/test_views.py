"""The register's pages: who sees what (masked lists, 404 for another unit), bad input next to the field."""
import datetime

import pytest
from django.urls import reverse

from conftest import make_user
from disclosure.models import Application, ApplicationEvent
from disclosure.tests.builders import d, make_application

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    from disclosure.views import applications, common, imports, register

    for module in (common, applications, imports, register):
        monkeypatch.setattr(module, "today", lambda: TODAY)


@pytest.fixture
def apps(unit_a, unit_b):
    return {
        "a": make_application(unit_a, d("2026-11-02"), name="张三丰", contact="13912345678", request="甲单位收到的申请"),
        "b": make_application(unit_b, d("2026-11-03"), name="乙单位申请人", contact="乙单位的电话",
                              request="乙单位独有的申请内容"),
    }


def test_anonymous_goes_to_login(client, apps):
    for url in (reverse("disclosure:application-list"), apps["a"].get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_list_masks_applicants_and_hides_other_units(client, alice, apps):
    client.force_login(alice)
    html = client.get(reverse("disclosure:application-list")).content.decode()
    assert "甲单位收到的申请" in html and "张**" in html
    assert "张三丰" not in html and "13912345678" not in html
    assert "乙单位" not in html


def test_detail_shows_personal_data_to_the_unit_and_the_office_only(client, alice, office, leader, apps):
    url = apps["a"].get_absolute_url()
    client.force_login(alice)
    html = client.get(url).content.decode()
    assert "张三丰" in html and "13912345678" in html
    assert "答复期限：2026年11月30日" in html and "还剩5个工作日" in html
    client.force_login(office)
    assert "张三丰" in client.get(url).content.decode()
    client.force_login(leader)
    html = client.get(url).content.decode()
    assert "张三丰" not in html and "张**" in html and "139******78" in html


def test_another_units_application_is_a_404(client, alice, apps):
    client.force_login(alice)
    assert client.get(apps["b"].get_absolute_url()).status_code == 404
    assert client.post(reverse("disclosure:event-add", args=[apps["b"].pk]),
                       {"kind": "extension", "date": "2026-11-20"}).status_code == 404
    assert not ApplicationEvent.objects.exists()


def test_read_only_user_gets_403_on_writes(client, bob, apps):
    client.force_login(bob)
    assert client.get(apps["a"].get_absolute_url()).status_code == 200
    assert client.post(reverse("disclosure:event-add", args=[apps["a"].pk]),
                       {"kind": "extension", "date": "2026-11-20"}).status_code == 403
    assert client.get(reverse("disclosure:application-create")).status_code == 403


def test_actions_refuse_get(client, alice, apps):
    client.force_login(alice)
    assert client.get(reverse("disclosure:application-answer", args=[apps["a"].pk])).status_code == 405


def test_register_an_application(client, alice, unit_a):
    client.force_login(alice)
    response = client.post(reverse("disclosure:application-create"), {
        "received_on": "2026-11-02", "channel": "online", "applicant_type": "natural", "applicant_name": "赵敏",
        "applicant_contact": "", "request_text": "申请公开某道路规划", "reference": "2026-018"}, follow=True)
    html = response.content.decode()
    assert "已登记2026年11月2日收到的申请，答复期限2026年11月30日。" in html
    application = Application.objects.get()
    assert application.unit == unit_a and application.created_by == alice


def post_form(client, **changes):
    data = {"received_on": "2026-11-02", "channel": "online", "applicant_type": "natural", "applicant_name": "赵敏",
            "request_text": "申请公开某道路规划"} | changes
    return client.post(reverse("disclosure:application-create"), data)


def field_errors(response, name):
    return response.context["form"].errors.get(name, [])


def test_bad_input_is_shown_next_to_the_field_and_nothing_saved(client, alice, apps):
    client.force_login(alice)
    future = post_form(client, received_on="2026-11-24")
    assert future.status_code == 400
    assert field_errors(future, "received_on") == ["收到日期2026年11月24日晚于今天，不能登记未来的日期。"]
    assert "收到日期2026年11月24日晚于今天" in future.content.decode()
    bad_type = post_form(client, applicant_type="个体户")
    assert field_errors(bad_type, "applicant_type") == [
        "申请人类型必须是自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他之一。"]
    twin = post_form(client, applicant_name="张三丰", request_text="甲单位收到的申请")
    assert field_errors(twin, "request_text") == ["重复登记：本单位2026年11月2日已登记同一申请人的相同申请。"]
    assert Application.objects.count() == 2


def test_answer_before_receipt_and_unknown_outcome_are_refused(client, alice, apps):
    client.force_login(alice)
    url = reverse("disclosure:application-answer", args=[apps["a"].pk])
    early = client.post(url, {"outcome": "open", "answered_on": "2026-11-01"})
    assert early.status_code == 400
    assert early.context["answer_form"].errors["answered_on"] == ["办结日期2026年11月1日早于收到日期2026年11月2日。"]
    unknown = client.post(url, {"outcome": "已答复", "answered_on": "2026-11-20"})
    assert unknown.context["answer_form"].errors["outcome"] == ["办理结果必须是年报表三的22种结果之一。"]
    apps["a"].refresh_from_db()
    assert apps["a"].answered_on is None


def test_events_move_the_clock_and_the_answer_closes_it(client, alice, apps):
    client.force_login(alice)
    url = reverse("disclosure:event-add", args=[apps["a"].pk])
    response = client.post(url, {"kind": "extension", "date": "2026-11-20", "note": "经负责人批准"}, follow=True)
    assert "已登记“批准延长答复期限”，答复期限：2026年12月28日。" in response.content.decode()
    again = client.post(url, {"kind": "extension", "date": "2026-11-23"})
    assert "答复期限只能延长一次" in again.context["event_form"].errors["date"][0]
    response = client.post(reverse("disclosure:application-answer", args=[apps["a"].pk]),
                           {"outcome": "deny_third_party", "answered_on": "2026-11-23"}, follow=True)
    assert "已登记办理结果“不予公开：4.保护第三方合法权益”，按时办结。" in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(client, alice, unit_a, django_assert_max_num_queries):
    for i in range(3):
        make_application(unit_a, d("2026-10-01") + datetime.timedelta(days=i), name=f"申请人{i}", request=f"申请{i}")
    client.force_login(alice)
    url = reverse("disclosure:application-list")
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for i in range(20):
        make_application(unit_a, d("2026-06-01") + datetime.timedelta(days=i), name=f"多{i}", request=f"多{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_figure_link_lists_the_rows_behind_it(client, alice, unit_a, apps):
    make_application(unit_a, d("2026-03-02"), applicant_type="legal", name="某律所", request="律所的申请",
                     outcome="open", answered_on=d("2026-03-10"))
    client.force_login(alice)
    html = client.get(reverse("disclosure:annual-tables"), {"year": 2026}).content.decode()
    assert "&amp;row=open&amp;col=legal" in html
    listed = client.get(reverse("disclosure:application-list"), {"year": 2026, "row": "open", "col": "legal"})
    text = listed.content.decode()
    assert "律所的申请" in text and "甲单位收到的申请" not in text
    assert "2026年表三“三、予以公开”行“法律服务机构”列" in text


def test_office_overview_lists_every_units_open_applications(client, office, alice, apps):
    client.force_login(office)
    html = client.get(reverse("disclosure:open-overview")).content.decode()
    assert "甲单位收到的申请" in html and "乙单位独有的申请内容" in html
    client.force_login(alice)
    assert client.get(reverse("disclosure:open-overview")).status_code == 403


def test_export_holds_only_visible_rows_and_masks_for_readers(client, alice, leader, apps, unit_b):
    import io

    import openpyxl

    def cells(response):
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return [str(v) for row in book.active.iter_rows(values_only=True) for v in row if v is not None]

    client.force_login(alice)
    mine = cells(client.get(reverse("disclosure:application-export"), {"unit": unit_b.pk}))
    assert "乙单位独有的申请内容" not in mine and "乙单位申请人" not in mine
    assert "张三丰" in cells(client.get(reverse("disclosure:application-export")))
    client.force_login(leader)
    everything = cells(client.get(reverse("disclosure:application-export")))
    assert "乙单位独有的申请内容" in everything and "乙单位申请人" not in everything and "张三丰" not in everything


def test_stats_page(client, alice, unit_a, apps):
    make_application(unit_a, d("2026-03-02"), name="甲", request="三月的申请", outcome="open", answered_on=d("2026-03-10"))
    make_application(unit_a, d("2026-04-01"), name="乙", request="四月的申请", outcome="open", answered_on=d("2026-05-29"))
    client.force_login(alice)
    s = client.get(reverse("disclosure:stats"), {"year": 2026}).context["s"]
    assert s["total"]["received"] == 3 and s["total"]["answered"] == 2
    assert s["total"]["on_time"] == 1 and s["total"]["on_time_share"] == 50.0
    assert s["total"]["average_days"] == 24.0  # 6 and 42 working days
    assert s["per_month"][2] == (3, 1, 1)


def test_liaison_of_another_unit_cannot_be_handler(client, alice, charlie, apps):
    client.force_login(alice)
    response = client.post(reverse("disclosure:application-edit", args=[apps["a"].pk]), {
        "received_on": "2026-11-02", "channel": "online", "applicant_type": "natural", "applicant_name": "张三丰",
        "request_text": "甲单位收到的申请", "handler": charlie.pk, "version": 1})
    assert "handler" in response.context["form"].errors
    make_user("dora", unit=apps["a"].unit, role="liaison")


def test_export_keeps_user_text_as_text(client, alice, unit_a):
    import io

    import openpyxl

    make_application(unit_a, d("2026-11-02"), name="公式", request='=HYPERLINK("http://evil.example","点击")')
    client.force_login(alice)
    response = client.get(reverse("disclosure:application-export"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = next(c for row in sheet.iter_rows(min_row=2) for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_carried_over_applications_are_listed_and_marked(client, alice, unit_a):
    make_application(unit_a, d("2025-12-29"), name="跨年", request="去年年底收到的申请")
    make_application(unit_a, d("2026-03-02"), name="今年", request="今年办结的申请", outcome="open",
                     answered_on=d("2026-03-10"))
    client.force_login(alice)
    carried = client.get(reverse("disclosure:application-list"), {"status": "carried", "year": 2026}).content.decode()
    assert "去年年底收到的申请" in carried and "今年办结的申请" not in carried and "上年结转" in carried
    carry_next = client.get(reverse("disclosure:application-list"), {"status": "carry_next", "year": 2025})
    assert "去年年底收到的申请" in carry_next.content.decode()


def test_answer_documents_upload_and_download(client, alice, apps, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    url = reverse("disclosure:document-upload", args=[apps["a"].pk])
    fake = client.post(url, {"files": [SimpleUploadedFile("告知书.pdf", b"not a pdf")]})
    assert fake.status_code == 400 and "内容与扩展名不符" in fake.content.decode()
    response = client.post(url, {"files": [SimpleUploadedFile("告知书.pdf", b"%PDF-1.7 answer")]}, follow=True)
    assert "已上传1个文件。" in response.content.decode() and "告知书.pdf" in response.content.decode()
    document = apps["a"].documents.get()
    download = client.get(document.get_absolute_url())
    assert b"".join(download.streaming_content) == b"%PDF-1.7 answer"


def test_a_unit_without_applications_can_start_its_register(client, alice, charlie, unit_a, unit_b):
    from disclosure.services import unit_keeps_register

    client.force_login(alice)
    page = client.get(reverse("disclosure:annual-tables"), {"year": 2026}).content.decode()
    assert "表三、表四目前手工填报" in page
    assert client.post(reverse("disclosure:register-start"), {"unit": unit_b.pk, "year": 2026}).status_code == 403
    response = client.post(reverse("disclosure:register-start"), {"unit": unit_a.pk, "year": 2026}, follow=True)
    assert "区发改局自2026年起按登记簿计算年报表三、表四。" in response.content.decode()
    assert "表三、表四按登记簿自动填写" in response.content.decode()
    assert unit_keeps_register(unit_a, 2026) and not unit_keeps_register(unit_b, 2026)


def test_a_case_is_registered_then_its_result_recorded(client, alice, apps):
    from disclosure.models import ReviewCase

    client.force_login(alice)
    add = reverse("disclosure:case-add", args=[apps["a"].pk])
    early = client.post(add, {"kind": "review", "body": "测试区人民政府", "filed_on": "2026-11-01", "result": "pending"})
    assert early.status_code == 400 and "申请复议或起诉的日期早于收到政府信息公开申请的日期。" in early.content.decode()
    client.post(add, {"kind": "review", "body": "测试区人民政府", "filed_on": "2026-11-10", "result": "pending"})
    case = ReviewCase.objects.get()
    edit = reverse("disclosure:case-edit", args=[case.pk])
    prefix = f"case{case.pk}-"
    data = {prefix + k: v for k, v in {"kind": "review", "body": "测试区人民政府", "filed_on": "2026-11-10",
                                       "decided_on": "2026-11-20", "result": "pending"}.items()}
    refused = client.post(edit, data)
    assert "已填写审结日期，请选择维持、纠正或其他。" in refused.content.decode()
    response = client.post(edit, data | {prefix + "result": "corrected"}, follow=True)
    assert "已更新行政复议（纠正）。" in response.content.decode()
    case.refresh_from_db()
    assert case.result == "corrected" and case.decided_on == d("2026-11-20")


def test_home_page_lists_applications_near_or_past_their_deadline(client, alice, charlie, unit_a, apps,
                                                                  django_assert_max_num_queries):
    make_application(unit_a, d("2026-09-01"), name="逾期", request="早已逾期的申请")
    make_application(unit_a, d("2026-11-20"), name="新", request="刚收到的申请")  # 19 working days left
    client.force_login(alice)
    html = client.get(reverse("home")).content.decode()
    assert "依申请公开：本单位临近或超过答复期限的申请（2）" in html
    assert "早已逾期的申请" in html and "甲单位收到的申请" in html and "刚收到的申请" not in html
    client.force_login(charlie)
    assert "依申请公开" not in client.get(reverse("home")).content.decode().split("<main", 1)[-1]
