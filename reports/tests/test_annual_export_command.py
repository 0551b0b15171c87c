"""export_annual_report and the Excel download: unit by name or alias, clear errors, checks first."""
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from reports.tests.annual_samples import good_figures
from reports.tests.test_annual_views import make_report
from units.models import Alias

pytestmark = pytest.mark.django_db


def export(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("export_annual_report", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", ["区发改局", "测试区发展和改革局", "发改局"])
def test_exports_by_short_name_full_name_or_alias(tmp_path, unit_a, name):
    Alias.objects.create(government=unit_a.government, text="发改局", unit=unit_a)
    report = make_report(unit_a)
    path = tmp_path / "out.xlsx"
    code, out, err = export("--year", "2026", "--unit", name, "--output", str(path))
    assert (code, err) == (0, "")
    assert out.strip() == f"已导出{report.title}：{path}"
    ws = load_workbook(path)["三、收到和处理政府信息公开申请情况"]
    assert ws["D7"].value == 40 and "A4:C6" in {str(r) for r in ws.merged_cells.ranges}


def test_the_government_report_by_its_name(tmp_path, db):
    make_report(None)
    code, out, _ = export("--year", "2026", "--unit", "测试区人民政府", "--output", str(tmp_path / "gov.xlsx"))
    assert code == 0 and "测试区人民政府2026年政府信息公开工作年度报告" in out


@pytest.mark.parametrize("args, message", [
    (["--year", "2026", "--unit", "不存在局"], "未找到单位“不存在局”，请使用单位简称、全称或别名。"),
    (["--year", "2025", "--unit", "区发改局"], "测试区发展和改革局没有2025年的政府信息公开工作年度报告。"),
    (["--year", "二〇二六", "--unit", "区发改局"], "年度“二〇二六”无效，请填写四位数字年份，如 2026。"),
])
def test_unknown_unit_or_year_is_one_chinese_line(tmp_path, unit_a, args, message):
    make_report(unit_a)
    code, out, err = export(*args, "--output", str(tmp_path / "x.xlsx"))
    assert code == 1 and out == ""
    assert err.strip() == message
    assert not (tmp_path / "x.xlsx").exists()


def test_a_report_failing_its_checks_is_not_written_unless_forced(tmp_path, unit_a):
    make_report(unit_a, figures=good_figures() | {"t3.carry_next.other": 0})
    path = tmp_path / "x.xlsx"
    code, _, err = export("--year", "2026", "--unit", "区发改局", "--output", str(path))
    assert code == 1 and not path.exists()
    assert "表三“其他”列：一（4）+ 二（0）= 4，而三（七）总计（3）+ 四（0）= 3" in err and "还有2处错误，未导出" in err
    code, _, _ = export("--year", "2026", "--unit", "区发改局", "--output", str(path), "--force")
    assert code == 0 and path.exists()


def test_excel_download_is_scoped_and_in_the_official_layout(client, alice, charlie, unit_a):
    report = make_report(unit_a)
    client.force_login(charlie)
    assert client.get(reverse("reports:annual-export-xlsx", args=[report.pk])).status_code == 404
    client.force_login(alice)
    response = client.get(reverse("reports:annual-export-xlsx", args=[report.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames[0] == "一、总体情况" and wb["一、总体情况"]["A1"].value == report.title
    assert wb["四、政府信息公开行政复议、行政诉讼情况"]["E5"].value == 4
