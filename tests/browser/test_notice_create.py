"""Journey 1: office staff enter a notice, a section and an item whose units include a group phrase.

The notice page then shows the item as issued, and the ledger holds one row per unit: the lead unit, each
member of 区直各有关部门 (marked with the phrase it came from) and the cooperating street.
"""
import pytest

from tasks.models import Assignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOC = "测政办〔2026〕12号"
TITLE = "关于印发2026年测试区政务公开工作要点任务分解表的通知"
REQUIREMENT = "围绕优化营商环境，集中公开涉企政策文件，10月底前完成政策文件库更新。"


def test_office_creates_a_notice_and_assigns_units_with_a_group_phrase(cast, open_as, shot):
    page = open_as(cast["office"])
    shot(page, "home")

    page.get_by_role("link", name="通知与分解表").first.click()
    page.get_by_role("link", name="新建通知").click()
    assert page.locator("h1").inner_text() == "新建通知"
    page.fill("#id_doc_number", DOC)
    page.fill("#id_title", TITLE)
    page.fill("#id_issuer", "测试区人民政府办公室")
    page.fill("#id_issue_date", "2026-03-02")
    page.fill("#id_work_year", "2026")
    page.fill("#id_report_back_date", "2026-11-30")
    page.select_option("#id_publicity", label="主动公开")
    page.fill("#id_recipients", "区直各有关部门，各街道办事处")
    page.fill("#id_cited_documents_text", "国办发〔2026〕8号")
    shot(page, "notice-form")
    page.get_by_role("button", name="保存").click()

    assert page.get_by_role("alert").inner_text().strip() == f"已创建通知“{DOC}”，请添加部分和事项。"
    assert page.locator("h1").inner_text() == TITLE
    assert "报送截止：2026年11月30日" in page.locator(".card-body").first.inner_text()
    assert "该通知还没有事项。" in page.locator("table").inner_text()
    shot(page, "notice-created")

    page.get_by_role("link", name="添加部分").click()
    page.fill("#id_number", "一")
    page.fill("#id_title", "推进重点领域信息公开")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_role("alert").inner_text().strip() == "已保存部分“一、推进重点领域信息公开”。"

    page.get_by_role("link", name="添加事项").click()
    page.select_option("#id_section", label="一、推进重点领域信息公开")
    page.fill("#id_title", "涉企政策集中公开")
    page.fill("#id_requirement", REQUIREMENT)
    page.fill("#id_deadline_text", "10月底前")
    page.get_by_role("button", name="保存并生成台账").click()  # no unit chosen yet
    assert "请至少选择一个牵头单位或责任单位。" in page.locator(".alert-danger").inner_text()
    assert not Assignment.objects.exists()
    shot(page, "item-form-no-units")

    page.select_option("#id_lead_units", label=["区发改局"])
    page.select_option("#id_responsible_units", label=["区直各有关部门（泛称）"])
    page.select_option("#id_cooperating_units", label=["东街街道"])
    shot(page, "item-form-units-picked")
    page.get_by_role("button", name="保存并生成台账").click()

    assert page.get_by_role("alert").inner_text().strip() == "已添加第1项，并生成 4 行台账。"
    table = page.locator("table.breakdown-table")
    assert "一、推进重点领域信息公开" in table.locator("tr.section-row").inner_text()
    item_row = table.locator("tbody tr").nth(1)
    cells = [c.strip() for c in item_row.locator("td").all_inner_texts()]
    assert cells[:4] == ["1", "涉企政策集中公开", REQUIREMENT, "区发改局"]
    assert "区直各有关部门" in cells[4] and "配合：" in cells[4] and "东街街道" in cells[4]
    assert cells[5] == "10月底前"
    shot(page, "notice-with-item")

    page.get_by_role("link", name="全部台账").click()
    page.select_option("#id_notice", label=f"2026年 {DOC}")
    page.get_by_role("button", name="筛选").click()
    rows = page.locator("table tbody tr")
    assert rows.count() == 4
    by_unit = {}
    for i in range(4):
        texts = [t.strip() for t in rows.nth(i).locator("td").all_inner_texts()]
        by_unit[texts[5]] = texts
    assert set(by_unit) == {"区发改局", "区教育局 （区直各有关部门）", "区司法局 （区直各有关部门）", "东街街道"}
    assert by_unit["区发改局"][6] == "牵头"
    assert by_unit["区教育局 （区直各有关部门）"][6] == "责任"
    assert by_unit["区司法局 （区直各有关部门）"][6] == "责任"
    assert by_unit["东街街道"][6] == "配合"
    assert all(r[7] == "2026年10月31日" and r[8] == "未开始" for r in by_unit.values())
    shot(page, "ledger-one-row-per-unit")

    assert sorted(Assignment.objects.values_list("unit__short_name", "role")) == [
        ("东街街道", "cooperating"), ("区发改局", "lead"), ("区司法局", "responsible"), ("区教育局", "responsible")]
