"""The breakdown table as .xlsx: layout, the round trip through the importer, the download and the command."""
import datetime
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from conftest import make_item
from devtools.demo import load_directories, load_notice
from tasks.breakdown import ParsedNotice, ParsedSection, ParsedSubsection, ParsedTask
from tasks.excel import breakdown_xlsx_bytes, responsible_cell
from tasks.importers import parse_upload
from tasks.services import notice_to_parsed

HEADER = ["序号", "工作任务", "工作要求", "牵头单位", "责任单位", "时限"]


def small_notice() -> ParsedNotice:
    task = ParsedTask(number=1, title="推进决策公开", requirement="公开重大行政决策事项目录。\n10月底前完成。",
                      lead_units=["区政府办"], responsible_units=["区直各有关单位"], cooperating_units=["区司法局"],
                      deadline_text="10月底前", deadline=datetime.date(2026, 10, 31))
    return ParsedNotice(
        doc_number="测政办〔2026〕9号", year=2026, issuer="测试区人民政府办公室", issue_date=datetime.date(2026, 3, 2),
        title="测试区人民政府办公室关于印发2026年政务公开工作主要任务分解表的通知",
        sections=[ParsedSection("一", "加强决策公开", tasks=[task]),
                  ParsedSection("二", "加强解读回应", subsections=[ParsedSubsection("一", "做好政策解读", tasks=[
                      ParsedTask(number=2, requirement="解读材料与文件同步发布。", responsible_units=["十街镇"],
                                 deadline_text="持续推进")])])])


def test_the_issued_layout():
    sheet = load_workbook(io.BytesIO(breakdown_xlsx_bytes(small_notice()))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [v[0] for v in values[:4]] == ["测政办〔2026〕9号", small_notice().title, "测试区人民政府办公室", "2026年3月2日"]
    assert values[4] == HEADER
    assert values[5][0] == "一、加强决策公开"
    assert values[6] == [1, "推进决策公开", "公开重大行政决策事项目录。\n10月底前完成。", "区政府办",
                         "区直各有关单位\n配合单位：区司法局", "10月底前"]
    assert values[7][0] == "二、加强解读回应" and values[8][0] == "（一）做好政策解读"
    assert values[9] == [2, None, "解读材料与文件同步发布。", None, "十街镇", "持续推进"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:F1", "A2:F2", "A6:F6", "A8:F8", "A9:F9"} <= merged
    assert sheet.print_title_rows == "$5:$5"
    assert sheet.freeze_panes == "A6"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    for cell in list(sheet[5]) + list(sheet[7]) + [sheet["A6"]]:  # header, item, merged section row
        assert cell.border.left.style == cell.border.bottom.style == "thin", cell.coordinate
    assert sheet["C7"].alignment.wrap_text and sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width
    assert sheet.row_dimensions[7].height >= 2 * 14.5  # two lines of requirement


@pytest.mark.parametrize("responsible, cooperating, written", [
    (["区教育局", "区财政局"], ["区发改局"], "区教育局、区财政局负责，区发改局配合"),
    ([], ["各街道办", "区直各部门"], "各街道办、区直各部门配合"),
    ([], ["市直各有关单位"], "配合单位：市直各有关单位"),   # "…单位配合" would read back as "市直各有关"
    (["区直各有关单位"], ["区发改局"], "区直各有关单位\n配合单位：区发改局"),
])
def test_cooperating_units_are_written_so_they_read_back(responsible, cooperating, written):
    assert responsible_cell(responsible, cooperating) == written


def test_a_built_notice_reads_back_unchanged():
    parsed = small_notice()
    assert parse_upload("表.xlsx", breakdown_xlsx_bytes(parsed)).notice.to_json() == parsed.to_json()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["gulou2022", "licheng2018", "huli2022", "fuzhou2021"])
def test_round_trip_of_the_demo_notices(key):
    load_directories()
    notice, _ = load_notice(key)
    expected = notice_to_parsed(notice).to_json()
    result = parse_upload("导出.xlsx", breakdown_xlsx_bytes(notice_to_parsed(notice)))
    assert result.notice.to_json() == expected
    assert not [w for w in result.warnings if w.kind in ("number_duplicate", "deadline_unparsed")]


def test_the_download_is_scoped_and_named(client, office, alice, charlie, ledger, notice):
    url = reverse("tasks:notice-export-xlsx", args=[notice.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(office)
    response = client.get(url)
    assert response.status_code == 200
    assert "filename*=utf-8''%E6%B5%8B%E6%94%BF%E5%8A%9E" in response["Content-Disposition"]  # 测政办…
    assert response["Content-Disposition"].endswith("%E4%BB%BB%E5%8A%A1%E5%88%86%E8%A7%A3%E8%A1%A8.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)] == [1, 2]
    assert AuditEvent.objects.filter(action="export", object_id=str(notice.pk)).exists()
    # Unit A is named in item 1 only: it gets that item, with a note saying so.
    client.force_login(alice)
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows if isinstance(row[0], int)] == [1]
    assert "（仅含本单位涉及的 1 项任务）" in [row[0] for row in rows]
    assert client.post(url).status_code == 405


def test_other_units_notice_is_a_404(client, alice, unit_b):
    from conftest import make_notice

    other = make_notice(doc_number="测政办〔2026〕2号")
    make_item(other, 1, responsible=["区教育局"])
    client.force_login(alice)
    assert client.get(reverse("tasks:notice-export-xlsx", args=[other.pk])).status_code == 404


def test_the_notice_page_offers_the_download(client, office, ledger, notice):
    client.force_login(office)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert reverse("tasks:notice-export-xlsx", args=[notice.pk]) in page and "导出Excel" in page


def test_the_command_writes_the_workbook(tmp_path, ledger, notice, capsys):
    notice.issue_date = datetime.date(2026, 3, 2)  # the issuer reads back with the date line under it
    notice.save()
    out = tmp_path / "表.xlsx"
    call_command("export_breakdown", "测政办〔2026〕1号", "--output", str(out))
    assert "已导出“测政办〔2026〕1号”的任务分解表（2 项任务）" in capsys.readouterr().out
    assert parse_upload("表.xlsx", out.read_bytes()).notice.to_json() == notice_to_parsed(notice).to_json()


def test_the_command_refuses_an_unknown_notice(tmp_path, capsys, db):
    with pytest.raises(SystemExit) as exc:
        call_command("export_breakdown", "测政办〔2030〕1号", "--output", str(tmp_path / "x.xlsx"))
    assert exc.value.code == 1
    assert capsys.readouterr().err.strip() == "找不到文号为“测政办〔2030〕1号”的通知。"
    assert not (tmp_path / "x.xlsx").exists()


def test_a_bad_doc_number_ends_with_status_1_and_one_chinese_line(tmp_path):
    result = subprocess.run([sys.executable, "manage.py", "export_breakdown", "第46号", "--output",
                             str(tmp_path / "x.xlsx")], cwd=settings.BASE_DIR, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "DJANGO_SETTINGS_MODULE": "govopen.settings_test"})
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "文号" in line and "Traceback" not in result.stderr
