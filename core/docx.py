"""Word documents in the layout of Chinese official documents (公文, GB/T 9704-2012). Every Word file the
app writes starts from ``gongwen_document()`` and uses the helpers here, so they all declare Chinese and
use the same fonts, sizes, margins and page numbers:

- language: zh-CN as the East Asian language everywhere Word looks for it (the default run properties,
  the Normal style and the theme-font language in settings.xml; python-docx's template says ja-JP there,
  which makes Word pick Japanese theme fonts and Japanese line breaking);
- fonts: 方正小标宋简体 for the title, 黑体 for level-1 headings, 楷体_GB2312 for level-2 headings,
  仿宋_GB2312 for the text, Times New Roman for Latin letters and digits. Each Chinese font is declared in
  the font table with the font that stands in for it where it is not installed (``w:altName``: 仿宋 for
  仿宋_GB2312, 楷体 for 楷体_GB2312, 宋体 for 方正小标宋简体, SimHei for 黑体) and the GB2312 character set,
  so Word and WPS substitute a font of the same kind instead of a Latin one;
- sizes: 二号 (22 pt) title, 三号 (16 pt) text and headings, 28 pt lines (22 lines of 28 characters);
- page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the page number "— 1 —" in
  四号 宋体 at the foot of every page.

Pure: nothing here touches the database.
"""
from __future__ import annotations

import copy

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

TITLE_FONT = "方正小标宋简体"
HEADING_1_FONT = "黑体"
HEADING_2_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {TITLE_FONT: "宋体", HEADING_1_FONT: "SimHei", HEADING_2_FONT: "楷体", BODY_FONT: "仿宋",
             TABLE_FONT: "SimSun"}
LANGUAGE = "zh-CN"

SIZE_TITLE = 22  # 二号
SIZE_TEXT = 16   # 三号
SIZE_PAGE_NUMBER = 14  # 四号
LINE_SPACING = 28  # points: 22 lines a page


def _lang(r_pr) -> None:
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")
    r_pr.append(lang)


def _fonts(r_pr, name: str) -> None:
    """Chinese text in ``name``, Latin letters and digits in Times New Roman, no theme fonts."""
    fonts = r_pr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), name)


def _font_table(doc) -> None:
    """Declare the 公文 fonts with a stand-in for machines without them (see the module's docstring)."""
    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable"))
    root = part._element if hasattr(part, "_element") else etree.fromstring(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in FALLBACKS.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", "modern"), ("w:pitch", "fixed")):
            child = etree.SubElement(font, qn(tag))
            child.set(qn("w:val"), value)
    if not hasattr(part, "_element"):
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _style(doc, name: str, font: str, size: float, *, bold: bool = False) -> None:
    style = doc.styles[name]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    r_pr = style.element.get_or_add_rPr()
    _fonts(r_pr, font)
    _lang(r_pr)
    fmt = style.paragraph_format
    fmt.line_spacing = Pt(LINE_SPACING)
    fmt.space_before = fmt.space_after = Pt(0)


def gongwen_document():
    """An empty A4 document with the 公文 styles: Normal (仿宋_GB2312 三号), Title (方正小标宋简体 二号),
    Heading 1 (黑体 三号), Heading 2 (楷体_GB2312 三号); zh-CN; page numbers in the footer."""
    doc = Document()
    styles = doc.styles.element
    r_pr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(r_pr_default, BODY_FONT)
    _lang(r_pr_default)
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = OxmlElement("w:themeFontLang")
        settings.append(theme_lang)
    theme_lang.set(qn("w:val"), LANGUAGE)
    theme_lang.set(qn("w:eastAsia"), LANGUAGE)
    _style(doc, "Normal", BODY_FONT, SIZE_TEXT)
    _style(doc, "Title", TITLE_FONT, SIZE_TITLE)
    _style(doc, "Heading 1", HEADING_1_FONT, SIZE_TEXT)
    _style(doc, "Heading 2", HEADING_2_FONT, SIZE_TEXT)
    for name in ("Title",):  # the template draws a blue rule under Title
        p_pr = doc.styles[name].element.find(qn("w:pPr"))
        if p_pr is not None and p_pr.find(qn("w:pBdr")) is not None:
            p_pr.remove(p_pr.find(qn("w:pBdr")))
    _font_table(doc)
    doc.core_properties.language = LANGUAGE
    page_setup(doc.sections[0])
    page_numbers(doc.sections[0])
    return doc


def set_font(run, name: str, size: float, bold: bool = False) -> None:
    """A run in ``name`` (Chinese) and Times New Roman (Latin), black, ``size`` points."""
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(run._element.get_or_add_rPr(), name)


def paragraph(doc, text: str = "", *, font: str = BODY_FONT, size: float = SIZE_TEXT, bold: bool = False,
              align=None, indent: bool = True, style: str | None = None):
    """A paragraph of ``text`` (first line indented two characters unless ``indent`` is false)."""
    para = doc.add_paragraph(style=style)
    if align is not None:
        para.alignment = align
    fmt = para.paragraph_format
    fmt.first_line_indent = Pt(size * 2) if indent else None
    fmt.line_spacing = Pt(LINE_SPACING)
    if text:
        set_font(para.add_run(text), font, size, bold)
    return para


def title(doc, text: str):
    """The document's title: 方正小标宋简体 二号, centred."""
    return paragraph(doc, text, font=TITLE_FONT, size=SIZE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                     style="Title")


def heading(doc, text: str, level: int = 1):
    """一、… in 黑体 (level 1) or （一）… in 楷体_GB2312 (level 2), 三号, indented like the text."""
    font = HEADING_1_FONT if level == 1 else HEADING_2_FONT
    return paragraph(doc, text, font=font, size=SIZE_TEXT, style=f"Heading {level}")


def page_setup(section, *, landscape: bool = False) -> None:
    """A4 with the margins of GB/T 9704 (top 37 mm, bottom 35, left 28, right 26), turned for landscape."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if landscape:
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(26), Mm(22)
        section.left_margin, section.right_margin = Mm(25), Mm(25)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)


def page_numbers(section) -> None:
    """"— 1 —" centred at the foot of every page (GB/T 9704: 4号 半角宋体 page numbers)."""
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(para.add_run("— "), TABLE_FONT, SIZE_PAGE_NUMBER)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    run.append(copy.deepcopy(para.runs[0]._element.get_or_add_rPr()))
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    para._p.append(field)
    set_font(para.add_run(" —"), TABLE_FONT, SIZE_PAGE_NUMBER)


def cell_text(cell, text, *, size: float = 10.5, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER,
              font: str = TABLE_FONT):
    """Write ``text`` into a table cell in 宋体 with single line spacing (not the text's 28 pt lines)."""
    para = cell.paragraphs[0]
    para.alignment = align
    fmt = para.paragraph_format
    fmt.line_spacing = 1.0
    fmt.first_line_indent = None
    fmt.space_before = fmt.space_after = Pt(0)
    set_font(para.add_run("" if text is None else str(text)), font, size, bold)
    return para
