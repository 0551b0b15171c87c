"""Benchmark the ledger, the yearly export and the .docx import on a synthetic database at scale, then every
page of the navigation over HTTP under gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govopen_bench manage.py benchmark [--assignments N]

Run it against a dedicated database: it writes up to a million ledger rows (kept for the next run).
The in-process phase ends with ``RESULT queries=…`` (devtools.benchmark.report.RESULT_RE); the HTTP phase
(on by default, ``--no-http`` skips it; skipped by itself where a server process cannot see the database)
adds ``RESULT_HTTP min_rps=…`` (report.RESULT_HTTP_RE) as the very last line — unless ``--http-compare BASE.json``
asks for the growth against an earlier run's ``--http-json`` file, which adds ``GROWTH max_ratio=…`` after it.
"""
import argparse
import json
import warnings

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from devtools.benchmark import data, export, http_growth, http_queries, http_run, ledger, report, runner
from devtools.benchmark.http_client import LoadError
from devtools.benchmark.http_server import ServerError


def _levels(text: str) -> tuple[int, ...]:
    try:
        levels = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        levels = ()
    if not levels or levels[0] < 1 or levels[-1] > 200:
        raise argparse.ArgumentTypeError("连接数应为 1 到 200 之间的整数，用逗号分隔，例如 1,5,20。")
    return levels


def scale_label(shape: data.Shape) -> str:
    """How a run names its scale in the --http-json file and the growth table: 10,000行, 省级（100个区县）."""
    if shape.governments > 1:
        return f"省级（{shape.governments}个区县，{shape.assignments:,}行）"
    return f"{shape.assignments:,}行"


