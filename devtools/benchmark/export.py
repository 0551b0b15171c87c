"""The yearly Excel export (reports.excel.write_summary_workbook fed by the reports' own streaming reads)
against csv.writer of the same rows, and its peak memory as the row count triples.

Both writers consume the very same generators (summary rows, unit/section/month figures, the overdue
list, the annual-text draft) for the same user and years, so the ratio is the cost of writing .xlsx
instead of .csv on top of identical database work.

Each run is a fresh ``manage.py benchmark --export-probe`` subprocess, stopped after a time limit (the
figure is then a lower bound, and marked so); its peak resident set size comes from the child's rusage.
Memory growth = peak(3 years' rows) − peak(1 year's rows). Where a subprocess cannot see the data (an
uncommitted transaction, an in-memory SQLite test database) the runs happen in-process and tracemalloc's
peak is compared instead.
"""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from itertools import chain

from django.conf import settings
from django.db import connection

from tasks.models import Assignment

MIB = 1024 * 1024


def _sources(user, years: list[int], today):
    """The export's inputs for ``years`` (several years are simply chained, as one longer year)."""
    from reports.services import annual_text_draft
    from reports.stats import overdue_lines, year_statistics
    from reports.summary import summary_rows

    return dict(
        rows=chain.from_iterable(summary_rows(user, year=y, today=today) for y in years),
        stats=year_statistics(user, year=years[0], today=today),
        overdue=chain.from_iterable(overdue_lines(user, year=y, today=today) for y in years),
        annual_text=annual_text_draft(user=user, year=years[0], today=today),
    )


def write_xlsx(out, *, user, years: list[int], today) -> int:
    from reports.excel import write_summary_workbook

    return write_summary_workbook(out, year=years[0], scope_label="全部通知（基准测试）", today=today,
                                  **_sources(user, years, today))


def _figure_cells(fig) -> list:
    return [fig.label, fig.assigned, fig.done, fig.done_on_time, fig.done_late, fig.overdue, fig.not_applicable,
            fig.not_reported, fig.on_time_rate, fig.overdue_share, fig.avg_days_to_done]


def write_csv(out, *, user, years: list[int], today) -> int:
    """The same rows, cell for cell, through csv.writer into a text file."""
    source = _sources(user, years, today)
    writer = csv.writer(out)
    count = 0
    for row in source["rows"]:
        if row.kind == "item":
            count += 1
            writer.writerow([row.number, row.text, row.lead_units, row.responsible_units, row.deadline_display,
                             row.status, row.completed_on, row.progress_text, row.origin_label])
        else:
            writer.writerow([row.heading])
    stats = source["stats"]
    for fig in [*stats.units, stats.unit_total, *stats.sections, stats.section_total, *stats.months]:
        writer.writerow(_figure_cells(fig))
    for index, line in enumerate(source["overdue"], 1):
        writer.writerow([index, line.doc_number, line.item_number, line.item_text, line.unit_name, line.role,
                         line.deadline_display, line.due_date, line.days_overdue, line.status,
                         line.last_reported_on])
    for paragraph in source["annual_text"].split("\n"):
        writer.writerow([paragraph])
    return count


def run_once(kind: str, *, user, years: list[int], today) -> tuple[float, int, int]:
    """(seconds, items written, bytes written) for one export into a temporary file."""
    with tempfile.TemporaryFile() as raw:
        started = time.perf_counter()
        if kind == "xlsx":
            items = write_xlsx(raw, user=user, years=years, today=today)
        else:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            items = write_csv(text, user=user, years=years, today=today)
            text.flush()
            text.detach()
        seconds = time.perf_counter() - started
        raw.seek(0, io.SEEK_END)
        return seconds, items, raw.tell()


def ledger_rows(years: list[int]) -> int:
    counts = dict.fromkeys(years, 0)
    for year in set(years):
        counts[year] = Assignment.objects.filter(year=year).count()
    return sum(counts[y] for y in years)


