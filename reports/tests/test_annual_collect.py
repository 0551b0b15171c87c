"""年报收集: import and combined-export commands, the collection page, upload, publish, reminders, zip."""
import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from reports.annual.reminders import annual_report_reminders
from reports.annual.services import annual_report_publish
from reports.annual.xlsx import build_workbook
from reports.models import AnnualReport
from reports.tests.annual_samples import good_figures, good_sections
from reports.tests.test_annual_views import make_report
from workflow.models import Notification

pytestmark = pytest.mark.django_db
D = datetime.date


def command(name, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def unit_workbook(path, figures=None, sections=None):
    build_workbook(title="测试区发展和改革局2026年政府信息公开工作年度报告", sections=sections or good_sections(),
                   figures=figures or good_figures()).save(path)
    return path


def test_import_saves_a_new_draft_and_prints_each_finding(tmp_path, unit_a):
    path = unit_workbook(tmp_path / "发改局.xlsx", figures=good_figures() | {"t4.review.total": 9})
    code, out, err = command("import_annual_report", str(path), "--year", "2026", "--unit", "区发改局")
    assert code == 0 and err == ""
    report = AnnualReport.objects.get(year=2026, unit=unit_a)
    assert report.status == AnnualReport.Status.DRAFT and report.figures["t3.new.total"] == 60
    assert report.overview == good_sections()["overview"]
    assert report.figures["t4.review.total"] == 4  # totals are computed, not taken from the file
    assert out.splitlines()[-1] == "已新建测试区发展和改革局2026年政府信息公开工作年度报告（草稿）：0处错误，0处警告。"


def test_import_replaces_a_draft_and_refuses_a_finalised_report(tmp_path, unit_a):
    report = make_report(unit_a, sections=good_sections() | {"overview": "旧文字2026年"})
    path = unit_workbook(tmp_path / "a.xlsx", figures=good_figures() | {"t3.new.natural": 41})
    code, out, _ = command("import_annual_report", str(path), "--year", "2026", "--unit", "区发改局")
    report.refresh_from_db()
    assert code == 0 and report.figures["t3.new.natural"] == 41 and report.overview == good_sections()["overview"]
    assert "表三“自然人”列：一（41）+ 二（5）= 46" in out and "已替换" in out.splitlines()[-1]
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.FINAL)
    code, out, err = command("import_annual_report", str(path), "--year", "2026", "--unit", "区发改局")
    assert code == 1 and out == ""
    assert err.strip() == "测试区发展和改革局2026年政府信息公开工作年度报告已定稿，不能用工作簿覆盖（须由公开办退回后再导入）。"


def test_import_of_an_unreadable_file_is_one_chinese_line(tmp_path, unit_a):
    path = tmp_path / "坏.xlsx"
    path.write_text("not a workbook")
    code, out, err = command("import_annual_report", str(path), "--year", "2026", "--unit", "区发改局")
    assert code == 1 and out == "" and err.strip() == "文件“坏.xlsx”不是有效的 Excel（.xlsx）工作簿，无法读取。"
    assert len(err.strip().splitlines()) == 1 and not AnnualReport.objects.exists()


def test_combined_export_sums_every_report_of_the_year(tmp_path, unit_a, unit_b, street):
    make_report(unit_a)
    make_report(unit_b, figures=good_figures() | {"t2.rules.issued": "/"})
    make_report(None, status=AnnualReport.Status.FINAL)
    make_report(street, year=2025)
    path = tmp_path / "sum.xlsx"
    code, out, err = command("export_annual_report", "--year", "2026", "--combined", "--output", str(path))
    assert code == 0, err
    assert out.strip() == f"已导出测试区人民政府2026年政府信息公开工作年度报告汇总（3份报告，其中2份尚未定稿）：{path}"
    code, check_out, _ = command("check_annual_report", str(path))
    assert code == 0, check_out
    wb = load_workbook(path)
    assert wb.sheetnames == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                             "四、政府信息公开行政复议、行政诉讼情况", "汇总范围"]
    t3 = wb["三、收到和处理政府信息公开申请情况"]
    values = [c.value for row in t3.iter_rows() for c in row]
    assert 180 in values  # 一、本年新收 总计: 3 × 60
    assert wb["二、主动公开政府信息情况"].oddHeader.right.text == "草稿"
    assert "测试区发展和改革局" in [c.value for c in wb["汇总范围"]["A"]]


