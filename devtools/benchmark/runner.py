"""One benchmark run: make sure the data is there, measure everything, return the table and the RESULT line."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import override_settings
from django.utils import timezone

from devtools.benchmark import data, docx_import, export, ledger, pdf_import, report
from devtools.benchmark.timing import Line
from tasks.models import Assignment
from units.models import Unit

LEDGER_GOAL = 2.5
SORT_GOAL = 2.0
EXPORT_GOAL = 15.0
EXPORT_MEMORY_GOAL_MIB = 100
IMPORT_GOAL_S = 1.0


class BenchmarkError(Exception):
    """A Chinese message for the command to print as an error."""


def default_assignments() -> int:
    return 1_000_000 if connection.vendor == "postgresql" else 100_000


@dataclass
class Outcome:
    lines: list[Line] = field(default_factory=list)
    result: str = ""
    shape: data.Shape | None = None


def check_database(*, force: bool) -> None:
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BenchmarkError("数据库尚未迁移到最新：请先运行 manage.py migrate。")
    foreign = data.foreign_notice_count()
    if foreign and not force:
        raise BenchmarkError(
            f"该数据库中已有{foreign}份非基准测试的通知。基准测试会写入大量数据，请在专用数据库上运行"
            f"（例如 DATABASE_URL=postgres://postgres@127.0.0.1:5432/govopen_bench），确需在此库运行请加 --force。")


def ensure_data(shape: data.Shape, *, rebuild: bool, log) -> None:
    existing = data.existing_assignments()
    if existing == shape.assignments and not rebuild:
        log(f"复用已有的基准数据：{existing:,}行台账。")
        return
    if existing:
        started = time.perf_counter()
        data.delete_benchmark_data()
        log(f"已清除原有基准数据（{existing:,}行，{time.perf_counter() - started:.1f}秒）。")
    log(f"生成基准数据：{shape.describe()}")
    started = time.perf_counter()
    data.build(shape, log=log)
    log(f"基准数据生成完毕，用时{time.perf_counter() - started:.1f}秒。")


def _ms(value: float) -> str:
    return f"{value:.1f}毫秒"


def _ledger_lines(counts, cases) -> list[Line]:
    queries = [counts[n][0] for n in ledger.PAGE_SIZES]
    shown = [counts[n][1] for n in ledger.PAGE_SIZES]
    lines = [Line("台账每页查询数（10/50/100行）", "/".join(map(str, queries)),
                  baseline=f"显示行数 {'/'.join(map(str, shown))}", goal="三者相等",
                  ok=len(set(queries)) == 1 and shown == list(ledger.PAGE_SIZES))]
    for case in cases:
        lines.append(Line(
            f"台账页·{case.label}（{case.rows}行）", f"p50 {_ms(case.ledger.p50_ms)} / p95 {_ms(case.ledger.p95_ms)}",
            baseline=(f"p50 {_ms(case.plain.p50_ms)} / p95 {_ms(case.plain.p95_ms)}"
                      f"{'' if case.same_sql else '（查询不同！）'}"),
            ratio=f"p95 {case.ratio_p95:.2f}× / p50 {case.ratio_p50:.2f}×", goal=f"≤{LEDGER_GOAL}×",
            ok=case.ratio_p95 <= LEDGER_GOAL and case.same_sql))
    return lines


def _sort_lines(results) -> list[Line]:
    return [Line(f"排序 sort={r.sort}", f"p95 {_ms(r.timing.p95_ms)}", baseline=f"默认排序 p95 {_ms(r.default.p95_ms)}",
                 ratio=f"{r.ratio:.2f}×", goal=f"≤{SORT_GOAL}×", ok=r.ratio <= SORT_GOAL) for r in results]


def _seconds(run: export.Run) -> str:
    return f"{run.seconds:.2f}秒" if run.finished else f"超过{run.seconds:.0f}秒（超时终止）"


def _export_lines(result: export.ExportResult) -> list[Line]:
    bound = "" if result.xlsx.finished and result.csv.finished else "≥"
    size = f"（{result.xlsx.size / 1024 / 1024:.1f} MiB）" if result.xlsx.finished else ""
    growth_bound = "" if result.large.finished else "≥"
    return [
        Line(f"年度Excel导出（{result.year}年，{result.rows:,}行台账，{result.xlsx.items or result.csv.items:,}项）",
             f"{_seconds(result.xlsx)}{size}", baseline=f"csv.writer {_seconds(result.csv)}",
             ratio=f"{bound}{result.ratio:.2f}×", goal=f"≤{EXPORT_GOAL:g}×",
             ok=result.ratio <= EXPORT_GOAL and not bound),
        Line(f"导出峰值内存（{result.rows:,}行 → {result.large_rows:,}行：{result.large_label}）",
             f"{result.large.peak_mib:.0f} MiB，增长{growth_bound}{result.growth_mib:.1f} MiB"
             + ("" if result.large.finished else f"（{_seconds(result.large)}）"),
             baseline=f"{result.xlsx.peak_mib:.0f} MiB", goal=f"增长<{EXPORT_MEMORY_GOAL_MIB} MiB",
             ok=result.growth_mib < EXPORT_MEMORY_GOAL_MIB and result.large.finished),
    ]


def _import_line(timing: docx_import.ImportTiming) -> Line:
    return Line(f"导入40项.docx（{timing.size / 1024:.0f} KiB，解析出{timing.items}项）",
                f"最慢{timing.worst:.3f}秒 / 中位{timing.median:.3f}秒（{len(timing.samples)}次）",
                goal=f"<{IMPORT_GOAL_S:g}秒", ok=timing.worst < IMPORT_GOAL_S and timing.items == docx_import.ITEMS)


PDF_GOAL_S = 5.0


def _pdf_lines(pdf: pdf_import.PdfTiming, capped: pdf_import.CappedTiming) -> list[Line]:
    if pdf.skipped:
        first = Line(f"导入{pdf_import.PAGES}页文字PDF", f"跳过：{pdf.skipped}", goal=f"<{PDF_GOAL_S:g}秒")
    else:
        first = Line(f"导入{pdf.pages}页文字PDF（{pdf.size / 1024:.0f} KiB，解析出{pdf.items}项）",
                     f"最慢{pdf.worst:.2f}秒（{len(pdf.samples)}次）", goal=f"<{PDF_GOAL_S:g}秒",
                     ok=pdf.worst < PDF_GOAL_S and pdf.items == pdf_import.ITEMS)
    return [first, Line(f"网页导入路径：40项.docx在受限子进程中解析（解析出{capped.items}项）",
                        f"最慢{max(capped.samples):.3f}秒（{len(capped.samples)}次）", goal=f"<{IMPORT_GOAL_S:g}秒",
                        ok=max(capped.samples) < IMPORT_GOAL_S and capped.items == docx_import.ITEMS)]


def prepare(*, assignments: int, governments: int = 0, force: bool = False, rebuild: bool = False,
            in_process: bool = True, log=print) -> data.Shape:
    """Check the database, describe the machine, and build (or reuse) the data; the shape built."""
    check_database(force=force)
    if settings.DEBUG and in_process:
        log("注意：DEBUG 已开启，模板调试和查询记录会拖慢计时；正式测量请关闭 DJANGO_DEBUG。")
    log(f"机器：{report.machine()}")
    shape = data.Shape.for_province(governments) if governments else data.Shape.for_assignments(assignments)
    ensure_data(shape, rebuild=rebuild, log=log)
    return shape


def run(*, assignments: int, repeat: int, force: bool = False, rebuild: bool = False, export_timeout: float = 900,
        governments: int = 0, log=print) -> Outcome:
    """The whole benchmark; ``governments`` > 0 builds the province shape (data.Shape.for_province) instead of
    ``assignments`` rows of one government."""
    shape = prepare(assignments=assignments, governments=governments, force=force, rebuild=rebuild, log=log)
    user = data.ensure_office_user()
    today = timezone.localdate()
    unit = Unit.objects.get(government_id=user.government_id, name__startswith="基准", sort_order=10)
    total = Assignment.objects.visible_to(user).count()  # the rows the measured office sees (one district of many)
    outcome = Outcome(shape=shape)

    # The test client speaks plain HTTP: production's HTTPS redirect would answer every request with a 301.
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], SECURE_SSL_REDIRECT=False,
                           ROOT_URLCONF="devtools.benchmark.plain"):
        pages = ledger.Pages(user)
        log("测量台账每页查询数……")
        counts = ledger.query_counts(pages)
        log(f"测量台账页与基准模板（每项{repeat}次）……")
        cases = ledger.ledger_vs_plain(pages, ledger.scenarios(unit_id=unit.pk, year=shape.years[0], total_rows=total),
                                       repeat=repeat)
        log(f"测量各列排序（每项{repeat}次）……")
        sorts = ledger.sorts(pages, repeat=repeat)
    log(f"测量年度Excel导出与内存（每次导出限时{export_timeout:.0f}秒）……")
    exported = export.measure(user=user, years=shape.years, today=today, timeout=export_timeout)
    log(f"  内存测量方式：{exported.memory_method}")
    log("测量.docx导入……")
    imported = docx_import.measure()
    log("测量PDF导入与受限子进程导入……")
    pdf_timing, capped_timing = pdf_import.measure(repeat=min(repeat, 3)), pdf_import.measure_capped(repeat=min(repeat, 5))

    outcome.lines = (_ledger_lines(counts, cases) + _sort_lines(sorts) + _export_lines(exported)
                     + [_import_line(imported)] + _pdf_lines(pdf_timing, capped_timing))
    unfiltered = next(c for c in cases if c.key == "unfiltered")
    outcome.result = report.result_line(
        queries=tuple(counts[n][0] for n in ledger.PAGE_SIZES),
        ledger_ratio=max(c.ratio_p95 for c in cases), unfiltered_p95_ms=unfiltered.ledger.p95_ms,
        sort_ratio_max=max(r.ratio for r in sorts), export_ratio=exported.ratio,
        export_mem_growth_mib=exported.growth_mib, import_docx_s=imported.worst)
    return outcome
