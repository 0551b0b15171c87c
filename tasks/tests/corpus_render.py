"""Render a corpus table as the office would receive it: .docx, .xlsx and .pdf.

Pure helpers for the tests and the scorer. A table source is rebuilt from its hand-written JSON in
the layout the published table has (``LAYOUTS``: its header words in its column order, section
rows merged across or section cells merged down the first column, a unit cell merged down over
the items that share it); the lines of the text before the table become the paragraphs (docx) or
the title rows (xlsx) above it. A prose 工作要点 becomes a Word document of its paragraphs.
The PDF is LibreOffice's conversion of the .docx (``soffice --headless``, in a temporary folder,
with a timeout); ``pdf_available()`` tells the tests whether to skip.
"""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
SOFFICE_TIMEOUT = 90

# Column roles: section (the section heading, merged down), title, number, requirement,
# numbered_requirement ("1.…" written in the requirement cell), lead, responsible, cooperating,
# units (one cell holding lead "X牵头", responsible and cooperating "Y配合"), deadline, blank.


@dataclass(frozen=True)
class Layout:
    columns: tuple[tuple[str, str], ...]   # (header word as published, role)
    head_lines: int                        # lines of the .txt above the table (notice, title)
    section_rows: str = "row"              # "row": a heading row across; "column": merged down col 1
    merge_units: bool = False              # one unit cell merged down over equal neighbours
    subsection_rows: bool = True           # a "（一）…" heading row across (unless a column holds it)
    section_numbered: bool = True          # the source writes "一、" before the section heading
    merge_titles: bool = False             # a title cell merged down over equal neighbours
    empty_units: str = ""                  # what an empty unit cell shows ("——" in some tables)
    extra_header_rows: tuple[tuple[str, ...], ...] = field(default=())


LAYOUTS: dict[str, Layout] = {}
UNIT_ROLES = ("lead", "responsible", "cooperating", "units")


def register(slug: str, layout: Layout) -> None:
    LAYOUTS[slug] = layout


def expected(slug: str) -> dict:
    return json.loads((CORPUS / f"{slug}.json").read_text(encoding="utf-8"))


def head_lines(slug: str) -> list[str]:
    lines = (CORPUS / f"{slug}.txt").read_text(encoding="utf-8").splitlines()
    layout = LAYOUTS.get(slug)
    keep = lines[:layout.head_lines] if layout else lines
    return [line.strip() for line in keep if line.strip()]


def _unit_text(units: list[str]) -> str:
    return "、".join(units)


def _cell(task: dict, role: str) -> str:
    if role == "number":
        return str(task["number"])
    if role == "title":
        return task.get("title") or ""
    if role == "requirement":
        return task.get("requirement") or ""
    if role == "numbered_requirement":
        return f"{task['number']}.{task.get('requirement') or ''}"
    if role == "lead":
        return _unit_text(task["lead_units"])
    if role == "responsible":
        return _unit_text(task["responsible_units"])
    if role == "cooperating":
        return _unit_text(task["cooperating_units"])
    if role == "units":
        parts = []
        if task["lead_units"]:
            parts.append(_unit_text(task["lead_units"]) + "牵头")
        if task["responsible_units"]:
            parts.append(_unit_text(task["responsible_units"]))
        if task["cooperating_units"]:
            parts.append(_unit_text(task["cooperating_units"]) + "配合")
        return "，".join(parts)
    if role == "lead_luoshi":
        many = len(task["lead_units"]) > 1
        return _unit_text(task["lead_units"]) + ("分别牵头落实" if many else "牵头落实")
    if role == "deadline":
        return task.get("deadline_text") or ""
    return ""


