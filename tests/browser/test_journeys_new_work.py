"""Journey (a): the office imports a table that assigns units; the unit's liaison logs in, sees the rows under
新任务 on the home page with their 时限 and a new-work notice, and reports progress on one of them.

Measured (the README's journey table states these numbers), at 1366×900 and at 390×844:
- office, login page → imported: 5 page loads, 6 taps on a desk (password, 登录, 通知与分解表, 导入分解表,
  the file picker, 解析并预览, 确认导入 … see OFFICE below); the phone's menu button adds one tap;
- liaison, login page → notice read → progress saved: see LIAISON below.
"""
import pytest
from docx import Document

from tasks.models import Assignment, Notice, ProgressReport
from tests.browser.conftest import login
from tests.browser.journeys import SIZES, Journey
from workflow.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "已完成门户网站政策文件库首轮梳理。"
# (page loads, taps) measured at each size
OFFICE = {"desktop": (6, 7), "phone": (6, 8)}
LIAISON = {"desktop": (5, 6), "phone": (5, 7)}


def table_docx(path, year):
    document = Document()
    for line in (f"测政办〔{year}〕52号", f"测试区人民政府办公室关于印发{year}年政务公开工作任务分工的通知"):
        document.add_paragraph(line)
    rows = [["序号", "工作任务", "牵头单位", "责任单位", "时限"],
            ["1", "更新涉企政策文件库，在门户网站集中公开。", "区发改局", "区直各有关部门", "年底前"],
            ["2", "公开重大建设项目批准和实施信息。", "区发改局", "", "持续推进"],
            ["3", "公开义务教育阶段收费项目和标准。", "区教育局", "", "年底前"]]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.save(path)
    return path


@pytest.mark.parametrize("viewport", **SIZES)
def test_imported_table_reaches_the_unit(viewport, cast, new_context, live_server, shots, today, tmp_path):
    # 王丽 (区发改局) has used the app before: her 新任务 are the rows assigned since that visit.
    earlier = new_context()
    login(earlier.new_page(), live_server, cast["alice"])
    earlier.close()

    office = Journey(new_context, live_server, viewport, shots, "office")
    office.log_in(cast["office"].username)
    office.nav(office.page.locator("#mainnav").get_by_role("link", name="通知与分解表"))
    office.page.wait_for_url("**/tasks/notices/")
    office.fits()
    office.tap(office.page.get_by_role("link", name="导入分解表"))
    office.page.wait_for_url("**/tasks/notices/import/")
    office.fits()
    with office.page.expect_file_chooser() as chooser:
        office.tap(office.page.locator("#id_file"))
    chooser.value.set_files(str(table_docx(tmp_path / "任务分工.docx", today.year)))
    office.shot("import-start")
    office.tap(office.page.get_by_role("button", name="解析并预览"))
    office.page.wait_for_url("**/tasks/notices/import/preview/")
    office.fits()
    office.shot("preview")
    office.tap(office.page.get_by_role("button", name="确认导入"))
    assert "已导入“" in office.page.get_by_role("alert").first.inner_text()
    office.fits()
    office.shot("imported")
    assert office.steps() == OFFICE[office.size]
    office.close()

    notice = Notice.objects.get(doc_number=f"测政办〔{today.year}〕52号")
    assert Notification.objects.filter(recipient=cast["alice"], kind=Notification.Kind.NEW_WORK).count() == 1

    # the liaison's next visit
    liaison = Journey(new_context, live_server, viewport, shots, "liaison")
    liaison.log_in(cast["alice"].username)
    page = liaison.page
    new = page.locator(".todo-card", has_text="新任务")
    assert "新任务（2）" in new.locator(".card-header").inner_text()
    first = new.locator(".todo-row", has_text="第1项")
    assert f"时限{today.year}年12月31日" in first.inner_text() and "未开始" in first.inner_text()
    assert "时限持续推进" in new.locator(".todo-row", has_text="第2项").inner_text()
    assert page.locator("#unread-count").inner_text() == "1"
    liaison.shot("home")
    first = new.locator(".todo-row", has_text="第1项")
    liaison.tap(first.get_by_role("link", name="填报"))
    page.wait_for_url("**/assignments/*/#progress")
    liaison.fits()
    form = page.locator("#progress form")
    liaison.tap(form.locator("#id_text"))
    page.keyboard.type(TEXT)
    liaison.shot("form")
    liaison.tap(form.get_by_role("button", name="提交"))
    assert "的落实情况。" in page.get_by_role("alert").inner_text()
    liaison.fits()
    liaison.shot("saved")
    liaison.nav(page.locator("#mainnav").get_by_role("link", name="消息"))
    page.wait_for_url("**/notifications/")
    liaison.fits()
    note = page.locator(".list-group-item", has_text=f"新任务：{notice.doc_number} 新分配2项")
    assert "第1项 更新涉企政策文件库" in note.inner_text()
    assert f"完成时限{today.year}年12月31日" in note.inner_text() and "持续推进" in note.inner_text()
    liaison.on_screen(note.get_by_role("button", name="查看"))
    liaison.shot("notice")
    assert liaison.steps() == LIAISON[liaison.size]
    liaison.close()
    row = Assignment.objects.get(item__notice=notice, item__number=1, unit=cast["unit_a"])
    assert ProgressReport.objects.get(assignment=row).text == TEXT