class Command(BaseCommand):
    help = ("在合成的大规模数据上测量台账页、各列排序、年度Excel导出和.docx导入的性能，再用 gunicorn（生产设置）"
            "以各角色登录、按 1/5/20 个并发连接测量导航中的每个页面（请在专用数据库上运行，"
            "例如 DATABASE_URL=postgres://postgres@127.0.0.1:5432/govopen_bench）。")

    def add_arguments(self, parser):
        parser.add_argument("--assignments", type=int, default=None,
                            help="台账行数，例如 10000、100000、1000000（默认：PostgreSQL 1000000，SQLite 100000）")
        parser.add_argument("--province", action="store_true",
                            help="省级规模：100个区县政府 × 80个单位 × 每年40项 × 5年（约160万行台账），"
                                 "以第一个区县政府办的身份测量")
        parser.add_argument("--governments", type=int, default=100,
                            help="与 --province 同用：区县政府个数（默认 100；机器较慢时可缩小）")
        parser.add_argument("--repeat", type=int, default=30, help="每个页面测量的请求次数（默认 30）")
        parser.add_argument("--force", action="store_true", help="数据库中已有非基准数据时仍然运行")
        parser.add_argument("--rebuild", action="store_true", help="即使已有同样规模的基准数据也重新生成")
        parser.add_argument("--export-timeout", type=float, default=900,
                            help="每次导出测量的时间上限（秒，默认 900；超时则记为下限并判为未达标）")
        parser.add_argument("--http", action=argparse.BooleanOptionalAction, default=True,
                            help="用 gunicorn 经 HTTP 测量导航中的每个页面（默认开启；--no-http 跳过）")
        parser.add_argument("--http-only", action="store_true",
                            help="只做 HTTP 测量（跳过进程内测量和 RESULT 行，只输出 RESULT_HTTP 行）")
        parser.add_argument("--http-connections", type=_levels, default=http_run.LEVELS,
                            help="并发连接数（默认 1,5,20；RESULT_HTTP 取最大的一档）")
        parser.add_argument("--http-seconds", type=float, default=2.0,
                            help="每个页面每档连接数每轮的测量时长（秒，默认 2；导出只发与连接数相同的请求数）")
        parser.add_argument("--http-rounds", type=int, default=2,
                            help="把全部页面测几轮（默认 2），表中各数取各轮的中位数（两轮即平均）")
        parser.add_argument("--http-queries", dest="count_queries", action=argparse.BooleanOptionalAction, default=True,
                            help="测量前在进程内用测试客户端数一次每个页面的查询数（默认开启）")
        parser.add_argument("--http-json", default="", metavar="OUT.json",
                            help="把每个页面的测量结果写入这个 JSON 文件（供以后 --http-compare 对比）")
        parser.add_argument("--http-compare", default="", metavar="BASE.json",
                            help="与先前 --http-json 写出的结果对比（例如 10,000 行的那次）：列出每个页面 p95 的比值，"
                                 "并在 RESULT_HTTP 之后加一行 GROWTH max_ratio=… page=…")
        parser.add_argument("--http-timeout", type=float, default=120.0, help="单个请求的超时（秒，默认 120）")
        parser.add_argument("--http-pages", default="",
                            help="只测这些键开头的页面（逗号分隔，例如 ledger.sort,export；RESULT_HTTP 需要的页面总会测）")
        # Internal: one export run in a subprocess (years comma separated; xlsx or csv).
        parser.add_argument("--export-probe", default="", help=argparse.SUPPRESS)
        parser.add_argument("--export-format", default="xlsx", choices=["xlsx", "csv"], help=argparse.SUPPRESS)

    def handle(self, *args, assignments, repeat, force, rebuild, export_timeout, export_probe, export_format,
               province=False, governments=100, http=True, http_only=False, http_connections=http_run.LEVELS,
               http_seconds=2.0, http_timeout=120.0, http_pages="", http_rounds=2, count_queries=True,
               http_json="", http_compare="", **options):
        if export_probe:
            years = [int(y) for y in export_probe.split(",")]
            result = export.probe(kind=export_format, user=data.ensure_office_user(), years=years,
                                  today=timezone.localdate())
            self.stdout.write(json.dumps(result))
            return
        if assignments is None:
            assignments = runner.default_assignments()
        if province and not 2 <= governments <= 1000:
            raise CommandError("区县政府个数应在 2 到 1000 之间。")
        if assignments < 1000:
            raise CommandError("台账行数至少为 1000。")
        if repeat < 2:
            raise CommandError("测量次数至少为 2。")
        if not 0.01 <= http_seconds <= 600 or not 1 <= http_timeout <= 3600:
            raise CommandError("--http-seconds 应在 0.01 到 600 之间，--http-timeout 应在 1 到 3600 之间。")
        if not 1 <= http_rounds <= 20:
            raise CommandError("--http-rounds 应在 1 到 20 之间。")
        base = None
        try:
            base = http_growth.read(http_compare) if http_compare else None
        except http_growth.GrowthError as exc:
            raise CommandError(str(exc)) from exc
        warnings.filterwarnings("ignore", message="No directory at")  # whitenoise without collectstatic
        governments = governments if province else 0
        outcome = http_outcome = None
        try:
            if http_only:
                shape = runner.prepare(assignments=assignments, governments=governments, force=force,
                                       rebuild=rebuild, in_process=False, log=self.stdout.write)
            else:
                outcome = runner.run(assignments=assignments, repeat=repeat, force=force, rebuild=rebuild,
                                     export_timeout=export_timeout, governments=governments, log=self.stdout.write)
                shape = outcome.shape
            if http or http_only:
                reason = http_run.unavailable_reason()
                if reason and http_only:
                    raise CommandError(f"无法进行 HTTP 测量：{reason}。")
                if reason:
                    self.stdout.write(f"跳过 HTTP 测量：{reason}。")
                else:
                    self.stdout.write(f"HTTP 测量：并发连接数 {'/'.join(map(str, http_connections))}，"
                                      f"每档{http_seconds:g}秒，{http_rounds}轮……")
                    http_outcome = http_run.run(year=shape.years[0], levels=http_connections, seconds=http_seconds,
                                                timeout=http_timeout, only=http_pages, rounds=http_rounds,
                                                count_queries=count_queries, log=self.stdout.write)
                    self.stdout.write(f"HTTP 测量用时{http_outcome.seconds:.0f}秒。")
        except (runner.BenchmarkError, data.BenchmarkDataError, ledger.LedgerCheckError, LoadError,
                ServerError) as exc:
            raise CommandError(str(exc)) from exc
        if outcome is not None:
            self.stdout.write("")
            self.stdout.write(report.table(outcome.lines))
        growth = None
        if http_outcome is not None:
            self.stdout.write("")
            self.stdout.write(http_run.table(http_outcome.measurements, http_outcome.queries))
            if http_outcome.queries:
                self.stdout.write("每页查询数：" + http_queries.verdict(http_outcome.queries))
            doc = http_growth.document(http_outcome, scale=scale_label(shape), levels=http_connections,
                                       seconds=http_seconds)
            if http_json:
                http_growth.write(http_json, doc)
                self.stdout.write(f"各页面结果已写入 {http_json}。")
            if base is not None:
                try:
                    top, rows = http_growth.compare(doc, base)
                except http_growth.GrowthError as exc:
                    raise CommandError(str(exc)) from exc
                self.stdout.write("")
                self.stdout.write(http_growth.table(rows, top=top, base_scale=base.get("scale", "对比"),
                                                    scale=doc["scale"]))
                growth = http_growth.growth_line(rows)
        self.stdout.write("")
        if outcome is not None:
            self.stdout.write(outcome.result)
        if http_outcome is not None:
            self.stdout.write(http_outcome.result)
        if growth is not None:
            self.stdout.write(growth)