def test_combined_needs_unit_or_combined(tmp_path):
    code, _, err = command("export_annual_report", "--year", "2026", "--output", str(tmp_path / "x.xlsx"))
    assert code == 1 and "请指定 --unit 单位，或用 --combined" in err


def test_collection_page_shows_states_due_dates_overdue_and_sum(client, office, unit_a, unit_b, street, settings,
                                                              django_assert_max_num_queries):
    settings.GOVOPEN_ANNUAL_UNIT_DUE = "01-31"
    make_report(unit_a, status=AnnualReport.Status.SUBMITTED)
    published = make_report(unit_b, status=AnnualReport.Status.FINAL)
    annual_report_publish(report=published, user=office, published_on=D(2027, 1, 20), url="https://example.gov.cn/nb")
    make_report(None)
    client.force_login(office)
    from unittest import mock
    with mock.patch("reports.views.annual_collect._today", return_value=D(2027, 2, 3)):
        with django_assert_max_num_queries(12):
            page = client.get(reverse("reports:annual-collect"), {"year": "2026"}).content.decode()
    assert "区直部门和街道（镇）应于2027年1月31日前公布本单位年度报告；本级政府年度报告应于2027年3月31日前公布" in page
    assert "已发布" in page and "2027年1月20日" in page and "https://example.gov.cn/nb" in page
    rows = {unit.name: page.split(f'data-unit="{unit.name}"')[1].split("</tr>")[0] for unit in (unit_a, unit_b, street)}
    assert "逾期</span>" in rows[unit_a.name] and "已提交" in rows[unit_a.name]  # submitted, not published
    assert "逾期</span>" in rows[street.name] and "未开始" in rows[street.name]
    assert "逾期</span>" not in rows[unit_b.name]
    assert "未开始" in page and "全区汇总" in page and ">180<" in page and ">60<" in page


def test_collection_page_is_for_the_office_and_leaders(client, alice, leader):
    client.force_login(alice)
    assert client.get(reverse("reports:annual-collect")).status_code == 403
    client.force_login(leader)
    assert client.get(reverse("reports:annual-collect")).status_code == 200


def test_upload_loads_a_units_workbook_as_its_draft(client, alice, charlie, unit_a, tmp_path):
    path = unit_workbook(tmp_path / "本单位.xlsx")
    client.force_login(alice)
    with path.open("rb") as handle:
        response = client.post(reverse("reports:annual-upload"), {"year": "2026", "file": handle}, follow=True)
    report = AnnualReport.objects.get(unit=unit_a, year=2026)
    page = response.content.decode()
    assert "已新建测试区发展和改革局2026年政府信息公开工作年度报告（草稿），读取自“本单位.xlsx”" in page
    assert report.figures["t3.new.total"] == 60
    client.force_login(charlie)
    with path.open("rb") as handle:
        assert client.post(reverse("reports:annual-upload"),
                           {"year": "2026", "unit": str(unit_a.pk), "file": handle}).status_code == 403
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"PK\x03\x04garbage")
    client.force_login(alice)
    with bad.open("rb") as handle:
        page = client.post(reverse("reports:annual-upload"), {"year": "2026", "file": handle}, follow=True).content.decode()
    assert "x.xlsx" in page and "无法读取" in page


