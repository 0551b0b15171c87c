"""The printed table, the machine description and the final RESULT line (a contract: compared run to run)."""
from __future__ import annotations

import os
import platform
import re
import sqlite3
import unicodedata

from django.db import connection

from devtools.benchmark.timing import Line

RESULT_RE = re.compile(
    r"^RESULT queries=(\d+)/(\d+)/(\d+) ledger_ratio=(\d+\.\d{2}) unfiltered_p95_ms=(\d+) "
    r"sort_ratio_max=(\d+\.\d{2}) export_ratio=(\d+\.\d{2}) export_mem_growth_mib=(-?\d+) "
    r"import_docx_s=(\d+\.\d{2})$")

HEADERS = ["指标", "测得", "基准", "比值", "目标", "结论"]

# The HTTP phase's line, printed right after RESULT (devtools.benchmark.http_run): req/s with one decimal,
# milliseconds whole; ``worst`` is a page key (ASCII, no spaces or colons) and its p95.
RESULT_HTTP_RE = re.compile(
    r"^RESULT_HTTP min_rps=(\d+\.\d) ledger_rps=(\d+\.\d) my_ledger_rps=(\d+\.\d) home_rps=(\d+\.\d) "
    r"search_p95_ms=(\d+) worst=([A-Za-z0-9_.=-]+):(\d+)$")

# Only with --http-compare BASE.json, right after RESULT_HTTP (devtools.benchmark.http_growth): the largest
# ratio of a page's p95 to its p95 in the base run, and that page.
GROWTH_RE = re.compile(r"^GROWTH max_ratio=(\d+\.\d{2}|inf) page=([A-Za-z0-9_.=-]+)$")


def result_line(*, queries: tuple[int, int, int], ledger_ratio: float, unfiltered_p95_ms: float,
                sort_ratio_max: float, export_ratio: float, export_mem_growth_mib: float,
                import_docx_s: float) -> str:
    return (f"RESULT queries={queries[0]}/{queries[1]}/{queries[2]} ledger_ratio={ledger_ratio:.2f} "
            f"unfiltered_p95_ms={round(unfiltered_p95_ms)} sort_ratio_max={sort_ratio_max:.2f} "
            f"export_ratio={export_ratio:.2f} export_mem_growth_mib={round(export_mem_growth_mib)} "
            f"import_docx_s={import_docx_s:.2f}")


def result_http_line(*, min_rps: float, ledger_rps: float, my_ledger_rps: float, home_rps: float,
                     search_p95_ms: float, worst: str, worst_p95_ms: float) -> str:
    return (f"RESULT_HTTP min_rps={min_rps:.1f} ledger_rps={ledger_rps:.1f} my_ledger_rps={my_ledger_rps:.1f} "
            f"home_rps={home_rps:.1f} search_p95_ms={round(search_p95_ms)} worst={worst}:{round(worst_p95_ms)}")


def growth_line(*, max_ratio: float, page: str) -> str:
    return f"GROWTH max_ratio={max_ratio:.2f} page={page}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def grid(headers: list[str], body: list[list[str]], *, right: tuple[int, ...] = ()) -> str:
    """Columns padded to their widest cell (CJK characters count double); ``right`` columns right-aligned."""
    rows = [headers] + body
    widths = [max(_width(row[i]) for row in rows) for i in range(len(headers))]
    out = []
    for index, row in enumerate(rows):
        cells = [(" " * (widths[i] - _width(cell)) + cell) if i in right and index else _pad(cell, widths[i])
                 for i, cell in enumerate(row)]
        out.append("  ".join(cells).rstrip())
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def table(lines: list[Line]) -> str:
    return grid(HEADERS, [[ln.label, ln.measured, ln.baseline, ln.ratio, ln.goal, ln.verdict] for ln in lines])


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "未知"


def database_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def machine() -> str:
    return (f"CPU：{_cpu_model()}，{os.cpu_count()}核；内存：{_memory_gib()}；数据库：{database_version()}；"
            f"Python {platform.python_version()}")
