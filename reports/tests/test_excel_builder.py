"""The pure workbook builder: streaming memory, row heights, subsection rows, empty inputs."""
import datetime
import io
import tempfile
import tracemalloc

import openpyxl

from reports.excel import split_for_rows, text_width, wrapped_lines, write_summary_workbook
from reports.stats import Figures, Statistics
from reports.summary import SummaryRow, UnitLine

TODAY = datetime.date(2026, 11, 23)


def rows(count):
    yield SummaryRow(kind="section", heading="一、加强涉及市场主体的信息公开")
    yield SummaryRow(kind="subsection", heading="（一）政策公开")
    for n in range(1, count + 1):
        yield SummaryRow(
            kind="item", number=n, text="建立市场主体反映投资和工程建设项目审批问题的办理和反馈机制。" * 2,
            lead_units="区发改局", responsible_units="区直各有关部门、十街镇", deadline_display="10月底前",
            status="推进中",
            unit_lines=[UnitLine("区发改局", "牵头", "推进中", "已在政府网站公开。" * 4, TODAY, n),
                        UnitLine("区教育局", "责任", "未开始", None, None, n)])


def build(count, out=None):
    out = out or io.BytesIO()
    stats = Statistics(units=[Figures("区发改局", assigned=2, done=1, done_on_time=1)])
    written = write_summary_workbook(out, year=2026, scope_label="全部通知", today=TODAY, rows=rows(count),
                                     stats=stats, overdue=[], annual_text="")
    return written, out


def peak(count):
    tracemalloc.start()
    try:
        with tempfile.TemporaryFile() as out:
            build(count, out=out)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_row_count():
    small, big = peak(40), peak(400)
    assert big < small * 1.3 + 100_000, (small, big)


def test_subsections_merge_and_rows_get_heights_for_wrapped_text():
    written, out = build(3)
    assert written == 3
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    ws = wb["落实情况汇总"]
    assert {str(r) for r in ws.merged_cells.ranges} >= {"A4:I4", "A5:I5"}
    assert ws["A5"].value == "（一）政策公开"
    assert ws.row_dimensions[6].height >= 3 * 14.5  # two long paragraphs in 落实情况 wrap over several lines
    assert ws["H6"].value.endswith("区教育局：未报送")
    assert wb["逾期清单"].max_row == 3  # title, note and header only
    assert [r[0] for r in wb["年报文字"].iter_rows(values_only=True)] == [
        "2026年政务公开工作任务落实情况（年报文字）"]


def test_text_width_counts_chinese_as_two():
    assert text_width("区发改局ab") == 10
    assert wrapped_lines("一二三四五\n甲", 6.5) == 3


def test_a_progress_text_taller_than_a_row_continues_below_with_the_item_merged_down():
    lines = [UnitLine(f"单位{n:02d}", "责任", "已完成", "已按要求在政府网站公开相关信息并报送佐证材料。" * 2, TODAY, n)
             for n in range(40)]
    item = SummaryRow(kind="item", number=7, text="工作任务", status="已完成", unit_lines=lines)
    out = io.BytesIO()
    write_summary_workbook(out, year=2026, scope_label="全部通知", today=TODAY, rows=[item], stats=Statistics(),
                           overdue=[], annual_text="")
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["落实情况汇总"]
    assert ws.max_row > 5
    last = ws.max_row
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {f"A4:A{last}", f"B4:B{last}", f"I4:I{last}"} <= merged and not any(m.startswith("H") for m in merged)
    assert all(ws.row_dimensions[r].height <= 409 for r in range(4, last + 1))
    text = "\n".join(ws.cell(row=r, column=8).value for r in range(4, last + 1))
    assert text == item.progress_text
    assert ws["A4"].value == 7


def test_split_for_rows_cuts_at_paragraphs_and_inside_a_huge_paragraph():
    assert split_for_rows("甲\n乙\n丙", 10, 2) == ["甲\n乙", "丙"]
    pieces = split_for_rows("字" * 100, 11.5, 3)  # 5 characters a line, 15 a piece
    assert [len(p) for p in pieces] == [15] * 6 + [10]
