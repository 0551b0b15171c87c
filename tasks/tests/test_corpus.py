"""The corpus of real published tables: its expected JSON keeps the contract, its renderings open,
and the importer reads it (items and unit mentions right ≥ 95%)."""
import copy
import datetime
import io
import re

import pytest

from tasks.breakdown import ParsedNotice
from tasks.tests import corpus_render
from tasks.tests.corpus_score import CORPUS, all_tasks, compare, load_expected, score_file, slugs, total

SLUGS = slugs()
TABLES = [s for s in SLUGS if corpus_render.is_table(s)]
NOTICE_KEYS = ["doc_number", "year", "issuer", "issue_date", "title", "sections"]
SECTION_KEYS = ["number", "title", "subsections", "tasks"]
SUBSECTION_KEYS = ["number", "title", "tasks"]
# 时限 words that never resolve to a date (ongoing or recurring), as met in this corpus.
OPEN_ENDED = ("持续推进", "长期推进", "长期坚持", "常态化", "每年度", "每季度", "每月", "及时", "定期")
TASK_KEYS = ["number", "title", "requirement", "lead_units", "responsible_units", "cooperating_units",
             "deadline_text", "deadline"]


def test_the_corpus_is_there_with_a_source_for_every_file():
    assert len(SLUGS) >= 30
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for slug in SLUGS:
        assert (CORPUS / f"{slug}.txt").read_text(encoding="utf-8").strip()
        assert f"`{slug}`" in sources, f"{slug} missing from SOURCES.md"


def _numeral(text: str) -> None:
    assert text == "" or re.fullmatch("[一二三四五六七八九十百]+", text), f"{text!r} is not a Chinese numeral"


@pytest.mark.parametrize("slug", SLUGS)
def test_expected_json_keeps_the_contract(slug):
    data = load_expected(slug)
    assert list(data) == NOTICE_KEYS
    assert data["year"] is None or 2016 <= data["year"] <= 2025
    if data["issue_date"]:
        assert datetime.date.fromisoformat(data["issue_date"]).year == data["year"]
    assert data["sections"]
    for section in data["sections"]:
        assert list(section) == SECTION_KEYS
        _numeral(section["number"])
        if section["subsections"]:
            assert section["tasks"] == []
        for sub in section["subsections"]:
            assert list(sub) == SUBSECTION_KEYS
            _numeral(sub["number"])
            assert sub["tasks"]
    tasks = all_tasks(data)
    assert tasks
    numbers = [t["number"] for t in tasks]
    assert numbers == list(range(1, len(numbers) + 1)) or len(set(numbers)) == len(numbers)
    for task in tasks:
        assert list(task) == TASK_KEYS
        assert isinstance(task["number"], int) and task["number"] >= 1
        assert task["title"] or task["requirement"]
        own = rf"^\s*{task['number']}\s*[.．、](?!\d)"
        assert not re.match(own, task["requirement"]), "the item's 1. prefix belongs to neither"
        for role in ("lead_units", "responsible_units", "cooperating_units"):
            assert all(isinstance(u, str) and u.strip() == u and u for u in task[role])
        assert task["lead_units"] or task["responsible_units"], f"item {task['number']} has no unit"
        if task["deadline"]:
            datetime.date.fromisoformat(task["deadline"])
        if not task["deadline_text"] or any(w in task["deadline_text"] for w in OPEN_ENDED):
            assert task["deadline"] is None, "no 时限, or an ongoing/recurring one, has no date"
    assert ParsedNotice.from_json(data).to_json() == data


def test_the_scorer_counts_items_and_unit_mentions():
    expected = load_expected("guangdong_jiangmen_tdcb_table")
    perfect = compare("x", expected, copy.deepcopy(expected))
    assert (perfect.items_right, perfect.items_total) == (10, 10)
    assert perfect.units_right == perfect.units_total == 13
    doctored = copy.deepcopy(expected)
    tasks = all_tasks(doctored)
    tasks[3]["lead_units"] = []            # item 4 loses its lead unit
    tasks[0]["requirement"] += "。"        # item 1 text differs
    tasks[1]["number"] = 99                # item 2 missing, item 99 extra
    score = compare("x", expected, doctored)
    assert score.items_right == 7 and score.items_total == 11
    assert score.units_right == 13 - 1 - 1 and score.units_total == 13 + 1
    assert compare("x", expected, None, error="refused").items_right == 0


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_rendering_has_the_layout_of_the_source(slug):
    from docx import Document

    document = Document(io.BytesIO(corpus_render.render_docx(slug)))
    if slug in TABLES:
        table = document.tables[0]
        header = [cell.text for cell in table.rows[0].cells]
        assert header == [word for word, _ in corpus_render.LAYOUTS[slug].columns]
        rows, _merges = corpus_render.table_grid(slug)
        assert len(table.rows) == len(rows)
        body = "\n".join(cell.text for row in table.rows for cell in row.cells)
        for task in all_tasks(load_expected(slug)):
            assert task["requirement"] in body
    else:
        text = "\n".join(p.text for p in document.paragraphs)
        assert text == "\n".join(corpus_render.head_lines(slug))


@pytest.mark.parametrize("slug", TABLES)
def test_xlsx_rendering_keeps_the_merged_cells(slug):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(corpus_render.render_xlsx(slug))).active
    rows, merges = corpus_render.table_grid(slug)
    offset = len(corpus_render.xlsx_title_lines(slug))
    ranges = {(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges}
    for r0, c0, r1, c1 in merges:
        assert (offset + r0 + 1, c0 + 1, offset + r1 + 1, c1 + 1) in ranges
    header = [sheet.cell(row=offset + 1, column=c + 1).value or "" for c in range(len(rows[0]))]
    assert header == rows[0]
    assert sheet.max_row == offset + len(rows)


@pytest.mark.skipif(not corpus_render.pdf_available(), reason="LibreOffice (soffice) is not installed")
def test_pdf_rendering_is_a_text_pdf():
    data = corpus_render.render_pdf("guangdong_jiangmen_tdcb_table")
    assert data.startswith(b"%PDF")
    assert len(data) > 5000


def test_the_importer_reads_the_corpus():
    scores = [score_file(slug) for slug in SLUGS]
    overall = total(scores)
    detail = "\n".join(f"{s.slug}: {s.items_right}/{s.items_total} {s.error} {s.wrong}" for s in scores)
    assert overall.items_pct >= 95, detail
    assert overall.units_pct >= 95, detail


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_importer_reads_the_renderings(fmt):
    """The same tables as Word and Excel files in their published layout (prose as Word paragraphs)."""
    chosen = SLUGS if fmt == "docx" else TABLES
    scores = [score_file(slug, fmt) for slug in chosen]
    overall = total(scores)
    detail = "\n".join(f"{s.slug}: {s.items_right}/{s.items_total} {s.error} {s.wrong}" for s in scores)
    assert overall.items_pct >= 95, detail
    assert overall.units_pct >= 95, detail