def table_grid(slug: str) -> tuple[list[list[str | None]], list[tuple[int, int, int, int]]]:
    """The table's rows (header first) and its merged ranges (row0, col0, row1, col1), 0-based."""
    layout = LAYOUTS[slug]
    notice = expected(slug)
    roles = [role for _, role in layout.columns]
    width = len(roles)
    rows: list[list[str | None]] = [list(r) for r in layout.extra_header_rows]
    rows.append([word for word, _ in layout.columns])
    merges: list[tuple[int, int, int, int]] = []

    def heading_row(text: str) -> None:
        rows.append([text] + [""] * (width - 1))
        merges.append((len(rows) - 1, 0, len(rows) - 1, width - 1))

    for section in notice["sections"]:
        numbered_heading = layout.section_numbered and section["number"]
        heading = f"{section['number']}、{section['title']}" if numbered_heading else section["title"]
        groups = [(None, section["tasks"])] if section["tasks"] else []
        groups += [(sub, sub["tasks"]) for sub in section["subsections"]]
        first_row = len(rows)
        if layout.section_rows == "row" and section["number"]:
            heading_row(heading)
        for sub, tasks in groups:
            sub_heading = f"（{sub['number']}）{sub['title']}" if sub is not None else ""
            if sub is not None and layout.subsection_rows and "subsection" not in roles:
                heading_row(sub_heading)
            sub_first = len(rows)
            for task in tasks:
                row = [heading if role == "section" else sub_heading if role == "subsection"
                       else _cell(task, role) for role in roles]
                rows.append([layout.empty_units if not value and role in UNIT_ROLES else value
                             for value, role in zip(row, roles, strict=True)])
            if "subsection" in roles and len(rows) - sub_first > 1:
                col = roles.index("subsection")
                merges.append((sub_first, col, len(rows) - 1, col))
        if layout.section_rows == "column" and "section" in roles and len(rows) - first_row > 1:
            col = roles.index("section")
            merges.append((first_row, col, len(rows) - 1, col))
    merged_roles = {"title"} if layout.merge_titles else set()
    if layout.merge_units:
        merged_roles |= {"lead", "responsible", "cooperating", "units", "lead_luoshi"}
    if merged_roles:
        header_rows = len(layout.extra_header_rows) + 1
        for col, role in enumerate(roles):
            if role not in merged_roles:
                continue
            start = header_rows
            for r in range(header_rows, len(rows) + 1):
                same = (r < len(rows) and rows[r][col] and rows[r][col] == rows[start][col]
                        and not _in_merge(merges, r, 0, width))
                if not same:
                    if r - start > 1 and rows[start][col]:
                        merges.append((start, col, r - 1, col))
                    start = r
    return rows, merges


def _in_merge(merges, row: int, col0: int, width: int) -> bool:
    return any(r0 <= row <= r1 and c0 == col0 and c1 == width - 1 for r0, c0, r1, c1 in merges)


def render_docx(slug: str) -> bytes:
    from docx import Document

    document = Document()
    for line in head_lines(slug):
        document.add_paragraph(line)
    if slug not in LAYOUTS:
        return _save(document)
    rows, merges = table_grid(slug)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value and not _covered(merges, r, c):
                table.cell(r, c).text = value
    for r0, c0, r1, c1 in merges:
        text = rows[r0][c0] or ""
        merged = table.cell(r0, c0).merge(table.cell(r1, c1))
        merged.text = text
    return _save(document)