def test_publishing_needs_a_finalised_report_and_a_web_address(client, alice, unit_a):
    report = make_report(unit_a)
    client.force_login(alice)
    page = client.post(reverse("reports:annual-publish", args=[report.pk]),
                       {"published_on": "2027-01-20", "url": "https://x.gov.cn/a"}, follow=True).content.decode()
    assert "报告定稿后才能登记发布" in page
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.FINAL)
    page = client.post(reverse("reports:annual-publish", args=[report.pk]),
                       {"published_on": "2027-01-20", "url": "不是网址"}, follow=True).content.decode()
    assert "请填写有效的网址" in page
    client.post(reverse("reports:annual-publish", args=[report.pk]), {"published_on": "2027-01-20", "url": "https://x.gov.cn/a"})
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHED and report.published_on == D(2027, 1, 20)


def test_reminders_before_the_due_date_and_while_overdue(alice, charlie, office, unit_a, unit_b):
    make_report(unit_b, status=AnnualReport.Status.SUBMITTED)
    sent = annual_report_reminders(day=D(2027, 1, 28), next_day=D(2027, 1, 29), days_before=[7, 3])
    assert [(n.recipient, n.kind) for n in sent] == [(alice, Notification.Kind.DUE_SOON)]
    assert "应于2027年1月31日前公布" in sent[0].title
    assert annual_report_reminders(day=D(2027, 1, 28), next_day=D(2027, 1, 29), days_before=[7, 3]) == []
    late = annual_report_reminders(day=D(2027, 2, 3), next_day=D(2027, 2, 4), days_before=[7, 3])
    assert sorted(n.recipient.username for n in late) == sorted([alice.username, charlie.username])
    assert all(n.kind == Notification.Kind.OVERDUE for n in late)
    assert annual_report_reminders(day=D(2027, 11, 3), next_day=D(2027, 11, 4), days_before=[7, 3]) == []


def test_year_end_materials_in_one_download(client, office, unit_a):
    make_report(None)
    make_report(unit_a)
    client.force_login(office)
    response = client.get(reverse("reports:annual-year-end"), {"year": "2026"})
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == ["2026年落实情况汇总.xlsx", "测试区人民政府2026年政府信息公开工作年度报告（草稿）.docx",
                     "测试区人民政府2026年政府信息公开工作年度报告（草稿）.xlsx",
                     "测试区人民政府2026年政府信息公开工作年度报告汇总.xlsx"]


def test_a_warning_is_confirmed_or_dismissed_with_a_reason(client, alice, unit_a):
    report = make_report(unit_a, sections=good_sections() | {"problems": "公开的及时性还不够，个别栏目更新慢。"})
    client.force_login(alice)
    url = reverse("reports:annual-finding", args=[report.pk])
    key = "section_five_vague:section.problems"
    page = client.post(url, {"key": key, "decision": "dismissed", "reason": ""}, follow=True).content.decode()
    assert "排除检查意见时请写明理由" in page
    client.post(url, {"key": key, "decision": "dismissed", "reason": "改进措施见第一部分"})
    report.refresh_from_db()
    assert report.finding_notes[key]["decision"] == "dismissed"
    page = client.get(reverse("reports:annual-detail", args=[report.pk])).content.decode()
    assert "已排除" in page and "改进措施见第一部分" in page
    page = client.post(url, {"key": "t3_balance:t3.carry_next.natural", "decision": "dismissed", "reason": "x"},
                       follow=True).content.decode()
    assert "该检查意见已不存在" in page


def test_redraft_replaces_only_what_is_accepted(client, alice, unit_a):
    report = make_report(unit_a)
    client.force_login(alice)
    page = client.get(reverse("reports:annual-redraft", args=[report.pk])).content.decode()
    assert "现在的文字" in page and "新稿" in page and good_sections()["problems"] in page
    client.post(reverse("reports:annual-redraft", args=[report.pk]),
                {"version": report.version, "accept_overview": "1", "draft_overview": "新的总体情况2026年。",
                 "draft_problems": "不应采用"})
    report.refresh_from_db()
    assert report.overview == "新的总体情况2026年。" and report.problems == good_sections()["problems"]
