"""The Word export: reopened with python-docx, six headings, merged headers and the numbers."""
import io

import docx
import pytest
from django.urls import reverse

from reports.annual import format as fmt
from reports.annual.docx import build_document
from reports.tests.annual_samples import good_figures, good_sections
from reports.tests.test_annual_views import make_report

TITLE = "测试区发展和改革局2026年政府信息公开工作年度报告"


def reopened(content: bytes | None = None):
    if content is None:
        buffer = io.BytesIO()
        build_document(title=TITLE, sections=good_sections(), figures=good_figures()).save(buffer)
        content = buffer.getvalue()
    return docx.Document(io.BytesIO(content))


def unique_cells(row):
    seen, cells = set(), []
    for cell in row.cells:  # a merged cell repeats for every grid cell it covers
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell.text)
    return cells


def test_title_and_the_six_headings_in_order():
    document = reopened()
    assert document.paragraphs[0].text == TITLE
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in fmt.SECTIONS]
    texts = [p.text for p in document.paragraphs]
    assert good_sections()["problems"] in texts


def test_tables_carry_the_numbers_under_merged_headers():
    two, three, four = reopened().tables
    assert unique_cells(two.rows[0]) == ["第二十条第（一）项"]
    assert unique_cells(two.rows[3]) == ["行政规范性文件", "4", "1", "23"]
    assert unique_cells(two.rows[-1]) == ["行政事业性收费", "12.35"]
    assert unique_cells(three.rows[0]) == [fmt.T3_RULE_NOTE, "申请人情况"]
    assert unique_cells(three.rows[1])[1:] == ["自然人", "法人或其他组织", "总计"]
    assert unique_cells(three.rows[3]) == ["一、本年新收政府信息公开申请数量", "40", "10", "1", "2", "3", "4", "60"]
    total_row = unique_cells(three.rows[3 + 23])
    assert total_row[-8:] == ["（七）总计", "39", "9", "1", "2", "2", "3", "56"]
    assert unique_cells(four.rows[0]) == ["行政复议", "行政诉讼"]
    assert unique_cells(four.rows[3]) == ["2", "1", "0", "1", "4", "1", "0", "0", "0", "1", "0", "0", "0", "2", "2"]


@pytest.mark.django_db
def test_download_through_the_page(client, alice, unit_a):
    report = make_report(unit_a)
    client.force_login(alice)
    response = client.get(reverse("reports:annual-export-docx", args=[report.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    document = reopened(b"".join(response.streaming_content))
    assert document.paragraphs[0].text == report.title


@pytest.mark.django_db
def test_a_report_with_errors_is_not_exported(client, alice, unit_a):
    report = make_report(unit_a, figures=good_figures() | {"t3.carry_next.natural": 99})
    client.force_login(alice)
    response = client.get(reverse("reports:annual-export-docx", args=[report.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:annual-detail", args=[report.pk])
    assert "报告还有" in response.content.decode() and "修正后才能导出" in response.content.decode()
