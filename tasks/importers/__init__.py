"""Turn an uploaded file (.docx .xlsx .pdf .doc .wps .xls .et .odt .ods .txt) or pasted text into a
ParsedNotice. Pure: no database access (old formats are converted by a LibreOffice subprocess).

    parse_upload(filename, data, *, year=None, columns=None) -> ImportResult
    parse_upload_capped(filename, data, *, year=None, columns=None) -> ImportResult   (the same, in a
        child process with a memory and a time cap: what the web import and import_breakdown call)
    parse_text(text, *, year=None, columns=None) -> ImportResult

Both raise ImportFailure (Chinese ``message``, with row and column where known) when nothing
can be imported; otherwise the result carries warnings (items without units, deadlines not
understood, guessed columns, joined continuation rows, blanket rules …), ``missing_deadlines``
(items without any 时限), ``hints`` (both, in source order) and the rows that were skipped
(titles, repeated headers, blank and 备注 rows). Every hint names its row and column.

Column mapping (for the preview and ``import_breakdown --columns``; tasks.importers.columns):
``result.columns`` lists one ``ColumnInfo(index, header, role, guessed)`` per column of the table
read ([] for prose), ``label`` giving the role in Chinese (序号 / 工作任务 / 工作要求 / 牵头单位 /
责任单位 / 配合单位 / 时限 / 备注 / 忽略). Pass ``columns=`` a list of labels in column order
(``parse_mapping("序号,工作要求,牵头单位,责任单位,时限")``) or a dict {header text: label} (the
choice remembered per header word) to override the guess and parse again.

Pasted text is read as: tab-separated rows (with or without a known header), " | " pipe rows,
one cell per line (between "|" lines, or LibreOffice's text export), PDF-extracted table text, or
a prose 工作要点; text written in traditional characters is converted to simplified first.
"""
from __future__ import annotations

from core.uploads import (
    MAX_UPLOAD_BYTES,
    OLE_MAGIC,
    PDF_MAGIC,
    ZIP_MAGIC,
    check_office_magic,
    check_size,
    check_zip,
)
from tasks.breakdown import ParsedNotice
from tasks.importers.columns import ColumnInfo, parse_mapping
from tasks.importers.grid import Row
from tasks.importers.limits import check_docx_tables, check_xlsx_sheets
from tasks.importers.metadata import fill_metadata
from tasks.importers.result import ImportFailure, ImportIssue, ImportResult
from tasks.importers.table import interpret
from tasks.importers.text_cells import cell_rows, find_cell_table
from tasks.importers.text_pdf import find_header_line, pdf_rows
from tasks.importers.text_prose import find_prose_start, prose_rows
from tasks.importers.text_tabs import find_tab_header, find_tab_rows, tab_rows
from tasks.parsing import to_simplified

__all__ = ["MAX_UPLOAD_BYTES", "UPLOAD_ACCEPT", "ColumnInfo", "ImportFailure", "ImportIssue", "ImportResult",
           "check_zip", "parse_text", "parse_upload", "parse_upload_capped"]

TEXT_EXTENSIONS = ("txt", "tsv", "csv")
# What the upload field offers (the browser's file picker filter).
UPLOAD_ACCEPT = ".docx,.xlsx,.pdf,.doc,.wps,.xls,.et,.odt,.ods,.txt"
RTF_MAGIC = b"{\\rtf"


def build_result(rows: list[Row], head: list[str], *, year: int | None, kind: str,
                 skipped: list[ImportIssue] | None = None, columns=None) -> ImportResult:
    notice = ParsedNotice()
    cited = fill_metadata(notice, head, year=year)
    notice, warnings, skipped_rows, infos = interpret(rows, notice=notice, year=notice.year,
                                                      mapping=parse_mapping(columns))
    missing = [w for w in warnings if w.kind == "no_deadline"]
    warnings = [w for w in warnings if w.kind != "no_deadline"]
    return ImportResult(notice, warnings, (skipped or []) + skipped_rows, cited, kind, infos, missing)


