"""The exports print as published: Word in landscape for 三/四 with repeated header rows and readable
labels, 草稿 on drafts, zh-CN; Excel with print areas, fit to width and text inside the page. Where
LibreOffice and Ghostscript are installed the files are rendered to PDF and PNG pages (kept under
test-artifacts/annual-print/ for people to look at)."""
import shutil
import subprocess
from pathlib import Path

import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from reports.annual.docx import build_document
from reports.annual.figures import with_totals
from reports.annual.xlsx import TEXT_WIDTH, build_workbook
from reports.tests.annual_samples import good_figures, good_sections

TITLE = "测试区发展和改革局2026年政府信息公开工作年度报告"


def cells():
    return with_totals(good_figures() | {"t2.rules.issued": "/", "t2.rules.repealed": "/", "t2.rules.valid": "/"})


def test_word_puts_tables_three_and_four_in_landscape_with_repeated_headers():
    doc = build_document(title=TITLE, sections=good_sections(), figures=cells(), draft=True)
    orientations = [s.orientation for s in doc.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    t3 = doc.tables[1]
    header_rows = [row for row in t3.rows if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert len(header_rows) == 3
    grid = [int(col.get(qn("w:w"))) for col in t3._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert min(grid[1:3]) >= Mm(30).twips  # the two label columns that hold words are 3 cm or wider
    assert doc.sections[0].header.paragraphs[0].text == "草稿"
    assert doc.core_properties.language == "zh-CN"
    footer = doc.sections[0].footer.paragraphs[0]._p
    assert footer.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"  # — 1 — at the foot of every page
    cells_text = [c.text for c in doc.tables[0].rows[2].cells]
    assert cells_text[:4] == ["规章", "/", "/", "/"]


def test_a_final_report_has_no_draft_header():
    doc = build_document(title=TITLE, sections=good_sections(), figures=cells(), draft=False)
    assert all(p.text != "草稿" for p in doc.sections[0].header.paragraphs)


def test_excel_has_print_areas_fit_to_width_and_a_draft_header():
    wb = build_workbook(title=TITLE, sections=good_sections(), figures=cells(), draft=True)
    for ws in wb.worksheets:
        assert ws.print_area and ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddHeader.right.text == "草稿"
    assert wb["一、总体情况"].column_dimensions["A"].width == TEXT_WIDTH
    assert wb["三、收到和处理政府信息公开申请情况"].page_setup.orientation == "landscape"
    assert wb["二、主动公开政府信息情况"]["B4"].value == "/"
    clean = build_workbook(title=TITLE, sections=good_sections(), figures=cells(), draft=False)
    assert not clean.worksheets[0].oddHeader.right.text


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("gs")), reason="LibreOffice 或 Ghostscript 未安装")
def test_rendered_pages(tmp_path, request):
    out = Path(request.config.rootpath) / "test-artifacts" / "annual-print"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    build_document(title=TITLE, sections=good_sections(), figures=cells(), draft=True).save(tmp_path / "report.docx")
    build_workbook(title=TITLE, sections=good_sections(), figures=cells(), draft=True).save(tmp_path / "tables.xlsx")
    pages = {}
    for name in ("report.docx", "tables.xlsx"):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(tmp_path / name)], check=True, capture_output=True, timeout=180)
        pdf = tmp_path / (Path(name).stem + ".pdf")
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=png16m", "-r60",
                        f"-sOutputFile={out}/{Path(name).stem}-%02d.png", str(pdf)], check=True, timeout=120)
        pages[name] = sorted(out.glob(f"{Path(name).stem}-*.png"))
    # Word: title page with 一、二; 三 and 四 on landscape pages (三 over two with its header repeated); 五、六
    assert 3 <= len(pages["report.docx"]) <= 5
    # One page per section sheet, table 三 over two (at 100 % it is taller than landscape A4 in Excel): exactly the
    # pages planned by core.xlsx.PageFlow, so no page break of LibreOffice's own falls inside a merged label.
    book = build_workbook(title=TITLE, sections=good_sections(), figures=cells(), draft=True)
    assert len(pages["tables.xlsx"]) == sum(len(ws.row_breaks.brk) + 1 for ws in book.worksheets) == 7
