"""The import preview's checks (issue 11): the column-mapping row and its re-preview, remembered per header
word; one choice for every item without a deadline; hints naming row and column; re-import with a diff."""
import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from tasks.models import Assignment, ColumnChoice, Item, Notice
from tasks.services import progress_record
from tasks.tests.test_import_views import docx_bytes, upload

START, PREVIEW, CONFIRM, COLUMNS = (reverse(f"tasks:import-{n}") for n in ("start", "preview", "confirm", "columns"))
DOC = "测政办〔2026〕9号"
ROWS = [
    ["序号", "工作要求", "主抓", "协调", "时限"],
    ["1", "公开重大行政决策事项目录，及时更新。", "区发改局", "区教育局", "10月底前"],
    ["2", "集中公开档案目录，方便", "区教育局", "", ""],        # split over a page break:
    ["", "查阅，并在网站专栏同步更新。", "", "", ""],             # the continuation row is joined into item 2                       # continuation row: joined into item 2
    ["3", "做好基层政务公开。", "", "", ""],                          # no units, no deadline
]


def meta(client, **extra):
    data = {"token": client.session["tasks_import_draft"]["token"], "doc_number": DOC, "title": "关于印发分解表的通知",
            "issuer": "", "issue_date": "2026-03-02", "work_year": "2026", "report_back_date": "2026-12-10"}
    data.update(extra)
    return data


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def previewed(client, office, unit_a, unit_b):
    client.force_login(office)
    assert upload(client, docx_bytes(ROWS))["Location"] == PREVIEW
    return client.get(PREVIEW).content.decode()


def test_the_preview_shows_the_column_row_with_guessed_columns_marked(previewed):
    page = previewed
    assert "各列的含义" in page and "2 列按内容识别，请核对" in page
    cells = re.findall(r'<div class="column-map-cell( guessed)?">(.*?)</div>\s*<select name="col(\d)"', page, re.S)
    assert [(bool(g), text_of(h).strip(), i) for g, h, i in cells] == [
        (False, "第1列：序号", "0"), (False, "第2列：工作要求", "1"), (True, "第3列：主抓", "2"),
        (True, "第4列：协调", "3"), (False, "第5列：时限", "4")]
    selected = re.findall(r'<select name="col(\d)".*?<option value="(\w+)" selected>(\S+?)</option>', page, re.S)
    assert selected == [("0", "number", "序号"), ("1", "requirement", "工作要求"), ("2", "lead", "牵头单位"),
                        ("3", "responsible", "责任单位"), ("4", "deadline", "时限")]
    for label in ("序号", "工作任务", "工作要求", "牵头单位", "责任单位", "配合单位", "时限", "备注", "忽略"):
        assert f">{label}</option>" in page


def test_hints_name_row_and_column_grouped_by_what_they_flag(previewed):
    page = text_of(previewed)
    assert "按内容识别的列（2） 第1行第3列：表头“主抓”，按内容识别为“牵头单位”" in page
    assert "第1行第4列：表头“协调”，按内容识别为“责任单位”" in page
    assert "没有时限的事项（2）" in page and "第3行第5列（时限）：第2项任务没有时限" in page
    assert "第5行第5列（时限）：第3项任务没有时限" in page
    assert "没有单位的事项（1） 第5行：第3项任务没有填写牵头单位或责任单位" in page
    assert "已并入上一项的续行（1） 第4行：编号为空的续行已并入第2项任务" in page
    assert "2 项任务没有时限：请为它们一次选定" in page
    for label in ("按报送截止日期", "年底前（12月31日）", "持续推进（不设完成日期）"):
        assert label in page


