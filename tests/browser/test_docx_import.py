"""Journey 2: office staff import a Word (.docx) breakdown table through the preview: two names are not in
the unit directory, confirming before answering them is refused with nothing saved, then one becomes a
new unit and the other a group phrase, and the notice is saved with its ledger.
"""
import pytest
from docx import Document

from tasks.models import Assignment, Notice
from units.models import Unit, UnitGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTION_1, SECTION_2 = "一、推进重点领域信息公开", "二、加强政务公开平台建设"
ROWS = [
    ["序号", "工作任务", "工作要求", "牵头单位", "责任单位", "时限"],
    [SECTION_1, None, None, None, None, None],
    ["1", "政策文件库更新", "集中梳理现行有效的涉企政策文件，更新政策文件库。", "区发改局", "区直各有关部门", "10月底前"],
    ["2", "教育收费信息公开", "公开义务教育阶段收费项目、标准和依据。", "区教育局", "东街街道", "年底前"],
    [SECTION_2, None, None, None, None, None],
    ["3", "政务公开专栏维护", "持续更新市场监管领域政务公开专栏。", "区市场监管局", "各街道办", "持续推进"],
]


def breakdown_docx(path, year: int):
    """A notice as offices write it: head paragraphs, then the table (section rows merged across)."""
    document = Document()
    for line in (f"测政办〔{year}〕40号", "测试区人民政府办公室关于印发", f"{year}年测试区政务公开工作主要任务分解表的通知",
                 "区直各有关部门，各街道办事处：", "现将任务分解表印发给你们，请认真贯彻落实。",
                 "测试区人民政府办公室", f"{year} 年 3 月 2 日"):
        document.add_paragraph(line)
    table = document.add_table(rows=len(ROWS), cols=len(ROWS[0]))
    for r, values in enumerate(ROWS):
        if values[1] is None:
            table.cell(r, 0).merge(table.cell(r, len(values) - 1)).text = values[0]
            continue
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.save(path)
    return path


def test_office_imports_a_docx_table_through_the_preview(cast, open_as, shot, today, tmp_path):
    doc_number = f"测政办〔{today.year}〕40号"
    page = open_as(cast["office"])
    page.get_by_role("link", name="通知与分解表").first.click()
    page.get_by_role("link", name="导入分解表").click()
    assert page.locator("h1").inner_text() == "导入任务分解表"
    page.set_input_files("#id_file", breakdown_docx(tmp_path / "任务分解表.docx", today.year))
    shot(page, "upload")
    page.get_by_role("button", name="解析并预览").click()

    assert page.locator("h1").inner_text().startswith("核对导入预览")
    overview = page.locator(".alert-secondary").inner_text()
    assert "共识别 2 个部分、3 项任务。" in overview and "有 2 个单位名称在单位名录中找不到" in overview
    assert page.locator("#id_doc_number").input_value() == doc_number
    assert page.locator("#id_title").input_value() == f"测试区人民政府办公室关于印发{today.year}年测试区政务公开工作主要任务分解表的通知"
    assert page.locator("#id_work_year").input_value() == str(today.year)
    table = page.locator("#import-preview-table")
    assert table.locator("tr.section-row").all_inner_texts() == [SECTION_1, SECTION_2]
    assert "政策文件库更新" in table.inner_text() and f"{today.year}年10月31日" in table.inner_text()
    assert page.locator("#name-1 strong").inner_text() == "区市场监管局"
    assert page.locator("#name-2 strong").inner_text() == "各街道办"
    shot(page, "preview")

    page.get_by_role("button", name="确认导入").click()  # the unknown names are not answered yet
    assert page.locator("#import-error").inner_text() == "请按红色提示修改后再确认导入。本次未保存任何内容。"
    assert "请选择处理方式" in page.locator("#name-1").inner_text()
    assert not Notice.objects.exists() and not Unit.objects.filter(short_name="区市场监管局").exists()
    shot(page, "unanswered-names-refused")

    first = page.locator("#name-1")
    first.get_by_label("新建单位", exact=True).check()
    first.locator("input[name='n1-name']").fill("测试区市场监督管理局")
    first.locator("input[name='n1-short_name']").fill("区市场监管局")
    first.locator("select[name='n1-kind']").select_option(label="区直部门")
    second = page.locator("#name-2")
    second.get_by_label("作为泛称，新建单位组", exact=True).check()
    if not second.locator("details").evaluate("d => d.open"):
        second.locator("summary").click()
    second.get_by_label("东街街道", exact=True).check()
    shot(page, "names-answered")
    page.get_by_role("button", name="确认导入").click()

    notice = Notice.objects.get(doc_number=doc_number)
    assert page.get_by_role("alert").inner_text().strip() == (
        f"已导入“{doc_number}”：3 项任务，7 条台账；新建单位或单位组 2 个。")
    breakdown = page.locator("table.breakdown-table")
    assert breakdown.locator("tr.section-row").all_inner_texts() == [f"{SECTION_1} 编辑", f"{SECTION_2} 编辑"]
    assert "各街道办" in breakdown.locator("tbody tr", has_text="政务公开专栏维护").inner_text()
    shot(page, "imported-notice")

    assert sorted(notice.assignments.values_list("item_number", "unit__short_name", "role")) == [
        (1, "区发改局", "lead"), (1, "区司法局", "responsible"), (1, "区教育局", "responsible"),
        (2, "东街街道", "responsible"), (2, "区教育局", "lead"),
        (3, "东街街道", "responsible"), (3, "区市场监管局", "lead")]
    assert list(UnitGroup.objects.get(phrase="各街道办").members.values_list("short_name", flat=True)) == ["东街街道"]
    assert Assignment.objects.get(item_number=3, unit__short_name="东街街道").written_as == "各街道办"
