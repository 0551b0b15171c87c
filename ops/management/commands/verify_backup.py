from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, verify


class Command(BaseCommand):
    help = "校验备份文件：把数据库恢复到临时副本，逐表核对行数，并核对附件校验值（不影响当前数据库）。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="backup 命令生成的备份文件")

    def handle(self, *args, path, **options):
        try:
            result = verify(Path(path))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for problem in result.problems:
            self.stderr.write(problem)
        if not result.ok:
            raise CommandError(f"备份校验未通过：发现 {len(result.problems)} 处问题。")
        self.stdout.write(self.style.SUCCESS(
            f"备份校验通过：{result.tables} 张表、{result.rows} 行与清单一致，附件 {result.media_files} 个校验无误。"))