def _covered(merges, r: int, c: int) -> bool:
    return any(r0 <= r <= r1 and c0 <= c <= c1 and (r, c) != (r0, c0) for r0, c0, r1, c1 in merges)


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_xlsx(slug: str) -> bytes:
    """Title rows from the text above the table, then the table with its merged cells."""
    from openpyxl import Workbook

    if slug not in LAYOUTS:
        raise ValueError(f"{slug} is prose: it has no spreadsheet layout")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务分解表"
    rows, merges = table_grid(slug)
    width = len(rows[0])
    above = xlsx_title_lines(slug)
    for line in above:
        sheet.append([line])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
    offset = sheet.max_row if above else 0
    for values in rows:
        sheet.append([v if v else None for v in values])
    for r0, c0, r1, c1 in merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    sheet.cell(row=offset + r + 1, column=c + 1).value = None
        sheet.merge_cells(start_row=offset + r0 + 1, start_column=c0 + 1,
                          end_row=offset + r1 + 1, end_column=c1 + 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_title_lines(slug: str) -> list[str]:
    """A workbook keeps only the last two lines above the table (the title rows)."""
    return head_lines(slug)[-2:]


def pdf_available() -> bool:
    return shutil.which("soffice") is not None


def render_pdf(slug: str) -> bytes:
    """The .docx rendering converted by LibreOffice; raises RuntimeError when soffice is absent."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError("soffice is not installed")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"{slug}.docx"
        source.write_bytes(render_docx(slug))
        profile = Path(folder) / "profile"
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", folder, str(source)],
            check=True, timeout=SOFFICE_TIMEOUT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        return (Path(folder) / f"{slug}.pdf").read_bytes()


def render(slug: str, fmt: str) -> bytes:
    return {"docx": render_docx, "xlsx": render_xlsx, "pdf": render_pdf}[fmt](slug)


def is_table(slug: str) -> bool:
    return slug in LAYOUTS


# ---------------------------------------------------------------- the layouts of the corpus tables

register("anhui_chizhou_xfj_keypoints_table", Layout(
    columns=(("工作任务", "title"), ("", "number"), ("具体要求", "requirement"), ("责任科室", "responsible"),
             ("时限要求", "deadline")),
    head_lines=0, merge_titles=True))
register("guangdong_jiangmen_tdcb_table", Layout(
    columns=(("工作任务", "section"), ("具体要求", "numbered_requirement"), ("责任部门", "units")),
    head_lines=0, section_rows="column"))
register("hubei_jingzhou2022_table", Layout(
    columns=(("工作任务", "section"), ("", "subsection"), ("", "number"), ("具体要求", "requirement"),
             ("责任单位", "responsible"), ("时限要求", "deadline")),
    head_lines=6, section_rows="column", merge_units=True))
register("anhui_qiaocheng_town_table", Layout(
    columns=(("工作任务", "section"), ("具体内容", "requirement"), ("责任部门", "responsible")),
    head_lines=0, section_rows="column", section_numbered=False))
register("shandong_weifang2017_cells", Layout(
    columns=(("目标", "section"), ("任务", "subsection"), ("主要内容", "requirement"),
             ("责任单位", "lead_luoshi")),
    head_lines=2, section_rows="column"))
register("liaoning_shenyang2017_cells_blanket", Layout(
    columns=(("序号", "number"), ("任务事项", "title"), ("工   作   要   求", "requirement"), ("公开载体", "blank"),
             ("完成时限", "deadline")),
    head_lines=19))
register("shanghai_changning2024_cells", Layout(
    columns=(("领域", "section"), ("序号", "number"), ("任务名称", "subsection"), ("任务内容", "requirement"),
             ("责任单位", "responsible"), ("完成时限", "deadline")),
    head_lines=24, section_rows="column", merge_units=True))
register("guangdong_taishan_table_merged_units", Layout(
    columns=(("工作任务", "section"), ("具体要求", "numbered_requirement"), ("责任单位", "units")),
    head_lines=0, section_rows="column", merge_units=True))
register("chongqing_gaoxin2021_cells_dash", Layout(
    columns=(("工作任务", "numbered_requirement"), ("牵头单位", "lead"), ("责任单位", "responsible")),
    head_lines=21, empty_units="——"))
register("zhejiang_district2022_table_deadline_first_traditional", Layout(
    columns=(("主要工作任务", "section"), ("", "subsection"), ("任务内容", "numbered_requirement"),
             ("完成时限", "deadline"), ("责任单位", "responsible")),
    head_lines=0, section_rows="column", merge_units=True))
