"""Parsing a 40-item .docx breakdown table (tasks.importers.parse_upload), built with python-docx."""
from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ITEMS = 40
SECTIONS = ["一、加强政策发布解读", "二、深化重点领域信息公开", "三、提升政务公开平台效能", "四、强化政务公开保障"]
UNITS = ["区发改局\n区财政局", "区教育局、区民政局", "各街道办、区直各有关部门", "区人社局牵头，区司法局配合", "区住建局"]
DEADLINES = ["6月底前", "9月底前", "10月底前", "年底前", "持续推进"]


def build_docx(path: Path, *, year: int = 2026, items: int = ITEMS) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph(f"基准政办〔{year}〕99号")
    doc.add_paragraph(f"关于印发{year}年政务公开工作主要任务分解表的通知")
    doc.add_paragraph("各街道办事处，区直各有关单位：")
    table = doc.add_table(rows=1, cols=6)
    for cell, text in zip(table.rows[0].cells, ["序号", "工作任务", "工作要求", "牵头单位", "责任单位", "时限"],
                          strict=True):
        cell.text = text
    per_section = -(-items // len(SECTIONS))
    for number in range(1, items + 1):
        if (number - 1) % per_section == 0:
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = SECTIONS[(number - 1) // per_section]
        cells = table.add_row().cells
        cells[0].text = str(number)
        cells[1].text = f"第{number}项重点工作"
        cells[2].text = (f"围绕第{number}项重点工作，及时发布政策文件和解读材料，主动回应社会关切，"
                         f"按时报送落实情况。")
        cells[3].text = "区政府办"
        cells[4].text = UNITS[number % len(UNITS)]
        cells[5].text = DEADLINES[number % len(DEADLINES)]
    doc.save(path)
    return path


@dataclass
class ImportTiming:
    samples: list[float]
    items: int
    size: int

    @property
    def worst(self) -> float:
        return max(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def measure(*, repeat: int = 5) -> ImportTiming:
    from tasks.importers import parse_upload

    with tempfile.TemporaryDirectory() as folder:
        data = build_docx(Path(folder) / "基准任务分解表.docx").read_bytes()
    samples = []
    items = 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = parse_upload("基准任务分解表.docx", data)
        samples.append(time.perf_counter() - started)
        items = len(result.notice.all_tasks())
    return ImportTiming(samples=samples, items=items, size=len(data))
