import json

from django.core.management.base import BaseCommand, CommandError

from tasks.models import Notice
from tasks.services import notice_to_parsed


class Command(BaseCommand):
    help = "按 ../shared/breakdown-json.md 的 JSON 格式输出一份通知及其任务分解表。"

    def add_arguments(self, parser):
        parser.add_argument("doc_number", help="文号，例如 鼓政办〔2022〕46号")

    def handle(self, *args, **options):
        from tasks.parsing import DocNumberError, parse_doc_number

        try:
            doc_number = parse_doc_number(options["doc_number"]).text
        except DocNumberError as exc:
            raise CommandError(str(exc))
        notice = Notice.objects.filter(doc_number=doc_number).first()
        if notice is None:
            raise CommandError(f"找不到文号为“{doc_number}”的通知。")
        self.stdout.write(json.dumps(notice_to_parsed(notice).to_json(), ensure_ascii=False, indent=2))
