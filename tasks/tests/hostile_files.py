"""Tiny .xlsx and .docx files written part by part with zipfile, as an attacker would write them.

A real workbook or document needs only a handful of parts; these builders write exactly those,
so a test can declare anything (a merged range to XFD1048576, a gridSpan of 2×10⁹) in a 1-2 KB file.
"""
from __future__ import annotations

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE = "application/vnd.openxmlformats-officedocument"


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


XLSX_ROWS = ('<row r="1">' + _cell("A1", "工作任务") + _cell("B1", "工作要求") + _cell("C1", "责任单位") + "</row>"
             '<row r="2">' + _cell("A2", "一、加强决策公开") + "</row>"
             '<row r="3">' + _cell("A3", "目录公开") + _cell("B3", "1.公开重大行政决策事项目录。")
             + _cell("C3", "区发改局") + "</row>")


def tiny_xlsx(*, dimension: str = "A1:C3", extra_rows: str = "", merges: list[str] = ()) -> bytes:
    """A one-sheet workbook (sheet 分解表) with a header and one item, plus what the test declares."""
    merge_xml = (f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
                 + "</mergeCells>") if merges else ""
    sheet = (f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>{XLSX_ROWS}{extra_rows}'
             f"</sheetData>{merge_xml}</worksheet>")
    return _zip({
        "[Content_Types].xml": (
            f'<Types xmlns="{CT}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OFFICE}.spreadsheetml.worksheet+xml"/>'
            "</Types>"),
        "_rels/.rels": (f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" '
                        'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
                            '<sheet name="分解表" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
                                       f'Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet,
    })


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def docx_row(*cells: str, row_props: str = "") -> str:
    return f"<w:tr>{f'<w:trPr>{row_props}</w:trPr>' if row_props else ''}{''.join(cells)}</w:tr>"


HEADER_ROW = docx_row(_tc("工作任务"), _tc("工作要求"), _tc("责任单位"))
ITEM_ROW = docx_row(_tc("目录公开"), _tc("1.公开重大行政决策事项目录。"), _tc("区发改局"))


def tiny_docx(*rows: str, grid: int = 3) -> bytes:
    """A document whose body is one table: a header, the given rows (default: one item)."""
    body = (f"<w:tbl><w:tblGrid>{'<w:gridCol/>' * grid}</w:tblGrid>{HEADER_ROW}"
            f"{''.join(rows) if rows else ITEM_ROW}</w:tbl>")
    return _zip({
        "[Content_Types].xml": (
            f'<Types xmlns="{CT}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{OFFICE}.wordprocessingml.document.main+xml"/>'
            "</Types>"),
        "_rels/.rels": (f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" '
                        'Target="word/document.xml"/></Relationships>'),
        "word/document.xml": f'<w:document xmlns:w="{WORD}"><w:body>{body}</w:body></w:document>',
    })


def cell(text: str, props: str = "") -> str:
    return _tc(text, props)


LIMITS = "超过上限（最多5000行×60列），请删去多余的行列或检查文件是否损坏"

# (file name, bytes, the one Chinese line the import ends with)
HOSTILE = [
    ("合并到XFD.xlsx", tiny_xlsx(merges=["A3:XFD1048576"]),
     f"工作表“分解表”有合并单元格 A3:XFD1048576（1048574行×16384列），{LIMITS}"),
    ("单元格在XFD.xlsx", tiny_xlsx(extra_rows='<row r="1048576">' + _cell("XFD1048576", "x") + "</row>"),
     f"工作表“分解表”有单元格位于 XFD1048576，{LIMITS}"),
    ("声明范围.xlsx", tiny_xlsx(dimension="A1:XFD1048576"),
     f"工作表“分解表”声明的范围 A1:XFD1048576（1048576行×16384列），{LIMITS}"),
    ("合并过多.xlsx", tiny_xlsx(merges=[f"A{1 + 2 * i}:BH{2 + 2 * i}" for i in range(2500)] + ["A1:BH5000"]),
     f"工作表“分解表”的合并单元格共覆盖 600000 个单元格，{LIMITS}"),
    ("跨列.docx", tiny_docx(docx_row(cell("目录公开", '<w:gridSpan w:val="2000000000"/>'), cell("区发改局"))),
     f"表格过大：第1个表格第2行有单元格声明横跨 2000000000 列（gridSpan），{LIMITS}"),
    ("空列.docx", tiny_docx(docx_row(cell("目录公开"), row_props='<w:gridBefore w:val="2000000000"/>')),
     f"表格过大：第1个表格第2行声明空出 2000000000 列（gridBefore），{LIMITS}"),
    ("纵向合并.docx", tiny_docx(docx_row(cell("目录公开", '<w:vMerge w:val="restart"/>'), cell("1.做好公开。"),
                                     cell("区发改局")),
                            *[docx_row(cell("", "<w:vMerge/>"), cell(f"{i}.做好公开。"), cell("区发改局"))
                              for i in range(2, 5001)]),
     "表格过大：文档中的表格共超过 5000 行，超过上限（最多5000行×60列）"),
]
