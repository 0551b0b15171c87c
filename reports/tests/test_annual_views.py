"""Annual report pages: scoping, roles, editing with bad input, submitting, the office's status list."""
import pytest
from django.urls import reverse

from reports.annual.services import figures_to_json
from reports.models import AnnualReport
from reports.tests.annual_samples import good_figures, good_sections

pytestmark = pytest.mark.django_db


def make_report(unit, *, year=2026, figures=None, sections=None, status=AnnualReport.Status.DRAFT):
    from conftest import home_government
    return AnnualReport.objects.create(
        government=unit.government if unit else home_government(), year=year, unit=unit, owner_name=unit.name if unit else "测试区人民政府", status=status,
        figures=figures_to_json(good_figures() if figures is None else figures), **(sections or good_sections()))


def form_data(report, **changes):
    data = {code: str(value) for code, value in good_figures().items()} | good_sections()
    data["version"] = str(report.version)
    data.update(changes)
    return data


@pytest.fixture
def report_a(unit_a):
    return make_report(unit_a)


def test_anonymous_is_sent_to_login(client, report_a):
    for name, args in (("reports:annual-list", []), ("reports:annual-detail", [report_a.pk]),
                       ("reports:annual-edit", [report_a.pk]), ("reports:annual-export-xlsx", [report_a.pk])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_another_units_report_is_a_404(client, charlie, report_a):
    client.force_login(charlie)
    for name in ("reports:annual-detail", "reports:annual-edit", "reports:annual-export-xlsx",
                 "reports:annual-export-docx"):
        assert client.get(reverse(name, args=[report_a.pk])).status_code == 404
    assert client.post(reverse("reports:annual-submit", args=[report_a.pk])).status_code == 404
    assert client.post(reverse("reports:annual-edit", args=[report_a.pk]), form_data(report_a)).status_code == 404
    listing = client.get(reverse("reports:annual-list"))
    assert report_a.title not in listing.content.decode()


def test_viewer_reads_but_cannot_write(client, bob, report_a):
    client.force_login(bob)
    page = client.get(reverse("reports:annual-detail", args=[report_a.pk])).content.decode()
    assert report_a.title in page and "二、上年结转政府信息公开申请数量" in page
    assert reverse("reports:annual-edit", args=[report_a.pk]) not in page
    assert client.get(reverse("reports:annual-edit", args=[report_a.pk])).status_code == 403
    assert client.post(reverse("reports:annual-edit", args=[report_a.pk]), form_data(report_a)).status_code == 403
    assert client.post(reverse("reports:annual-submit", args=[report_a.pk])).status_code == 403
    assert client.post(reverse("reports:annual-create"), {"year": "2026"}).status_code == 403


def test_liaison_edits_the_tables_and_sees_them(client, alice, report_a):
    client.force_login(alice)
    edit = client.get(reverse("reports:annual-edit", args=[report_a.pk])).content.decode()
    assert "一 + 二 = 三（七）总计 + 四" in edit and "annual_report.js" in edit
    assert f'data-check-url="{reverse("reports:annual-check", args=[report_a.pk])}"' in edit
    # the typed total is ignored: totals are computed
    data = form_data(report_a, **{"t3.new.natural": "41", "t3.new.total": "999", "t2.fees.amount": "8.5"})
    response = client.post(reverse("reports:annual-edit", args=[report_a.pk]), data, follow=True)
    report_a.refresh_from_db()
    assert report_a.figures["t3.new.natural"] == 41 and report_a.figures["t2.fees.amount"] == "8.5"
    assert report_a.figures["t3.new.total"] == 61
    assert report_a.version == 2 and report_a.updated_by == alice
    page = response.content.decode()
    assert "已保存。检查发现2处错误" in page
    assert "表三“自然人”列：一（41）+ 二（5）= 46，而三（七）总计（39）+ 四（6）= 45" in page
    assert 'value="41"' in page


def test_bad_numbers_are_rejected_in_chinese_and_nothing_is_saved(client, alice, report_a):
    client.force_login(alice)
    data = form_data(report_a, **{"t3.open.natural": "五", "t2.fees.amount": "-1", "overview": "改过的总体情况"})
    response = client.post(reverse("reports:annual-edit", args=[report_a.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "表三“（一）予以公开”行“自然人”列应填写非负整数，现为“五”。" in page
    assert "不能为负数，现为“-1”。" in page and "本次内容未保存" in page
    report_a.refresh_from_db()
    assert report_a.version == 1 and report_a.overview == good_sections()["overview"]


def test_a_stale_form_does_not_overwrite(client, alice, report_a):
    client.force_login(alice)
    data = form_data(report_a, overview="旧页面上的文字")
    AnnualReport.objects.filter(pk=report_a.pk).update(version=5)
    response = client.post(reverse("reports:annual-edit", args=[report_a.pk]), data)
    assert "已被其他人修改" in response.content.decode()
    report_a.refresh_from_db()
    assert report_a.overview != "旧页面上的文字"


def test_submit_is_refused_while_checks_fail_then_locks_the_report(client, alice, unit_a):
    broken = good_figures() | {"t3.carry_next.natural": 7}
    report = make_report(unit_a, figures=broken)
    client.force_login(alice)
    page = client.post(reverse("reports:annual-submit", args=[report.pk]), follow=True).content.decode()
    assert "报告还有2处错误，不能提交" in page and "表三“自然人”列：一（40）+ 二（5）= 45，而三（七）总计（39）+ 四（7）= 46" in page
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT
    report.figures = figures_to_json(good_figures())
    report.save()
    page = client.post(reverse("reports:annual-submit", args=[report.pk]), follow=True).content.decode()
    assert "年度报告已提交公开办" in page
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.SUBMITTED and report.submitted_at is not None
    assert client.get(reverse("reports:annual-edit", args=[report.pk])).status_code == 403


def test_submit_needs_post(client, alice, report_a):
    client.force_login(alice)
    assert client.get(reverse("reports:annual-submit", args=[report_a.pk])).status_code == 405


def test_office_sees_who_has_and_has_not_submitted(client, office, unit_a, unit_b, street,
                                                   django_assert_max_num_queries):
    make_report(unit_a, status=AnnualReport.Status.SUBMITTED)
    make_report(unit_b, status=AnnualReport.Status.DRAFT)
    client.force_login(office)
    with django_assert_max_num_queries(12):  # session, user, nav badges, savepoints + units and reports
        page = client.get(reverse("reports:annual-list"), {"year": 2026}).content.decode()
    assert "测试区发展和改革局" in page and "测试区东街街道办事处" in page
    assert page.count(">已提交<") == 2  # the count card and unit A's row
    assert ">未开始<" in page and "起草本级政府2026年度报告" in page


def test_status_list_query_count_does_not_grow_with_units(client, office, unit_a, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from units.models import Unit
    client.force_login(office)
    client.get(reverse("reports:annual-list"))
    with CaptureQueriesContext(connection) as few_units:
        client.get(reverse("reports:annual-list"))
    for i in range(15):
        make_report(Unit.objects.create(government=unit_a.government, name=f"测试单位{i}", short_name=f"单位{i}"))
    with django_assert_num_queries(len(few_units.captured_queries)):
        page = client.get(reverse("reports:annual-list")).content.decode()
    assert "测试单位14" in page


def test_office_returns_and_finalises(client, office, unit_a):
    report = make_report(unit_a, status=AnnualReport.Status.SUBMITTED)
    client.force_login(office)
    client.post(reverse("reports:annual-return", args=[report.pk]), {"reason": "表三数字与登记不符"})
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.RETURNED and report.return_reason == "表三数字与登记不符"
    assert "退回原因：表三数字与登记不符" in client.get(reverse("reports:annual-detail", args=[report.pk])).content.decode()
    page = client.post(reverse("reports:annual-finalise", args=[report.pk]), follow=True).content.decode()
    assert "年度报告已定稿" in page
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FINAL and report.finalised_at is not None


def test_liaison_cannot_return_or_finalise(client, alice, report_a):
    client.force_login(alice)
    assert client.post(reverse("reports:annual-return", args=[report_a.pk])).status_code == 403
    assert client.post(reverse("reports:annual-finalise", args=[report_a.pk])).status_code == 403


def test_liaison_drafts_the_units_report(client, alice, unit_a):
    client.force_login(alice)
    response = client.post(reverse("reports:annual-create"), {"year": "2026"}, follow=True)
    report = AnnualReport.objects.get(unit=unit_a, year=2026)
    assert report.author == alice and report.status == AnnualReport.Status.DRAFT
    assert "已生成测试区发展和改革局2026年政府信息公开工作年度报告初稿" in response.content.decode()
    again = client.post(reverse("reports:annual-create"), {"year": "2026"}, follow=True).content.decode()
    assert "测试区发展和改革局2026年的年度报告已存在。" in again
    assert AnnualReport.objects.filter(unit=unit_a).count() == 1


def test_liaison_cannot_draft_for_another_unit(client, charlie, unit_a):
    client.force_login(charlie)
    assert client.post(reverse("reports:annual-create"), {"year": "2026", "unit": unit_a.pk}).status_code == 403
    assert not AnnualReport.objects.exists()


def test_a_closed_work_year_is_marked_on_every_annual_page(client, alice, office, unit_a):
    """已归档 on the annual pages of a year the office closed (年度归档), as on the other year pages; the year
    switcher labels it as every year selector does. An open year carries no mark."""
    from django.utils import timezone

    from tasks.models import ClosedYear

    year = timezone.localdate().year - 1
    closed_report, open_report = make_report(unit_a, year=year), make_report(unit_a, year=year - 1)
    ClosedYear.objects.create(government=unit_a.government, year=year, closed_by=office, closed_at=timezone.now())
    badge = 'title="该年度已由公开办归档'
    client.force_login(office)
    for name, args, params in (("reports:annual-list", [], {"year": year}), ("reports:annual-collect", [], {"year": year}),
                               ("reports:annual-detail", [closed_report.pk], {})):
        page = client.get(reverse(name, args=args), params).content.decode()
        assert page.count(badge) == 1, name
        assert f'<option value="{year}" selected>{year}年（已归档）</option>' in page or name == "reports:annual-detail"
    client.force_login(alice)
    for name, args, params in (("reports:annual-list", [], {"year": year}), ("reports:annual-edit", [closed_report.pk], {}),
                               ("reports:annual-redraft", [closed_report.pk], {})):
        assert client.get(reverse(name, args=args), params).content.decode().count(badge) == 1, name
    for name, args, params in (("reports:annual-list", [], {"year": year - 1}),
                               ("reports:annual-detail", [open_report.pk], {})):
        page = client.get(reverse(name, args=args), params).content.decode()
        assert badge not in page and f"{year - 1}年（已归档）" not in page, name
