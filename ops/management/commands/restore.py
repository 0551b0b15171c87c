from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, describe, restore


class Command(BaseCommand):
    help = "从备份文件恢复数据库和附件（覆盖当前数据库）。恢复前请停止所有应用服务器。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="backup 命令生成的备份文件")
        parser.add_argument("--noinput", "--no-input", action="store_true", help="不询问，直接恢复")

    def handle(self, *args, path, noinput, **options):
        if not noinput:
            answer = input(f"将用 {path} 覆盖当前数据库和附件，当前数据会丢失。确认请输入 yes：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，没有做任何修改。")
        try:
            manifest = restore(Path(path))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"恢复完成：{path}"))
        self.stdout.write(describe(manifest))
        self.stdout.write("如果程序版本比备份时新，请接着运行 manage.py migrate。")
