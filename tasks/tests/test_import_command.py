"""manage.py import_breakdown: --json, --dry-run, a real import, and bad files (exit 1, one Chinese line)."""
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from docx import Document

from tasks.models import Assignment, Item, Notice
from units.models import Alias

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "notices"


def docx_bytes() -> bytes:
    document = Document()
    for line in ["测政办〔2026〕9号", "测试区人民政府办公室关于印发2026年政务公开工作主要任务分解表的通知"]:
        document.add_paragraph(line)
    rows = [["序号", "工作任务", "工作要求", "牵头单位", "责任单位", "时限"],
            ["一、推进决策公开", "", "", "", "", ""],
            ["1", "目录公开", "公开重大行政决策事项目录。", "区发改局", "区教育局", "10月底前"],
            ["2", "", "解读材料同步发布。", "", "区教育局牵头，区发改局配合", "持续推进"]]
    table = document.add_table(rows=len(rows), cols=6)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(1, 5)).text = rows[1][0]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX_EXPECTED = {
    "doc_number": "测政办〔2026〕9号", "year": 2026, "issuer": "测试区人民政府办公室", "issue_date": None,
    "title": "测试区人民政府办公室关于印发2026年政务公开工作主要任务分解表的通知",
    "sections": [{"number": "一", "title": "推进决策公开", "subsections": [], "tasks": [
        {"number": 1, "title": "目录公开", "requirement": "公开重大行政决策事项目录。", "lead_units": ["区发改局"],
         "responsible_units": ["区教育局"], "cooperating_units": [], "deadline_text": "10月底前",
         "deadline": "2026-10-31"},
        {"number": 2, "title": "", "requirement": "解读材料同步发布。", "lead_units": ["区教育局"],
         "responsible_units": [], "cooperating_units": ["区发改局"], "deadline_text": "持续推进", "deadline": None}]}],
}


def run(*args) -> subprocess.CompletedProcess:
    """The command as a person runs it: a real process, so the exit status and stderr are what they see."""
    return subprocess.run([sys.executable, "manage.py", "import_breakdown", *map(str, args)], cwd=settings.BASE_DIR,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "govopen.settings_test"})


