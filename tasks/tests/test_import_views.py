"""The browser import: upload → preview → answer for unknown names → confirm, all or nothing."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from audit.models import AuditEvent
from tasks.importers import MAX_UPLOAD_BYTES
from tasks.models import Assignment, Item, Notice, Section
from tasks.tests.hostile_files import HOSTILE
from tasks.tests.test_import_command import bomb_bytes
from units.models import Alias, Unit, UnitGroup

START, PREVIEW, CONFIRM = (reverse(f"tasks:import-{n}") for n in ("start", "preview", "confirm"))
HEADER = ["序号", "工作任务", "工作要求", "牵头单位", "责任单位", "时限"]
ROWS = [
    HEADER,
    ["一、推进决策公开", "", "", "", "", ""],
    ["1", "", "公开重大行政决策事项目录。", "区发改局", "教育局", "10月底前"],   # 教育局: an alias of 区教育局
    ["2", "", "集中公开档案目录。", "", "区档案馆", "年底前"],                    # a new unit
    ["3", "", "做好基层政务公开。", "区发改局", "各街镇", "持续推进"],            # a new group phrase
    ["", "", "", "", "", ""],
    ["4", "", "研究公开方式。", "", "", "尽快研究"],                              # no units, deadline unparsed
    ["备注：本表由区政府办负责解释。", "", "", "", "", ""],
]


def docx_bytes(rows=ROWS, head=("测政办〔2026〕9号", "测试区人民政府办公室关于印发2026年政务公开工作主要任务分解表的通知")):
    document = Document()
    for line in head:
        document.add_paragraph(line)
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.cell(r, c).text = value
            if values[0] and not any(values[1:]):  # a heading or note row: merged across
                table.cell(r, 0).merge(table.cell(r, len(values) - 1)).text = values[0]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(client, data=None, name="分解表.docx", **extra):
    return client.post(START, {"file": SimpleUploadedFile(name, docx_bytes() if data is None else data), **extra})


def answers(client, **overrides):
    """The confirm POST: the token from the session, the metadata, and one answer per unknown name."""
    data = {"token": client.session["tasks_import_draft"]["token"], "doc_number": "测政办〔2026〕9号",
            "title": "测试区人民政府办公室关于印发2026年政务公开工作主要任务分解表的通知", "issuer": "测试区人民政府办公室",
            "issue_date": "2026-03-02", "work_year": "2026", "report_back_date": "2026-12-10"}
    data.update(overrides)
    return data


def counts():
    return (Notice.objects.count(), Section.objects.count(), Item.objects.count(), Assignment.objects.count(),
            Unit.objects.count(), UnitGroup.objects.count(), Alias.objects.count())


def test_anonymous_is_sent_to_login_and_units_are_refused(client, alice):
    for url in (START, PREVIEW):
        assert client.get(url)["Location"].startswith(reverse("login"))
    assert client.post(CONFIRM)["Location"].startswith(reverse("login"))
    client.force_login(alice)
    assert client.get(START).status_code == 403
    assert upload(client).status_code == 403
    assert client.get(PREVIEW).status_code == 403 and client.post(CONFIRM).status_code == 403
    assert "tasks_import_draft" not in client.session


def test_the_notice_list_offers_the_import_to_the_office_only(client, office, alice):
    client.force_login(office)
    assert "导入分解表" in client.get(reverse("tasks:notice-list")).content.decode()
    client.force_login(alice)
    assert "导入分解表" not in client.get(reverse("tasks:notice-list")).content.decode()


def test_upload_preview_choose_and_confirm(client, office, unit_a, unit_b, street):
    client.force_login(office)
    page = client.get(START).content.decode()
    assert "不超过 10 MB" in page and ".docx" in page and ".xlsx" in page
    response = upload(client)
    assert response["Location"] == PREVIEW
    before = counts()
    page = client.get(PREVIEW).content.decode()
    assert counts() == before  # nothing saved by parsing or previewing
    assert "共识别 1 个部分、<strong>4</strong> 项任务" in page
    assert "有 3 个单位名称在单位名录中找不到" in page
    for text in ("教育局", "区档案馆", "各街镇"):
        assert f"<strong class=\"fs-6\">{text}</strong>" in page
    assert 'value="测政办〔2026〕9号"' in page and "一、推进决策公开" in page
    assert "未填写单位" in page and "第7行第6列（时限）：第4项任务的时限“尽快研究”无法识别" in page
    assert "第6行：空行，已跳过" in page and "第8行：备注行，已跳过" in page
    # The three answers: map to an existing unit, create a unit, mark as a group phrase.
    response = client.post(CONFIRM, answers(client, **{
        "n1-action": "map", "n1-target": f"u:{unit_b.pk}",
        "n2-action": "unit", "n2-name": "测试区档案馆", "n2-short_name": "区档案馆", "n2-kind": "department",
        "n3-action": "group", "n3-members": [str(street.pk)]}))
    notice = Notice.objects.get(doc_number="测政办〔2026〕9号")
    assert response["Location"] == notice.get_absolute_url()
    assert (notice.issue_date.isoformat(), str(notice.report_back_date), notice.created_by) == (
        "2026-03-02", "2026-12-10", office)
    archive = Unit.objects.get(short_name="区档案馆")
    group = UnitGroup.objects.get(phrase="各街镇")
    assert list(group.members.all()) == [street]
    assert Alias.objects.get(text="教育局").unit == unit_b
    rows = {(a.item_number, a.unit.short_name, a.role, a.via_group_id) for a in notice.assignments.select_related("unit")}
    assert rows == {(1, "区发改局", "lead", None), (1, "区教育局", "responsible", None),
                    (2, "区档案馆", "responsible", None), (3, "区发改局", "lead", None),
                    (3, "东街街道", "responsible", group.pk)}
    assert notice.items.get(number=4).assignments.count() == 0
    assert archive.assignments.get().due_date.isoformat() == "2026-12-31"
    assert "tasks_import_draft" not in client.session
    assert AuditEvent.objects.filter(action="import", object_id=str(notice.pk), success=True).exists()
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "已导入“测政办〔2026〕9号”：4 项任务，5 条台账；新建单位或单位组 2 个。" in page

    # The same 文号 again: the preview shows the diff at once; confirming without ticking the update
    # box refuses and nothing changes (re-import: tasks/tests/test_reimport.py).
    upload(client)
    page = client.get(PREVIEW).content.decode()
    assert "文号“测政办〔2026〕9号”的通知已存在：与已保存的分解表相比" in page and "按新表更新已有通知" in page
    before = counts()
    page = client.post(CONFIRM, answers(client)).content.decode()
    assert "文号“测政办〔2026〕9号”的通知已存在，不能重复导入；" in page and counts() == before


def test_a_failing_confirm_leaves_nothing_half_saved(client, office, unit_a, unit_b, street):
    client.force_login(office)
    upload(client)
    before = counts()
    # New unit and group are valid on their own, but the alias asked for clashes with a unit created
    # in the same transaction: the service fails after writing the unit and group, and rolls them back.
    page = client.post(CONFIRM, answers(client, **{
        "n1-action": "unit", "n1-name": "测试区档案馆", "n1-short_name": "区档案馆", "n1-kind": "department",
        "n2-action": "unit", "n2-name": "测试区档案馆二", "n2-short_name": "区档案馆", "n2-kind": "department",
        "n3-action": "group", "n3-members": [str(street.pk)]})).content.decode()
    assert "未能导入，未保存任何内容：单位“测试区档案馆”（简称“区档案馆”）已存在" in page
    assert counts() == before
    # Missing answers and metadata: Chinese messages next to the fields, nothing saved.
    page = client.post(CONFIRM, answers(client, doc_number="", title="", **{"n2-action": "map"})).content.decode()
    for message in ("请填写文号", "请填写通知标题", "请选择处理方式", "请选择“区档案馆”对应的单位或单位组。"):
        assert message in page
    assert counts() == before
    assert client.get(CONFIRM).status_code == 405


def test_a_changed_work_year_moves_relative_deadlines(client, office, unit_a, unit_b):
    client.force_login(office)
    rows = [HEADER, ["1", "", "公开目录。", "区发改局", "区教育局", "10月底前"]]
    upload(client, docx_bytes(rows, head=()))  # no 文号, no date: the preview asks for them
    page = client.get(PREVIEW).content.decode()
    assert "请填写文号" in page and "请填写工作年度" in page
    client.post(CONFIRM, answers(client, work_year="2027"))
    assert Item.objects.get().deadline.isoformat() == "2027-10-31"


def test_pasted_text_is_imported_the_same_way(client, office, unit_a, unit_b):
    client.force_login(office)
    text = "\n".join("\t".join(r) for r in [HEADER, ["1", "", "公开目录。", "区发改局", "区教育局", "9月底前"]])
    assert client.post(START, {"text": text, "work_year": "2026"})["Location"] == PREVIEW
    client.post(CONFIRM, answers(client))
    assert Item.objects.get().deadline.isoformat() == "2026-09-30"
    assert client.session.get("tasks_import_draft") is None


def test_a_stale_preview_is_not_confirmed(client, office, unit_a, unit_b):
    client.force_login(office)
    upload(client)
    response = client.post(CONFIRM, answers(client, token="0" * 32))
    assert response["Location"] == PREVIEW and not Notice.objects.exists()


BAD = [
    ("空.docx", b"", "文件为空，请重新选择文件"),
    ("改名.docx", "序号\t工作任务".encode(), "文件内容与扩展名不符：这不是有效的 .docx Word 文档"),
    ("损坏.xlsx", b"PK\x03\x04" + b"\x00garbage" * 40, "文件已损坏（压缩包无法打开），无法读取"),
    ("加密.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "文件已加密（设置了打开密码）"),
    ("无表格.docx", docx_bytes(rows=None), "文档中没有找到表格"),
    ("无表头.docx", docx_bytes(rows=[["甲", "乙"], ["丙", "丁"]]), "未找到表头"),
    ("无事项.docx", docx_bytes(rows=[HEADER, ["", "", "", "", "", ""]]), "表格中没有识别到任何工作任务"),
    ("炸弹.xlsx", bomb_bytes(), "疑似压缩炸弹"),
    ("旧版.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "文件内容与扩展名不符：这不是有效的 .doc"),
    *[(name, data, message) for name, data, message in HOSTILE[:2] + HOSTILE[4:6]],
]


@pytest.mark.parametrize("name, data, message", BAD, ids=[b[0] for b in BAD])
def test_bad_files_show_their_chinese_message_and_save_nothing(client, office, name, data, message):
    client.force_login(office)
    before = counts()
    response = upload(client, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before and "tasks_import_draft" not in client.session
    assert AuditEvent.objects.filter(action="import", success=False, object_label=name).exists()


def test_an_oversized_upload_is_refused_by_its_size(client, office):
    client.force_login(office)
    page = upload(client, b"PK\x03\x04" + bytes(MAX_UPLOAD_BYTES), "大.xlsx").content.decode()
    assert "文件过大（10.0 MB），上限为 10 MB" in page and not Notice.objects.exists()


def test_nothing_to_import(client, office):
    client.force_login(office)
    assert "请选择要上传的文件，或粘贴表格文本。" in client.post(START, {"text": "  "}).content.decode()
    assert client.get(PREVIEW)["Location"] == START


def test_a_seed_text_previews_with_a_bounded_number_of_queries(client, office, django_assert_max_num_queries):
    from django.conf import settings

    from devtools.demo import load_units

    load_units(office.government, "gulou")  # 鼓楼's directory, as the office's own
    client.force_login(office)
    text = (settings.BASE_DIR.parent / "shared" / "seeds" / "gulou2022_taskbreakdown.txt").read_text(encoding="utf-8")
    client.post(START, {"text": text})
    with django_assert_max_num_queries(40):  # a few per distinct unit name, none per table row
        page = client.get(PREVIEW).content.decode()
    assert "共识别 14 个部分、<strong>31</strong> 项任务" in page and "十四、强化工作指导监督" in page
    assert 'value="鼓政办〔2022〕46号"' in page and "单位名录中找不到" not in page


def test_the_upload_is_parsed_under_the_memory_cap(client, office, monkeypatch):
    """The page parses in the capped child process: a parse that needs 1 GB more is stopped there and
    the page answers with one Chinese line (the server process never holds that memory)."""
    import tasks.importers
    from tasks.importers import sandbox

    def greedy(*args, **kwargs):
        return [bytearray(1024 * 1024) for _ in range(1024)]

    monkeypatch.setattr(tasks.importers, "parse_upload", greedy)
    monkeypatch.setattr(sandbox, "MEMORY_BYTES", 100 * 1024 * 1024)
    client.force_login(office)
    response = upload(client)
    assert response.status_code == 200 and not Notice.objects.exists()
    assert "文件过于复杂，解析时超出内存上限（100 MB），已停止" in response.content.decode()
