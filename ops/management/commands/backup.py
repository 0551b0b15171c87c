from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup, describe


class Command(BaseCommand):
    help = "备份数据库和上传的附件到一个文件（PostgreSQL 用 pg_dump，SQLite 用在线备份接口）。"

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True,
                            help="备份文件路径，如 /var/backups/govopen/2026-11-23.tar.gz（.gz 结尾则压缩）")

    def handle(self, *args, output, **options):
        try:
            manifest = backup(Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"备份完成：{output}"))
        self.stdout.write(describe(manifest))