def parse_text(text: str, *, year: int | None = None, columns=None) -> ImportResult:
    """Pasted text: tab-separated rows, PDF-extracted table text, or a prose 工作要点."""
    text = to_simplified((text or "").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ImportFailure("没有可导入的内容：文本为空")
    lines = text.split("\n")
    tab_header = find_tab_header(lines)
    if tab_header is not None:
        return build_result(tab_rows(lines, tab_header), lines[:tab_header], year=year, kind="text-tabs",
                            columns=columns)
    if tab_header is None and (tab_header := find_tab_rows(lines)) is not None:
        return build_result(tab_rows(lines, tab_header), lines[:tab_header], year=year, kind="text-tabs",
                            columns=columns)
    cell_table = find_cell_table(lines)
    if cell_table is not None:
        kind, index = cell_table
        return build_result(cell_rows(lines, kind, index), lines[:index], year=year, kind=f"text-{kind}",
                            columns=columns)
    found = find_header_line(lines)
    if found is not None:
        index, roles = found
        rows, skipped = pdf_rows(lines, index, roles)
        return build_result(rows, lines[:index], year=year, kind="text-pdf", skipped=skipped)
    start = find_prose_start(lines)
    if start is not None:
        hints: list[ImportIssue] = []
        rows = prose_rows(lines, start, hints)
        result = build_result(rows, lines[:start], year=year, kind="text-prose", columns=columns)
        result.warnings = hints + result.warnings
        result.columns = []  # prose has no columns to map
        return result
    raise ImportFailure("未识别到任务分解表：文本中应有“工作任务、工作要求、责任单位”等表头，"
                        "或为“一、…（一）…（责任单位：…）”格式的工作要点")


def parse_upload_capped(filename: str, data: bytes, *, year: int | None = None, columns=None) -> ImportResult:
    from tasks.importers.sandbox import parse_upload_capped as capped

    return capped(filename, data, year=year, columns=columns)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailure("文本文件的编码无法识别，请另存为 UTF-8 编码后再上传")


def _read_office(ext: str, data: bytes, *, year: int | None, columns=None) -> ImportResult:
    """A .docx or .xlsx: magic bytes, zip checks and declared sizes before any library opens it."""
    check_office_magic(data, ext)
    check_zip(data)
    if ext == "docx":
        from tasks.importers.docx_reader import read_docx

        check_docx_tables(data)
        return read_docx(data, year=year, columns=columns)
    from tasks.importers.xlsx_reader import read_xlsx

    check_xlsx_sheets(data)
    return read_xlsx(data, year=year, columns=columns)


def _converted(ext: str, data: bytes, *, year: int | None, columns=None) -> ImportResult:
    """.doc .wps .xls .et .odt .ods: an Office Open XML file under an old name is read as it is;
    anything else is converted with LibreOffice first."""
    from tasks.importers.convert import CONVERTIBLE, convert

    target, label = CONVERTIBLE[ext]
    if data.startswith(ZIP_MAGIC):
        names = check_zip(data)
        if ("word/document.xml" if target == "docx" else "xl/workbook.xml") in names:
            result = _read_office(target, data, year=year, columns=columns)
            result.source_kind = ext
            return result
    elif not (data.startswith(OLE_MAGIC) or (target == "docx" and data.startswith(RTF_MAGIC))):
        raise ImportFailure(f"文件内容与扩展名不符：这不是有效的 .{ext}（{label}）文件，可能已损坏或被改名")
    target, converted = convert(ext, data)
    result = _read_office(target, converted, year=year, columns=columns)
    result.source_kind = ext
    return result


def parse_upload(filename: str, data: bytes, *, year: int | None = None, columns=None) -> ImportResult:
    """An uploaded file, judged by its extension and checked by its magic bytes before parsing."""
    from tasks.importers.convert import CONVERTIBLE

    ext = filename.rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    check_size(data)
    if ext in ("docx", "xlsx"):
        return _read_office(ext, data, year=year, columns=columns)
    if ext in CONVERTIBLE:
        return _converted(ext, data, year=year, columns=columns)
    if ext == "pdf":
        if PDF_MAGIC not in data[:1024]:
            raise ImportFailure("文件内容与扩展名不符：这不是有效的 PDF 文件，可能已损坏或被改名")
        from tasks.importers.pdf_reader import read_pdf

        return read_pdf(data, year=year, columns=columns)
    if ext in TEXT_EXTENSIONS:
        if b"\x00" in data[:4096]:
            raise ImportFailure("文件内容与扩展名不符：这不是文本文件")
        return parse_text(_decode(data), year=year, columns=columns)
    shown = f"“.{ext}”" if ext else "（无扩展名）"
    raise ImportFailure(f"不支持的文件类型{shown}：请上传 Word（.docx/.doc/.wps）、Excel（.xlsx/.xls/.et）、"
                        "PDF 或 OpenDocument（.odt/.ods）文件，或粘贴表格文本")
