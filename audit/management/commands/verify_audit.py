"""`manage.py verify_audit`: check the audit trail's hash chain from its first row to its last.

Seals any rows still waiting to be sealed, then walks the chain. Intact: one line with the number of
rows and the last link (keep it: a copy of the last hash kept elsewhere shows whether rows were cut off
the end later) and exit 0. Broken: the first broken link, in Chinese, on stderr and exit 1.
"""
import sys

from django.core.management.base import BaseCommand

from audit.chain import verify


class Command(BaseCommand):
    help = "校验审计日志的哈希链：完整时输出记录数和最后一环，断开时指出第一处断开的位置（退出码 1）。"

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, **options):
        report = verify(using=options["database"])
        if not report.intact:
            self.stderr.write(f"审计日志哈希链在第 {report.broken_at} 环断开（审计记录 #{report.event_id}）："
                              f"{report.problem}")
            sys.exit(1)
        if report.sealed_now:
            self.stdout.write(f"已封存 {report.sealed_now} 条尚未封存的审计记录。")
        self.stdout.write(f"审计日志哈希链完整：共 {report.rows} 条记录，最后一环第 {report.head_seq} 环，"
                          f"哈希 {report.head_hash}。")