def test_a_changed_mapping_re_previews_and_is_remembered_on_confirm(client, previewed, unit_a, unit_b):
    token = client.session["tasks_import_draft"]["token"]
    mapping = {"token": token, "col0": "number", "col1": "requirement", "col2": "lead", "col3": "cooperating",
               "col4": "deadline"}
    response = client.post(COLUMNS, mapping)
    assert response["Location"] == PREVIEW
    page = client.get(PREVIEW).content.decode()
    assert "已按您指定的列重新识别" in page
    assert re.search(r'<select name="col3".*?<option value="cooperating" selected>配合单位</option>', page, re.S)
    assert "配合：" in page  # 区教育局 now shown as 配合 in the preview table
    assert ColumnChoice.objects.count() == 0  # nothing saved before confirm
    response = client.post(CONFIRM, meta(client))
    notice = Notice.objects.get(doc_number=DOC)
    assert response["Location"] == notice.get_absolute_url()
    assert ColumnChoice.objects.mapping() == {"主抓": "lead", "协调": "cooperating"}
    row = notice.assignments.get(item__number=1, unit=unit_b)
    assert row.role == Assignment.Role.COOPERATING

    # The next import of a table with the same header words uses the remembered choice, no longer guessed.
    Notice.objects.all().delete()
    upload(client, docx_bytes(ROWS))
    page = client.get(PREVIEW).content.decode()
    assert "按内容识别，请核对" not in page and page.count("按已记住的对应") == 2
    assert re.search(r'<select name="col3".*?<option value="cooperating" selected>配合单位</option>', page, re.S)


def test_import_breakdown_uses_the_remembered_choice(tmp_path, unit_a, unit_b, capsys):
    ColumnChoice.objects.create(header="协调", role="cooperating")
    path = tmp_path / "表.docx"
    path.write_bytes(docx_bytes(ROWS))
    call_command("import_breakdown", str(path), "--json")
    out = capsys.readouterr()
    first = json.loads(out.out)["sections"][0]["tasks"][0]
    assert (first["lead_units"], first["cooperating_units"]) == (["区发改局"], ["区教育局"])
    assert "第1行第4列" not in out.err and "第1行第3列：表头“主抓”" in out.err


@pytest.mark.parametrize("choice, text, deadline, ongoing", [
    ("report_back", "", None, False), ("year_end", "年底前", datetime.date(2026, 12, 31), False),
    ("ongoing", "持续推进", None, True)])
def test_one_choice_for_every_item_without_a_deadline(client, previewed, unit_a, unit_b, choice, text, deadline,
                                                     ongoing):
    client.post(CONFIRM, meta(client, missing_deadline=choice))
    notice = Notice.objects.get(doc_number=DOC)
    item = notice.items.get(number=2)
    assert (item.deadline_text, item.deadline, item.is_ongoing) == (text, deadline, ongoing)
    row = item.assignments.get()
    assert row.due_date == (datetime.date(2026, 12, 10) if choice == "report_back" else deadline)
    assert notice.items.get(number=1).deadline == datetime.date(2026, 10, 31)  # items with a deadline untouched


def reimport_rows():
    return [ROWS[0],
            ["1", "公开重大行政决策事项目录，及时更新。", "区发改局", "区教育局", "11月底前"],
            ["2", "新增：公开政府开放日安排。", "区教育局", "", "9月底前"]]


def test_reimport_shows_the_diff_and_updates_only_when_ticked(client, previewed, unit_a, unit_b):
    client.post(CONFIRM, meta(client))
    notice = Notice.objects.get(doc_number=DOC)
    done = notice.assignments.get(item__number=2, unit=unit_b)
    progress_record(assignment=done, author=None, text="已公开。", status=Assignment.Status.DONE,
                    reported_on=datetime.date(2026, 5, 1))
    upload(client, docx_bytes(reimport_rows()))
    page = text_of(client.get(PREVIEW).content.decode())
    assert f"文号“{DOC}”的通知已存在：与已保存的分解表相比" in page
    assert "新增 1 项，修改 1 项，删除 2 项（其中 1 项已有落实情况，保留并标记为撤销），未变 0 项。" in page
    assert "修改 第1项：时限、完成日期有变化" in page
    assert "撤销 第2项：新表中已没有“集中公开档案目录，方便查阅，并在网站专栏同步更新。”，已有落实情况，将保留并标记为撤销" in page
    assert "删除 第3项：新表中已没有“做好基层政务公开。”，将删除" in page
    assert "新增 第2项：新增“新增：公开政府开放日安排。”" in page
    assert "按新表更新已有通知" in page

    before = list(Item.objects.values_list("pk", "number", "deadline_text", "withdrawn_on"))
    page = text_of(client.post(CONFIRM, meta(client)).content.decode())
    assert "已存在，不能重复导入；如要按新表更新该通知" in page
    assert list(Item.objects.values_list("pk", "number", "deadline_text", "withdrawn_on")) == before

    response = client.post(CONFIRM, meta(client, update_existing="on"))
    assert response["Location"] == notice.get_absolute_url()
    page = text_of(client.get(notice.get_absolute_url()).content.decode())
    assert f"已按新表更新“{DOC}”：新增 1 项，修改 1 项，删除 2 项（其中 1 项已有落实情况，保留为撤销）。" in page
    assert "共 2 项，另有已撤销 1 项" in page and "已撤销" in page
    done.refresh_from_db()
    assert done.is_withdrawn and done.status == Assignment.Status.DONE and done.reports.count() == 1
    assert notice.items.get(number=1, withdrawn_on__isnull=True).deadline_text == "11月底前"
    ledger = text_of(client.get(reverse("tasks:ledger")).content.decode())
    assert "已撤销 已完成" in ledger


