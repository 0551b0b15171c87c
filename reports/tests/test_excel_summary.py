"""The summary workbook, downloaded and exported, reopened with openpyxl."""
import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import home_government
from reports.models import AnnualSummaryText, LeadSummary
from reports.tests.summary_data import build_year, freeze_views_today


@pytest.fixture
def year(unit_a, unit_b, street, monkeypatch):
    freeze_views_today(monkeypatch)
    return build_year(unit_a, unit_b, street)


def download(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("reports:summary-export"), params or {"year": 2026})
    assert response.status_code == 200
    return response, openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def values(ws):
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_sheets_headers_layout_and_print_setup(client, office, year):
    response, wb = download(client, office)
    assert "2026%E5%B9%B4%E8%90%BD%E5%AE%9E%E6%83%85%E5%86%B5%E6%B1%87%E6%80%BB.xlsx" in response["Content-Disposition"]
    assert wb.sheetnames == ["落实情况汇总", "单位统计", "逾期清单", "年报文字"]
    ws = wb["落实情况汇总"]
    rows = values(ws)
    assert rows[0][0] == "2026年政务公开工作主要任务落实情况汇总表"
    assert rows[1][0] == "统计范围：全部通知\u3000\u3000统计截至：2026年11月23日"
    assert rows[2] == ["序号", "工作任务", "牵头单位", "责任单位", "时限", "完成状态", "完成日期", "落实情况", "备注"]
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:I1", "A2:I2", "A4:I4", "A7:I7"}
    assert rows[3][0] == "一、加强涉及市场主体的信息公开" and rows[6][0] == "二、推进政务公开平台规范化"
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws["H5"].alignment.wrap_text and ws["H5"].border.left.style == "thin"
    assert ws["C3"].font.name == "黑体" and ws["B5"].font.name == "宋体"
    assert ws.column_dimensions["H"].width > ws.column_dimensions["C"].width


def test_item_rows_hold_numbers_dates_and_not_reported_units(client, office, year):
    _, wb = download(client, office)
    rows = values(wb["落实情况汇总"])
    item1, item3 = rows[4], rows[7]
    assert item1[0] == 1 and isinstance(item1[0], int)
    assert item1[5] == "已完成" and item1[6] == datetime.datetime(2026, 7, 10)
    assert wb["落实情况汇总"]["G5"].number_format == 'yyyy"年"m"月"d"日"'
    assert item3[:6] == [3, "第3项工作要求：做好相关信息公开。", None, "区发改局、区教育局、东街街道", "9月底前", "已逾期"]
    assert item3[7] == "区发改局：发改局平台已整改。\n区教育局：未报送\n东街街道：不涉及：本街道无平台"


def test_lead_summary_and_saved_annual_text_are_used(client, office, year):
    LeadSummary.objects.create(item=year["item1"], text="牵头汇总的文字", written_on=datetime.date(2026, 11, 1))
    AnnualSummaryText.objects.create(government=home_government(), year=2026, text="第一段年报文字。\n第二段年报文字。")
    _, wb = download(client, office)
    assert values(wb["落实情况汇总"])[4][7] == "牵头汇总的文字"
    text = values(wb["年报文字"])
    assert text[0][0] == "2026年政务公开工作任务落实情况（年报文字）"
    assert [r[0] for r in text[1:]] == ["\u3000\u3000第一段年报文字。", "\u3000\u3000第二段年报文字。"]


def test_unit_statistics_and_overdue_sheets(client, office, year):
    _, wb = download(client, office)
    stats = values(wb["单位统计"])
    assert stats[2] == ["序号", "名称", "分配", "已完成", "按期完成", "逾期完成", "逾期未完成", "不涉及", "未报送",
                        "按期完成率", "逾期占比", "平均完成天数"]
    assert stats[3][0] == "按单位统计（台账行）"
    assert stats[4] == [1, "区发改局", 2, 2, 2, 0, 0, 0, 0, 1, 0, 147.5]
    assert stats[5][:9] == [2, "区教育局", 3, 1, 0, 1, 1, 0, 1] and stats[5][10] == pytest.approx(2 / 3)
    assert stats[6][9] is None  # 东街街道: nothing applicable, no rate
    assert stats[7][1:4] == ["合计", 7, 3]
    assert wb["单位统计"]["J5"].number_format == "0.0%"
    overdue = values(wb["逾期清单"])
    assert overdue[2][:4] == ["序号", "通知文号", "事项序号", "工作任务"]
    assert overdue[3][:3] == [1, "测政办〔2026〕1号", 3] and overdue[3][4] == "区教育局" and overdue[3][8] == 34  # working days
    assert overdue[3][7] == datetime.datetime(2026, 9, 30)
    assert len(overdue) == 4


