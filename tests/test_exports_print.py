"""Every workbook the app exports prints as it is: A4, the orientation its width needs, one page wide,
the header rows repeated, "第 N 页 共 M 页" in the footer, and an item's rows never cut by a page break
(core.xlsx.print_layout and PageFlow). Where LibreOffice is installed the summary workbook is rendered
to PDF: the pages it prints are exactly the pages planned, so no break of its own falls inside an item."""
import datetime
import io
import shutil
import subprocess

import openpyxl
import pytest
from django.urls import reverse
from openpyxl import Workbook

from core.xlsx import PAGE_FOOTER, PageFlow, print_layout, row_height
from reports.excel import write_summary_workbook
from reports.stats import Figures, Statistics
from reports.summary import SummaryRow, UnitLine

TODAY = datetime.date(2026, 11, 23)


def book_of(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(data))


def assert_prints(ws, *, landscape: bool, title_rows: str | None):
    assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
    assert ws.page_setup.orientation == ("landscape" if landscape else "portrait"), ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
    assert ws.print_title_rows == title_rows, ws.title
    assert ws.oddFooter.center.text == PAGE_FOOTER == "第 &P 页 共 &N 页"
    assert ws.page_margins.bottom - ws.page_margins.footer >= 0.4  # room for the footer: LibreOffice drops it otherwise


def merged_cut_by_break(ws):
    """Merged ranges running over a manual page break (a cell printed half on one page, half on the next)."""
    breaks = {b.id for b in ws.row_breaks.brk}
    return [str(r) for r in ws.merged_cells.ranges for b in breaks if r.min_row <= b < r.max_row]


def test_the_breakdown_table_prints_landscape_with_its_header_repeated(client, office, ledger, notice):
    client.force_login(office)
    sheet = book_of(client.get(reverse("tasks:notice-export-xlsx", args=[notice.pk]))).active
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "序号")
    assert_prints(sheet, landscape=True, title_rows=f"${header}:${header}")
    item_row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == 1)
    assert sheet.row_dimensions[item_row].height >= 20  # sized for its text, not Excel's default


def test_the_summary_workbook_prints_every_sheet(client, office, ledger):
    client.force_login(office)
    book = book_of(client.get(reverse("reports:summary-export"), {"year": 2026}))
    for name in ("落实情况汇总", "单位统计", "逾期清单"):
        assert_prints(book[name], landscape=True, title_rows="$3:$3")
    assert_prints(book["年报文字"], landscape=False, title_rows=None)


def test_the_audit_log_export_prints(client, office, ledger):
    client.force_login(office)
    sheet = book_of(client.get(reverse("audit:audit-export"))).active
    assert_prints(sheet, landscape=True, title_rows="$1:$1")
    assert sheet.max_row > 1 and sheet.cell(2, 1).alignment.wrap_text


def test_the_disclosure_register_prints(client, office, unit_a):
    from disclosure.tests.builders import make_application

    make_application(unit_a, datetime.date(2026, 11, 2), request="申请公开" + "某项目的审批文件、批复及附件，" * 12)
    client.force_login(office)
    sheet = book_of(client.get(reverse("disclosure:application-export"))).active
    assert_prints(sheet, landscape=True, title_rows="$1:$1")
    assert sheet.row_dimensions[2].height >= 3 * 14.5  # the long request wraps over several lines


def test_the_annual_report_workbooks_print():
    from reports.annual.collect import build_combined_workbook
    from reports.annual.xlsx import build_workbook
    from reports.tests.annual_samples import good_figures, good_sections

    book = build_workbook(title="测试区2026年政府信息公开工作年度报告", sections=good_sections(), figures=good_figures())
    landscape = {"三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"}
    for ws in book.worksheets:
        rows = ws.print_title_rows if ws.title.startswith("三、") else None
        assert_prints(ws, landscape=ws.title in landscape, title_rows=rows)
        cut = merged_cut_by_break(ws)
        # Only the outer label 三、本年度办理结果 (22 rows, taller than a landscape page at 100 %) may run on:
        # （三）不予公开 and the other labels merged down their rows stay on one page.
        assert cut == (["A9:A30"] if ws.title.startswith("三、") else []), ws.title
    combined = build_combined_workbook(year=2026, reports=[])
    assert_prints(combined["汇总范围"], landscape=True, title_rows="$2:$2")


def test_print_layout_picks_the_orientation_from_the_width():
    ws = Workbook().active
    print_layout(ws, widths=[6, 40, 20])
    assert ws.page_setup.orientation == "portrait" and ws.column_dimensions["B"].width == 40
    print_layout(ws, widths=[6, 40, 20, 62])
    assert ws.page_setup.orientation == "landscape"