def test_json_of_a_seed_text_is_the_fixture_shape(tmp_path):
    result = run(SEEDS / "huli2022_taskbreakdown.txt", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads((FIXTURES / "huli2022.json").read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_json_of_a_built_docx_prints_only_the_notice_and_saves_nothing(tmp_path, capsys):
    path = tmp_path / "分解表.docx"
    path.write_bytes(docx_bytes())
    call_command("import_breakdown", str(path), "--json")
    assert json.loads(capsys.readouterr().out) == DOCX_EXPECTED  # stdout holds nothing else
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_dry_run_checks_everything_and_saves_nothing(tmp_path, capsys, unit_a, unit_b):
    path = tmp_path / "分解表.docx"
    path.write_bytes(docx_bytes())
    call_command("import_breakdown", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "试运行：可以导入“测政办〔2026〕9号”（4 条台账），未保存任何内容。" in out
    assert (Notice.objects.count(), Item.objects.count(), Assignment.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_a_real_import_creates_the_notice_and_its_ledger(tmp_path, capsys, unit_a, unit_b):
    path = tmp_path / "分解表.docx"
    path.write_bytes(docx_bytes())
    call_command("import_breakdown", str(path))
    assert "已导入“测政办〔2026〕9号”：2 项任务，4 条台账。" in capsys.readouterr().out
    notice = Notice.objects.get(doc_number="测政办〔2026〕9号")
    assert notice.work_year == 2026 and notice.sections.get().heading == "一、推进决策公开"
    rows = {(a.item_number, a.unit.short_name, a.role) for a in notice.assignments.select_related("unit")}
    assert rows == {(1, "区发改局", "lead"), (1, "区教育局", "responsible"), (2, "区教育局", "lead"),
                    (2, "区发改局", "cooperating")}
    # A second import of the same 文号 prints the diff (none here), is refused without --update, changes nothing.
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        call_command("import_breakdown", str(path))
    assert exc.value.code == 1
    out = capsys.readouterr()
    assert "文号“测政办〔2026〕9号”的通知已存在：新增 0 项，修改 0 项，删除 0 项" in out.out and "未变 2 项。" in out.out
    assert out.err.strip().endswith("文号“测政办〔2026〕9号”的通知已存在，未保存任何内容；如要按此表更新该通知，请加 --update")
    assert Notice.objects.count() == 1 and Item.objects.count() == 2


@pytest.mark.django_db
def test_unknown_units_are_listed_in_one_line_and_nothing_is_saved(tmp_path, capsys, unit_a):
    path = tmp_path / "分解表.docx"
    path.write_bytes(docx_bytes())
    with pytest.raises(SystemExit):
        call_command("import_breakdown", str(path))
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("以下单位名称在单位名录中找不到：区教育局。")
    assert not Notice.objects.exists() and not Alias.objects.exists()


def bomb_bytes() -> bytes:
    """A workbook-shaped zip whose one entry inflates to 120 MB of zeros (about 120 KB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(120):
                entry.write(bytes(1024 * 1024))
    return buffer.getvalue()


BAD_FILES = [
    ("空.docx", b"", "文件为空，请重新选择文件"),
    ("改名.docx", "序号\t工作任务".encode(), "文件内容与扩展名不符"),
    ("加密.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "文件已加密"),
    ("损坏.xlsx", b"PK\x03\x04" + b"\x00garbage" * 40, "文件已损坏"),
    ("炸弹.xlsx", bomb_bytes(), "疑似压缩炸弹"),
    ("图片.png", b"\x89PNG\r\n", "不支持的文件类型"),
]


@pytest.mark.parametrize("name, data, message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_end_with_status_1_and_one_chinese_line(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    started = time.monotonic()
    result = run(path)
    assert time.monotonic() - started < 20
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"无法导入“{name}”：") and message in line
    assert "Traceback" not in result.stderr


def test_a_missing_or_oversized_file(tmp_path):
    big = tmp_path / "大.xlsx"
    with big.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)  # sparse: refused by its size before a byte is read
    for path, message in [(tmp_path / "没有.docx", "找不到文件"), (big, "文件过大（11.0 MB），上限为 10.0 MB")]:
        result = run(path)
        assert result.returncode == 1
        assert message in result.stderr.strip() and len(result.stderr.strip().splitlines()) == 1


GUESSED_TEXT = ("编码\t事项说明\t承担\t节点\n"
                "1\t全面公开财政预决算，细化到功能分类项级科目。\t区发改局\t9月底前\n"
                "2\t做好政府信息公开工作年度报告编制发布工作。\t区教育局\t持续推进\n")


def test_guessed_columns_are_printed_as_a_hint_with_the_columns_option(db, tmp_path, capsys):
    path = tmp_path / "表.txt"
    path.write_text(GUESSED_TEXT, encoding="utf-8")
    call_command("import_breakdown", str(path), "--json", "--year", "2026")
    captured = capsys.readouterr()
    assert '提示：部分列按内容识别，识别结果为 --columns "序号,工作要求,责任单位,时限"' in captured.err
    tasks = json.loads(captured.out)["sections"][0]["tasks"]
    assert [(t["number"], t["responsible_units"], t["deadline"]) for t in tasks] == [
        (1, ["区发改局"], "2026-09-30"), (2, ["区教育局"], None)]


def test_the_columns_option_sets_each_column(tmp_path, capsys):
    path = tmp_path / "表.txt"
    path.write_text(GUESSED_TEXT, encoding="utf-8")
    call_command("import_breakdown", str(path), "--json", "--columns", "序号,工作要求,牵头单位,时限")
    captured = capsys.readouterr()
    assert "部分列按内容识别" not in captured.err
    assert [t["lead_units"] for t in json.loads(captured.out)["sections"][0]["tasks"]] == [["区发改局"], ["区教育局"]]


def test_a_bad_columns_option_is_one_chinese_line(tmp_path, capsys):
    path = tmp_path / "表.txt"
    path.write_text(GUESSED_TEXT, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        call_command("import_breakdown", str(path), "--json", "--columns", "序号,内容啊,牵头单位")
    assert exc.value.code == 1
    err = capsys.readouterr().err.strip()
    assert "列名“内容啊”无法识别" in err and "\n" not in err and "Traceback" not in err


def test_a_failed_import_is_in_the_audit_trail(tmp_path, db):
    """A refused command-line import leaves one row (issue 16): who (the system), what file, why."""
    from audit.models import AuditEvent

    path = tmp_path / "损坏.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 40)
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_breakdown", str(path))
    assert exit_info.value.code == 1
    row = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert not row.success and row.object_label == "损坏.xlsx" and row.actor_name == "系统"
    assert row.message.startswith("命令行导入失败：无法导入“损坏.xlsx”：") and "文件已损坏" in row.message