def test_a_units_export_holds_only_its_rows(client, charlie, year):
    response, wb = download(client, charlie)
    assert "%E5%8C%BA%E6%95%99%E8%82%B2%E5%B1%80" in response["Content-Disposition"]  # 区教育局 in the name
    rows = values(wb["落实情况汇总"])
    assert [r[0] for r in rows[4:] if isinstance(r[0], int)] == [1, 2, 3]
    text = "\n".join(str(r[7]) for r in rows[3:] if r[7])
    assert "发改局" not in text and "东街街道" not in text
    assert [r[1] for r in values(wb["单位统计"])[4:5]] == ["区教育局"]
    assert "区教育局可见范围" in rows[1][0]


def test_one_notice_only(client, office, year):
    from conftest import make_item, make_notice
    other = make_notice(doc_number="测政办〔2026〕9号", year=2026)
    make_item(other, 1, responsible=["区发改局"], deadline=datetime.date(2026, 12, 31))
    response, wb = download(client, office, year=2026, notice=other.pk)
    rows = values(wb["落实情况汇总"])
    assert "测政办〔2026〕9号" in rows[1][0] and [r[0] for r in rows[3:]] == [1]


def test_command_writes_the_workbook(tmp_path, year, capsys):
    path = tmp_path / "汇总.xlsx"
    call_command("export_summary", "--year", "2026", "--notice", "测政办〔2026〕1号", "--output", str(path))
    assert "已导出2026年落实情况汇总（测政办〔2026〕1号，4项）" in capsys.readouterr().out
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["落实情况汇总", "单位统计", "逾期清单", "年报文字"]
    assert "区教育局：未报送" in values(wb["落实情况汇总"])[7][7]


@pytest.mark.parametrize("args, message", [
    (["--year", "2019"], "2019年没有任何通知，无法导出。"),
    (["--year", "2026", "--notice", "测政办〔2026〕99号"], "没有找到文号为“测政办〔2026〕99号”的通知。"),
    (["--year", "2025", "--notice", "测政办〔2026〕1号"], "通知“测政办〔2026〕1号”属于2026年，不是2025年。"),
    (["--year", "2026", "--notice", "乱写"], "文号“乱写”无法识别"),
])
def test_command_refuses_unknown_year_or_notice(tmp_path, year, capsys, args, message):
    with pytest.raises(SystemExit) as exc:
        call_command("export_summary", *args, "--output", str(tmp_path / "x.xlsx"))
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_a_failed_export_leaves_no_file(tmp_path, year, monkeypatch):
    from reports.management.commands import export_summary

    def broken(out, **kwargs):
        out.write(b"half")
        raise RuntimeError("boom")

    monkeypatch.setattr(export_summary, "build_export", broken)
    with pytest.raises(RuntimeError):
        call_command("export_summary", "--year", "2026", "--output", str(tmp_path / "x.xlsx"))
    assert list(tmp_path.iterdir()) == []


def test_the_download_streams_the_built_file_with_its_length(client, office, year):
    """A year's workbook takes seconds to build; once built it goes out in blocks (a streaming response with its
    Content-Length), never read into memory whole."""
    client.force_login(office)
    response = client.get(reverse("reports:summary-export"), {"year": 2026})
    assert response.streaming and not hasattr(response, "content")
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body) and body[:2] == b"PK"
    assert openpyxl.load_workbook(io.BytesIO(body)).sheetnames[0] == "落实情况汇总"
