"""Journey: office staff import a table with header words the importer does not know: the preview marks the
guessed columns, the office sets one column and re-previews, picks one deadline for the items without
any, confirms (the choice is remembered), then re-imports a revised table of the same 文号 and updates
the notice, the reported item kept as 已撤销. At 1366×900 and on a phone (390×844)."""
import datetime
import shutil
from pathlib import Path

import pytest
from docx import Document

from tasks.models import Assignment, ColumnChoice, Notice
from tasks.services import progress_record
from tests.browser.conftest import TIMEOUT_MS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["序号", "工作要求", "主抓", "协调", "时限"]
FIRST = [HEADER,
         ["1", "公开重大行政决策事项目录，及时更新。", "区发改局", "区教育局", "10月底前"],
         ["2", "集中公开档案目录，方便", "区教育局", "", ""],
         ["", "查阅，并在网站专栏同步更新。", "", "", ""],
         ["3", "做好基层政务公开标准化规范化工作。", "", "", ""]]
SECOND = [HEADER,
          ["1", "公开重大行政决策事项目录，及时更新。", "区发改局", "区教育局", "11月底前"],
          ["2", "做好基层政务公开标准化规范化工作。", "区发改局", "", "年底前"],
          ["3", "组织政府开放日活动。", "区教育局", "", "9月底前"]]


@pytest.fixture
def shot(request):
    """Like the shared ``shot``, one folder per viewport (import_checks-desktop / -phone), so the two runs
    of the journey keep both sets: test-artifacts/screenshots/import_checks-<viewport>/NN-<step>.png."""
    folder = Path(request.config.rootpath) / "test-artifacts" / "screenshots" / f"import_checks-{request.node.callspec.id.split('-')[-1]}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    counter = iter(range(1, 100))

    def _shot(page, step: str) -> Path:
        path = folder / f"{next(counter):02d}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return _shot


def table_docx(path, rows, year):
    document = Document()
    for line in (f"测政办〔{year}〕41号", f"测试区人民政府办公室关于印发{year}年政务公开工作要点分工的通知"):
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.save(path)
    return path


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_column_row_deadline_choice_and_reimport(cast, new_context, live_server, shot, today, tmp_path, viewport):
    context = new_context(viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    login(page, live_server, cast["office"])
    page.goto(f"{live_server.url}/tasks/notices/import/")
    page.set_input_files("#id_file", table_docx(tmp_path / "要点分工.docx", FIRST, today.year))
    page.get_by_role("button", name="解析并预览").click()
    mapping = page.locator("#column-mapping")
    assert "2 列按内容识别，请核对" in mapping.inner_text()
    assert mapping.locator(".column-map-cell.guessed").count() == 2
    hints = page.locator("#import-warnings").inner_text()
    assert "第1行第3列：表头“主抓”，按内容识别为“牵头单位”" in hints
    assert "第4行：编号为空的续行已并入第2项任务" in hints
    assert "第5行第5列（时限）：第3项任务没有时限" in hints
    shot(page, "preview-guessed")

    page.get_by_label("第4列的含义").select_option(label="配合单位")
    page.get_by_role("button", name="按此重新识别").click()
    assert "已按您指定的列重新识别" in page.locator(".alert").first.inner_text()
    assert page.get_by_label("第4列的含义").input_value() == "cooperating"
    page.get_by_label("年底前（12月31日）").check()
    shot(page, "preview-remapped")
    page.get_by_role("button", name="确认导入").click()
    assert "已导入“" in page.get_by_role("alert").first.inner_text()
    notice = Notice.objects.get(doc_number=f"测政办〔{today.year}〕41号")
    assert notice.items.get(number=3).deadline == datetime.date(today.year, 12, 31)
    assert ColumnChoice.objects.mapping()["协调"] == "cooperating"

    row = Assignment.objects.get(item__notice=notice, item__number=2, unit=cast["unit_b"])
    progress_record(assignment=row, author=None, text="已公开档案目录。", status=Assignment.Status.DONE,
                    reported_on=today)
    page.goto(f"{live_server.url}/tasks/notices/import/")
    page.set_input_files("#id_file", table_docx(tmp_path / "要点分工（修订）.docx", SECOND, today.year))
    page.get_by_role("button", name="解析并预览").click()
    diff = page.locator("#reimport-diff")
    assert "新增 1 项，修改 2 项，删除 1 项（其中 1 项已有落实情况，保留并标记为撤销）" in diff.inner_text()
    assert "第2项（原第3项）" in diff.inner_text()
    shot(page, "reimport-diff")
    page.get_by_label("按新表更新已有通知").check()
    page.get_by_role("button", name="确认（勾选“按新表更新”后更新已有通知）").click()
    assert "已按新表更新“" in page.get_by_role("alert").first.inner_text()
    assert "另有已撤销 1 项" in page.locator("h2", has_text="任务分解表").inner_text()
    shot(page, "notice-updated")
    page.goto(f"{live_server.url}/tasks/ledger/")
    assert "已撤销" in page.locator("table").first.inner_text()
    shot(page, "ledger-withdrawn")
    context.close()