def test_page_flow_moves_a_block_that_does_not_fit_and_keeps_a_heading_with_it():
    ws = Workbook().active
    flow = print_layout(ws, widths=[100], landscape=True, title_rows=(1, 1), keep_together=True)
    flow.add(1, [30])                          # the repeated header row
    flow.add(2, [flow.capacity - 100])         # nearly a page
    flow.add(3, [20], keep_with_next=True)     # a section heading…
    flow.add(4, [60, 60])                      # …and an item over two rows that no longer fits
    assert flow.breaks == [2]                  # the heading goes to the next page with its item
    assert flow.used == 30 + 20 + 120


def test_page_flow_starts_a_block_taller_than_a_page_on_a_new_page_and_then_fills_pages():
    ws = Workbook().active
    flow = PageFlow(ws, widths=[100], landscape=False, title_rows=None)
    flow.add(1, [50])
    row = flow.capacity * 0.6
    flow.add(2, [row, row, row])
    assert flow.breaks == [1, 2, 3]


def test_row_height_counts_wrapped_chinese_lines():
    assert row_height(["短"], [20]) == 1 * 14.5 + 6
    assert row_height(["字" * 40], [21.5]) == 4 * 14.5 + 6  # 10 characters a line
    assert row_height(["字" * 10000], [10]) == 409  # Excel's tallest row


def long_rows(count):
    for n in range(1, count + 1):
        if n % 5 == 1:
            yield SummaryRow(kind="section", heading=f"{n // 5 + 1}、加强重点领域信息公开")
        paragraphs = 10 + (n * 7) % 26  # one line each: items over 27 lines run over two rows (Excel's tallest
        # row), and every item fits on a page
        yield SummaryRow(
            kind="item", number=n, text="建立市场主体反映投资和工程建设项目审批问题的办理和反馈机制。",
            lead_units="区发改局", responsible_units="区直各有关部门", deadline_display="10月底前", status="推进中",
            unit_lines=[UnitLine(f"单位{k}", "责任", "推进中", "已按要求完成，信息已公开。",
                                 TODAY, n) for k in range(paragraphs)])


def summary_book(path, count=30):
    stats = Statistics(units=[Figures("区发改局", assigned=2, done=1, done_on_time=1)])
    write_summary_workbook(path, year=2026, scope_label="全部通知", today=TODAY, rows=long_rows(count), stats=stats,
                           overdue=[], annual_text="全年共完成任务30项。")


def test_no_page_break_falls_inside_an_item_of_the_summary(tmp_path):
    summary_book(tmp_path / "summary.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "summary.xlsx")["落实情况汇总"]
    assert sheet.row_breaks.brk  # the 30 long items take several pages
    assert any(r.max_row > r.min_row for r in sheet.merged_cells.ranges)  # some items run over two rows
    assert not merged_cut_by_break(sheet)
    headings = [r for r in range(1, sheet.max_row + 1) if str(sheet.cell(r, 1).value or "").endswith("信息公开")]
    assert not {b.id for b in sheet.row_breaks.brk} & set(headings)  # a heading never ends a page


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice 未安装")
def test_libreoffice_prints_exactly_the_planned_pages_with_page_numbers(tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    summary_book(tmp_path / "summary.xlsx", count=12)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "summary.xlsx")], check=True, capture_output=True,
                   timeout=180)
    book = openpyxl.load_workbook(tmp_path / "summary.xlsx")
    planned = sum(len(ws.row_breaks.brk) + 1 for ws in book.worksheets)
    with pdfplumber.open(tmp_path / "summary.pdf") as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    assert len(texts) == planned  # LibreOffice added no break of its own (which could cut an item)
    assert all(f"第 {n} 页 共 {planned} 页" in text for n, text in enumerate(texts, 1))
    summary_pages = len(book["落实情况汇总"].row_breaks.brk) + 1
    assert all("工作任务" in text and "落实情况" in text for text in texts[1:summary_pages])  # header repeated


def test_the_account_list_workbooks_print(unit_a):
    from units.account_list import result_workbook, template_workbook
    from units.models import Unit

    template = template_workbook(Unit.objects.filter(pk=unit_a.pk).prefetch_related("aliases"))
    assert_prints(template["账号名单"], landscape=False, title_rows="$1:$1")
    assert_prints(template["填写说明"], landscape=False, title_rows=None)
    assert_prints(template["单位名称"], landscape=False, title_rows="$1:$1")
    accounts = [{"unit": "区发改局", "display_name": "王丽", "username": "13800000000", "password": "Xy-123456789"}]
    assert_prints(result_workbook(accounts)["新建账号"], landscape=True, title_rows="$1:$1")
