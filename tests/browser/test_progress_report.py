"""Journey 3: a unit liaison records progress from the unit's ledger, then marks the item done with an
evidence file on the row's page; a file whose content does not match its name is refused first. The
done-claim waits for the office's review (journey 5 reviews).
"""
import pytest
from docx import Document

from core.dates import cn_date
from tasks.models import Assignment, ProgressReport
from tests.browser.conftest import row_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "已梳理现行有效涉企政策文件86件，正在分类整理。"
DONE = "政策文件库已更新，86件涉企政策文件已在门户网站“政策文件”栏目集中公开。"


def evidence_docx(path):
    doc = Document()
    doc.add_heading("政策文件库更新情况说明", level=1)
    doc.add_paragraph("区发改局已完成政策文件库更新，共公开涉企政策文件86件。")
    doc.save(path)
    return path


def test_liaison_records_progress_with_evidence_and_marks_done(cast, year_notice, open_as, shot, today, tmp_path):
    item = year_notice["items"][0]
    row = row_of(item, cast["unit_a"])
    page = open_as(cast["alice"])
    due_soon = page.locator(".card", has_text="7天内到期")
    assert "7天内到期（1）" in due_soon.inner_text() and "政策文件库更新" in due_soon.inner_text()
    shot(page, "home-due-soon")

    page.get_by_role("link", name="本单位台账").click()
    assert "本单位台账" in page.locator("h1").inner_text()
    ledger_row = page.locator("tbody tr", has_text="政策文件库更新")
    ledger_row.get_by_role("button", name="填报进展").click()
    form = page.locator(f"#progress-{row.pk} form")
    form.wait_for(state="visible")
    form.locator("select[name=status]").select_option(label="推进中")
    form.locator("textarea[name=text]").fill(FIRST)
    form.locator("textarea[name=links]").fill("https://www.example.gov.cn/zwgk/zcwj/")
    shot(page, "inline-progress-form")
    form.get_by_role("button", name="提交").click()

    assert page.get_by_role("alert").inner_text().strip() == "已报送“区发改局”第1项的落实情况。"
    cells = page.locator("tbody tr", has_text="政策文件库更新").first.locator("td").all_inner_texts()
    assert cells[7].strip() == "推进中" and cells[8].strip() == cn_date(today)
    shot(page, "ledger-in-progress")

    page.locator("tbody tr", has_text="政策文件库更新").first.get_by_role("link", name="详情与历史").click()
    assert FIRST in page.locator(".req-text").nth(1).inner_text()
    page.select_option("#id_status", label="已完成")
    page.fill("#id_text", DONE)
    page.fill("#id_completed_on", today.isoformat())
    page.set_input_files("#id_files", files=[
        {"name": "更新说明.pdf", "mimeType": "application/pdf", "buffer": "这不是PDF文件".encode()}])
    page.get_by_role("button", name="提交").click()
    assert "报送未成功，请按提示修改后重新提交。" in page.locator(".alert-danger").first.inner_text()
    assert "文件“更新说明.pdf”的内容与扩展名不符，可能已损坏或被改名。" in page.locator(".invalid-feedback").inner_text()
    assert page.locator("#id_text").input_value() == DONE  # what was typed is kept
    assert ProgressReport.objects.count() == 1
    shot(page, "bad-file-refused")

    page.set_input_files("#id_files", evidence_docx(tmp_path / "政策文件库更新情况说明.docx"))
    page.get_by_role("button", name="提交").click()
    assert page.get_by_role("alert").inner_text().strip() == (
        "已报送“区发改局”第1项的落实情况，已提交审核，审核通过后计为已完成。")  # a done-claim waits for review
    facts = page.locator("dl").inner_text()
    assert "待审核" in facts and "已报送完成，等待审核；审核通过后计为已完成。" in page.locator("main").inner_text()
    latest = page.locator(".card:not(.progress-card)", has_text=DONE).last  # the form below starts from this text
    assert "申报状态：已完成" in latest.inner_text()
    assert "政策文件库更新情况说明.docx" in latest.inner_text()
    assert "等待公开办审核，审核通过后计为已完成。" in latest.inner_text()  # the lead unit's own row: the office reviews
    shot(page, "marked-done-with-evidence")

    with page.expect_download() as download:
        page.get_by_role("link", name="政策文件库更新情况说明.docx").click()
    assert download.value.suggested_filename == "政策文件库更新情况说明.docx"
    saved = tmp_path / "downloaded.docx"
    download.value.save_as(saved)
    assert "共公开涉企政策文件86件" in "\n".join(p.text for p in Document(saved).paragraphs)

    page.get_by_role("link", name="首页").click()
    assert "7天内到期（0）" in page.locator(".card", has_text="7天内到期").inner_text()
    shot(page, "home-nothing-due")
    row.refresh_from_db()
    assert (row.status, row.completed_on, row.reports.count()) == (Assignment.Status.PENDING_REVIEW, None, 2)
