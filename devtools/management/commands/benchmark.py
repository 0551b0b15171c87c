"""Benchmark the ledger, the yearly export and the .docx import on a synthetic database at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govopen_bench manage.py benchmark [--assignments N]

Run it against a dedicated database: it writes up to a million ledger rows (kept for the next run).
The last line of the output is ``RESULT queries=…`` (see devtools.benchmark.report.RESULT_RE).
"""
import argparse
import json
import warnings

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from devtools.benchmark import data, export, ledger, report, runner


class Command(BaseCommand):
    help = ("在合成的大规模数据上测量台账页、各列排序、年度Excel导出和.docx导入的性能（请在专用数据库上运行，"
            "例如 DATABASE_URL=postgres://postgres@127.0.0.1:5432/govopen_bench）。")

    def add_arguments(self, parser):
        parser.add_argument("--assignments", type=int, default=None,
                            help="台账行数（默认：PostgreSQL 1000000，SQLite 100000）")
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
        # Internal: one export run in a subprocess (years comma separated; xlsx or csv).
        parser.add_argument("--export-probe", default="", help=argparse.SUPPRESS)
        parser.add_argument("--export-format", default="xlsx", choices=["xlsx", "csv"], help=argparse.SUPPRESS)

    def handle(self, *args, assignments, repeat, force, rebuild, export_timeout, export_probe, export_format,
               province=False, governments=100, **options):
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
        warnings.filterwarnings("ignore", message="No directory at")  # whitenoise without collectstatic
        try:
            outcome = runner.run(assignments=assignments, repeat=repeat, force=force, rebuild=rebuild,
                                 export_timeout=export_timeout, governments=governments if province else 0,
                                 log=self.stdout.write)
        except (runner.BenchmarkError, data.BenchmarkDataError, ledger.LedgerCheckError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write(report.table(outcome.lines))
        self.stdout.write("")
        self.stdout.write(outcome.result)
