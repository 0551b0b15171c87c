""".pdf, .doc and .xls renderings of a seed table import to the same JSON as the .docx/.xlsx.

The .docx is built here with python-docx from the hand-checked 湖里2022 fixture, in the issued
layout (landscape, 序号 … 完成时限, sections as full-width rows), and LibreOffice renders it to the
other formats as an office would (each conversion on import is a LibreOffice run of seconds, so
.odt/.ods/.et, which take the same path as .doc/.xls, are not converted again here). Skipped, with the reason, where soffice is not installed
(.ci/run installs it).
"""
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.shared import Cm

from core.uploads import OLE_MAGIC, ZIP_MAGIC
from tasks.breakdown import ParsedNotice
from tasks.excel import breakdown_xlsx_bytes
from tasks.importers import ImportFailure, parse_upload
from tasks.importers.convert import _input_name, soffice_path
from tasks.importers.pdf_reader import SCANNED

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "notices" / "huli2022.json"
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
COLUMNS = [("序号", 1.2), ("工作任务", 2.4), ("工作要求", 8.6), ("牵头单位", 2.4), ("责任单位", 2.6),
           ("配合单位", 2.6), ("完成时限", 2.2)]

needs_soffice = pytest.mark.skipif(
    soffice_path() is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui): "
           "the .pdf/.doc/.xls renderings cannot be made")


def landscape(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)


def seed_docx(fixture: dict, *, ruled: bool = True) -> bytes:
    """The fixture as the office issued it: head paragraphs, then one ruled table (or one without lines)."""
    document = Document()
    landscape(document)
    year, month, day = (int(part) for part in fixture["issue_date"].split("-"))
    for line in [fixture["doc_number"], fixture["title"], "各街道办事处，区直各有关部门：", fixture["issuer"],
                 f"{year}年{month}月{day}日"]:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=len(COLUMNS))
    if ruled:
        table.style = "Table Grid"
    table.autofit = False
    for cell, (text, _) in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = text
    for section in fixture["sections"]:
        row = table.add_row()
        row.cells[0].merge(row.cells[-1]).text = f"{section['number']}、{section['title']}"
        for task in section["tasks"]:
            values = [str(task["number"]), task["title"], task["requirement"], "、".join(task["lead_units"]),
                      "、".join(task["responsible_units"]), "、".join(task["cooperating_units"]), task["deadline_text"]]
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
    for tr in table._tbl.tr_lst:  # rows kept whole on a page, as issued tables usually are
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for row in table.rows:
        for cell, (_, width) in zip(row.cells, COLUMNS, strict=False):
            cell.width = Cm(width)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def prose_docx() -> bytes:
    """The 鼓楼2020 工作要点 (prose, no table) as paragraphs, one per line of the seed text."""
    document = Document()
    lines = (SEEDS / "gulou2020_keypoints.txt").read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.strip():
            document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def soffice(target: str, *sources: Path) -> list[Path]:
    """Convert the files in one LibreOffice run (each start costs seconds)."""
    folder = sources[0].parent
    subprocess.run([soffice_path(), "--headless", "--norestore", "--nolockcheck",
                    f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--convert-to", target,
                    "--outdir", str(folder / target), *map(str, sources)],
                   check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(folder)})
    return [folder / target / f"{source.stem}.{target}" for source in sources]


@pytest.fixture(scope="module")
def renderings(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("renderings")
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    files = {"湖里.docx": seed_docx(fixture), "要点.docx": prose_docx(), "无框线.docx": seed_docx(fixture, ruled=False),
             "湖里.xlsx": breakdown_xlsx_bytes(ParsedNotice.from_json(fixture))}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    out = dict(files)
    if soffice_path() is None:
        return out
    table_pdf, prose_pdf, plain_pdf = soffice("pdf", folder / "湖里.docx", folder / "要点.docx", folder / "无框线.docx")
    [odt] = soffice("odt", folder / "湖里.docx")
    # LibreOffice 7.4 writes a python-docx table straight to .doc as plain paragraphs; by way of
    # .odt it writes a real Word 97 table, as Word itself would.
    [doc] = soffice("doc", odt)
    [xls] = soffice("xls", folder / "湖里.xlsx")
    out.update({"湖里.pdf": table_pdf.read_bytes(), "要点.pdf": prose_pdf.read_bytes(), "无框线.pdf": plain_pdf.read_bytes(),
                "湖里.doc": doc.read_bytes(),
                "湖里.xls": xls.read_bytes()})
    return out


def test_the_docx_rendering_is_the_fixture(renderings):
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert parse_upload("湖里.docx", renderings["湖里.docx"]).notice.to_json() == fixture


@needs_soffice
@pytest.mark.parametrize("name", ["湖里.pdf", "湖里.doc"])
def test_pdf_and_doc_import_to_the_json_of_the_docx(renderings, name):
    expected = parse_upload("湖里.docx", renderings["湖里.docx"]).notice.to_json()
    result = parse_upload(name, renderings[name])
    assert result.notice.to_json() == expected
    assert result.source_kind == name.rsplit(".", 1)[1]
    assert len(result.notice.all_tasks()) == 28


@needs_soffice
def test_an_xls_imports_to_the_json_of_the_xlsx(renderings):
    expected = parse_upload("湖里.xlsx", renderings["湖里.xlsx"]).notice.to_json()
    assert parse_upload("湖里.xls", renderings["湖里.xls"]).notice.to_json() == expected
    assert len(expected["sections"]) == 5


@needs_soffice
def test_a_table_printed_without_lines_is_read_from_its_alignment(renderings):
    """No ruled cells: columns from the text's alignment, rows started by the 序号 column."""
    expected = parse_upload("湖里.docx", renderings["湖里.docx"]).notice.to_json()
    assert parse_upload("无框线.docx", renderings["无框线.docx"]).notice.to_json() == expected
    assert parse_upload("无框线.pdf", renderings["无框线.pdf"]).notice.to_json() == expected


@needs_soffice
def test_a_prose_pdf_imports_like_its_docx(renderings):
    expected = parse_upload("要点.docx", renderings["要点.docx"])
    result = parse_upload("要点.pdf", renderings["要点.pdf"])
    assert result.notice.to_json() == expected.notice.to_json()
    assert len(result.notice.all_tasks()) >= 10 and result.source_kind.startswith("pdf-")


def test_wps_and_et_files_are_named_by_their_content_for_libreoffice():
    """WPS Office writes .wps/.et as Word/Excel 97 files; LibreOffice would read a .wps as Microsoft Works."""
    assert _input_name("wps", OLE_MAGIC + bytes(8)) == "source.doc"
    assert _input_name("et", OLE_MAGIC + bytes(8)) == "source.xls"
    assert _input_name("doc", OLE_MAGIC + bytes(8)) == "source.doc"
    assert _input_name("odt", ZIP_MAGIC + bytes(8)) == "source.odt"


def test_a_scanned_pdf_has_no_text_layer():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, format="PDF")
    with pytest.raises(ImportFailure) as exc:
        parse_upload("扫描件.pdf", buffer.getvalue())
    assert exc.value.message == "该PDF为扫描图片，无法识别文字，请提供Word或Excel版本" == SCANNED


def test_a_damaged_or_foreign_pdf():
    for data, message in [(b"%PDF-1.4\n garbage", "PDF 文件已损坏，无法读取：请重新导出PDF，或提供Word或Excel版本"),
                          (b"<html>", "文件内容与扩展名不符：这不是有效的 PDF 文件，可能已损坏或被改名")]:
        with pytest.raises(ImportFailure) as exc:
            parse_upload("表.pdf", data)
        assert exc.value.message == message
