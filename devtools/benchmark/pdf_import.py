"""Parsing a 10-page text PDF of a breakdown table (tasks.importers.parse_upload), and the capped web path.

The PDF is the benchmark's .docx table with more items, printed by LibreOffice as an office would
print it; where soffice is not installed the PDF figure is reported as skipped.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from devtools.benchmark.docx_import import build_docx

PAGES = 10
ITEMS = 40  # ten A4 pages in the benchmark table's layout (LibreOffice 7.4, Noto CJK)


@dataclass
class PdfTiming:
    samples: list[float]
    items: int
    pages: int
    size: int
    skipped: str = ""

    @property
    def worst(self) -> float:
        return max(self.samples) if self.samples else 0.0


def build_pdf(folder: Path, *, items: int = ITEMS) -> Path | None:
    from tasks.importers.convert import soffice_path

    soffice = soffice_path()
    if soffice is None:
        return None
    source = build_docx(folder / "基准任务分解表.docx", items=items)
    subprocess.run([soffice, "--headless", "--norestore", "--nolockcheck",
                    f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--convert-to", "pdf",
                    "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(folder)})
    return folder / "基准任务分解表.pdf"


def measure(*, repeat: int = 3) -> PdfTiming:
    import pdfplumber

    from tasks.importers import parse_upload

    with tempfile.TemporaryDirectory() as folder:
        path = build_pdf(Path(folder))
        if path is None:
            return PdfTiming([], 0, 0, 0, skipped="未安装 LibreOffice（soffice），无法生成PDF")
        data = path.read_bytes()
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
    samples, items = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = parse_upload("基准任务分解表.pdf", data)
        samples.append(time.perf_counter() - started)
        items = len(result.notice.all_tasks())
    return PdfTiming(samples=samples, items=items, pages=pages, size=len(data))


@dataclass
class CappedTiming:
    samples: list[float]
    items: int


def measure_capped(*, repeat: int = 5) -> CappedTiming:
    """The web and command path: the same .docx parsed in the capped child process (fork + pickle)."""
    from tasks.importers import parse_upload_capped

    with tempfile.TemporaryDirectory() as folder:
        data = build_docx(Path(folder) / "基准任务分解表.docx").read_bytes()
    samples, items = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = parse_upload_capped("基准任务分解表.docx", data)
        samples.append(time.perf_counter() - started)
        items = len(result.notice.all_tasks())
    return CappedTiming(samples=samples, items=items)