def test_import_breakdown_on_a_stored_doc_number_prints_the_diff_and_updates_only_with_update(
        tmp_path, unit_a, unit_b, capsys):
    ColumnChoice.objects.create(header="协调", role="cooperating")
    first, second = tmp_path / "一.docx", tmp_path / "二.docx"
    first.write_bytes(docx_bytes(ROWS))
    second.write_bytes(docx_bytes(reimport_rows()))
    call_command("import_breakdown", str(first))
    notice = Notice.objects.get(doc_number=DOC)
    done = notice.assignments.get(item__number=2, unit=unit_b)
    progress_record(assignment=done, author=None, text="已公开。", status=Assignment.Status.DONE,
                    reported_on=datetime.date(2026, 5, 1))
    capsys.readouterr()
    before = list(Item.objects.values_list("pk", "number", "deadline_text", "withdrawn_on"))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_breakdown", str(second))
    out = capsys.readouterr()
    assert exit_info.value.code == 1
    assert (f"文号“{DOC}”的通知已存在：新增 1 项，修改 1 项，删除 2 项（其中 1 项已有落实情况，保留为撤销），未变 0 项。"
            in out.out)
    assert "第1项：时限、完成日期有变化" in out.out and "第2项：新增“新增：公开政府开放日安排。”" in out.out
    assert out.err.strip().endswith(f"文号“{DOC}”的通知已存在，未保存任何内容；如要按此表更新该通知，请加 --update")
    assert list(Item.objects.values_list("pk", "number", "deadline_text", "withdrawn_on")) == before

    call_command("import_breakdown", str(second), "--update", "--dry-run")
    assert "试运行：可以按此表更新" in capsys.readouterr().out
    assert list(Item.objects.values_list("pk", "number", "deadline_text", "withdrawn_on")) == before

    call_command("import_breakdown", str(second), "--update")
    assert f"已更新“{DOC}”：新增 1 项，修改 1 项，删除 2 项（其中 1 项已有落实情况，保留为撤销）。" in capsys.readouterr().out
    done.refresh_from_db()
    assert done.is_withdrawn and done.reports.count() == 1
    assert sorted(notice.items.filter(withdrawn_on__isnull=True).values_list("number", "deadline_text")) == [
        (1, "11月底前"), (2, "9月底前")]


def test_the_kept_source_goes_on_confirm_and_abandoned_ones_expire(client, office, unit_a, unit_b, settings,
                                                                  tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from tasks.views.import_checks import sources_expire

    settings.MEDIA_ROOT = tmp_path
    client.force_login(office)
    upload(client, docx_bytes(ROWS))
    path = client.session["tasks_import_draft"]["source_path"]
    assert (tmp_path / path).exists()
    client.post(CONFIRM, meta(client))
    assert not default_storage.exists(path)
    old = default_storage.save("import-drafts/old.bin", ContentFile(b"x"))
    assert sources_expire(now=timezone.now() + datetime.timedelta(days=1)) == 0
    assert sources_expire(now=timezone.now() + datetime.timedelta(days=3)) == 1
    assert not default_storage.exists(old)
