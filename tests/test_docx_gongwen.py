"""Every Word file the app writes declares Chinese and uses the 公文 layout of GB/T 9704 (core.docx): zh-CN as
the East Asian language (never python-docx's ja-JP), 方正小标宋简体 / 黑体 / 楷体_GB2312 / 仿宋_GB2312 with
stand-ins for machines without them, 三号 text, A4 with 37/35/28/26 mm margins, page numbers."""
import io
import re
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from core.docx import gongwen_document, heading, paragraph, title
from reports.annual.docx import build_document
from reports.annual.figures import with_totals
from reports.tests.annual_samples import good_figures, good_sections


def annual_docx() -> bytes:
    buffer = io.BytesIO()
    build_document(title="测试区2026年政府信息公开工作年度报告", sections=good_sections(),
                   figures=with_totals(good_figures())).save(buffer)
    return buffer.getvalue()


def small_docx() -> bytes:
    doc = gongwen_document()
    title(doc, "关于报送落实情况的通知")
    heading(doc, "一、总体情况")
    heading(doc, "（一）主动公开", level=2)
    paragraph(doc, "本年度共主动公开政府信息1200条。")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def east_asian_font(run):
    fonts = run._element.rPr.rFonts
    return fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii"))


@pytest.mark.parametrize("build", [annual_docx, small_docx], ids=["annual-report", "helper"])
def test_the_document_declares_chinese_and_never_japanese(build):
    data = build()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = {name: package.read(name).decode() for name in package.namelist() if name.endswith(".xml")}
    assert not [name for name, text in xml.items() if "ja-JP" in text]
    assert re.search(r'<w:rPrDefault>.*w:eastAsia="zh-CN"', xml["word/styles.xml"], re.S)
    assert '<w:themeFontLang w:val="zh-CN" w:eastAsia="zh-CN"/>' in xml["word/settings.xml"]
    assert Document(io.BytesIO(data)).core_properties.language == "zh-CN"


@pytest.mark.parametrize("build", [annual_docx, small_docx], ids=["annual-report", "helper"])
def test_the_fonts_of_gb_t_9704_with_stand_ins(build):
    data = build()
    doc = Document(io.BytesIO(data))
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    first = paragraphs[0].runs[0]
    assert east_asian_font(first) == ("方正小标宋简体", "Times New Roman") and first.font.size == Pt(22)  # 二号
    headings = [p for p in paragraphs if p.text.startswith("一、")]
    assert headings and east_asian_font(headings[0].runs[0])[0] == "黑体"
    text = next(p for p in paragraphs[1:] if not p.style.name.startswith(("Heading", "Title")))
    assert east_asian_font(text.runs[0])[0] == "仿宋_GB2312" and text.runs[0].font.size == Pt(16)  # 三号
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        fonts = package.read("word/fontTable.xml").decode()
    for name, alt in (("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "宋体"), ("楷体_GB2312", "楷体"), ("黑体", "SimHei")):
        assert re.search(rf'w:name="{name}">\s*<w:altName w:val="{alt}"/>\s*<w:charset w:val="86"/>', fonts), name


def test_level_two_headings_are_kaiti():
    doc = Document(io.BytesIO(small_docx()))
    level2 = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert east_asian_font(level2.runs[0])[0] == "楷体_GB2312"


@pytest.mark.parametrize("build", [annual_docx, small_docx], ids=["annual-report", "helper"])
def test_a4_with_the_margins_of_gb_t_9704_and_page_numbers(build):
    doc = Document(io.BytesIO(build()))
    first = doc.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)  # A4
    assert [round(m.mm) for m in (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)] \
        == [37, 35, 28, 26]
    footer = first.footer.paragraphs[0]
    assert footer._p.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE" and footer.text.startswith("— ")