def probe(*, kind: str, user, years: list[int], today) -> dict:
    """Run in the subprocess: one export; its peak memory is read by the parent from the child's rusage."""
    seconds, items, size = run_once(kind, user=user, years=years, today=today)
    return {"seconds": seconds, "items": items, "bytes": size}


def can_use_subprocess() -> bool:
    name = str(connection.settings_dict.get("NAME") or "")
    in_memory = connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name)
    return not connection.in_atomic_block and not in_memory


@dataclass
class Run:
    """One export: seconds (the time limit if it was stopped), peak memory, and whether it finished."""

    seconds: float
    peak_mib: float
    items: int = 0
    size: int = 0
    finished: bool = True


def _run_subprocess(kind: str, years: list[int], *, timeout: float) -> Run:
    """A fresh ``manage.py benchmark --export-probe`` process, stopped after ``timeout`` seconds.

    Its peak resident set size comes from wait4()'s rusage for that child alone, so it is known even when
    the run had to be stopped.
    """
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "benchmark",
               "--export-probe", ",".join(str(y) for y in years), "--export-format", kind]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=os.environ.copy())
        finished = True
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                finished = False
                break
            time.sleep(0.2)
        child.returncode = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss / 1024  # KiB on Linux
        if not finished:
            return Run(seconds=timeout, peak_mib=peak, finished=False)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise RuntimeError(f"导出测量子进程失败：{err.read().strip()[-2000:]}")
        result = json.loads(out.read().strip().splitlines()[-1])
    return Run(seconds=result["seconds"], peak_mib=peak, items=result["items"], size=result["bytes"])


def _run_in_process(kind: str, years: list[int], *, user, today, trace: bool) -> Run:
    if trace:
        tracemalloc.start()
    try:
        seconds, items, size = run_once(kind, user=user, years=years, today=today)
        peak = tracemalloc.get_traced_memory()[1] / MIB if trace else 0.0
    finally:
        if trace:
            tracemalloc.stop()
    return Run(seconds=seconds, peak_mib=peak, items=items, size=size)


@dataclass
class ExportResult:
    year: int
    rows: int
    xlsx: Run
    csv: Run
    large: Run
    large_rows: int
    large_label: str
    memory_method: str

    @property
    def ratio(self) -> float:
        return self.xlsx.seconds / self.csv.seconds

    @property
    def growth_mib(self) -> float:
        return self.large.peak_mib - self.xlsx.peak_mib

    @property
    def finished(self) -> bool:
        return self.xlsx.finished and self.csv.finished and self.large.finished


def measure(*, user, years: list[int], today, timeout: float = 900) -> ExportResult:
    """xlsx and csv of the latest year, then xlsx of three years' rows; each run in a fresh process
    (in-process with tracemalloc where a subprocess cannot see the data)."""
    year = years[0]
    large_years = years[:3] if len(years) >= 3 else [year] * 3
    large_label = ("、".join(f"{y}年" for y in large_years) if len(set(large_years)) == 3
                   else f"{year}年的行连续写三遍")
    if can_use_subprocess():
        csv_run = _run_subprocess("csv", [year], timeout=timeout)
        xlsx_run = _run_subprocess("xlsx", [year], timeout=timeout)
        large = _run_subprocess("xlsx", large_years, timeout=timeout)
        method = "子进程峰值常驻内存（wait4 rusage）"
    else:
        csv_run = _run_in_process("csv", [year], user=user, today=today, trace=False)
        xlsx_run = _run_in_process("xlsx", [year], user=user, today=today, trace=False)
        xlsx_run.peak_mib = _run_in_process("xlsx", [year], user=user, today=today, trace=True).peak_mib
        large = _run_in_process("xlsx", large_years, user=user, today=today, trace=True)
        method = "本进程 tracemalloc 峰值（数据未提交，子进程看不到）"
    return ExportResult(year=year, rows=ledger_rows([year]), xlsx=xlsx_run, csv=csv_run, large=large,
                        large_rows=ledger_rows(large_years), large_label=large_label, memory_method=method)
