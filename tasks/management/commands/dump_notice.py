"""manage.py dump_notice 文号 [--assignments]: one notice in the JSON shape of ../shared/breakdown-json.md.

--assignments adds "government" (the issuing government's full name) at the top and, on each task,
"assignments": [{"unit", "government", "role", "status"}] — each ledger row's unit (full name), the unit's
government (full name), its role (牵头 / 责任 / 配合) and status label. Without it the output is unchanged.
"""
import json

from django.core.management.base import BaseCommand, CommandError

from tasks.models import Assignment, Notice
from tasks.services import notice_to_parsed


def assignments_by_number(notice: Notice) -> dict[int, list[dict]]:
    """Each item's ledger rows as the contract writes them, in ledger order (one query)."""
    rows: dict[int, list[dict]] = {}
    for row in (Assignment.objects.filter(notice=notice).select_related("unit__government")
                .order_by("item_number", "unit_sort_order", "id")):
        rows.setdefault(row.item_number, []).append({
            "unit": row.unit.name, "government": row.unit.government.name,
            "role": row.get_role_display(), "status": row.get_status_display(),
        })
    return rows


def with_assignments(data: dict, notice: Notice) -> dict:
    """The breakdown JSON with "government" first and "assignments" on every task."""
    rows = assignments_by_number(notice)
    for section in data["sections"]:
        for task in section["tasks"] + [t for sub in section["subsections"] for t in sub["tasks"]]:
            task["assignments"] = rows.get(task["number"], [])
    return {"government": notice.government.name, **data}


class Command(BaseCommand):
    help = "按 ../shared/breakdown-json.md 的 JSON 格式输出一份通知及其任务分解表。"

    def add_arguments(self, parser):
        parser.add_argument("doc_number", help="文号，例如 鼓政办〔2022〕46号")
        parser.add_argument("--assignments", action="store_true",
                            help="同时输出发文政府，以及每项任务的台账单位（全称）、所属政府、角色和状态")

    def handle(self, *args, **options):
        from tasks.parsing import DocNumberError, parse_doc_number

        try:
            doc_number = parse_doc_number(options["doc_number"]).text
        except DocNumberError as exc:
            raise CommandError(str(exc))
        notice = Notice.objects.select_related("government").filter(doc_number=doc_number).first()
        if notice is None:
            raise CommandError(f"找不到文号为“{doc_number}”的通知。")
        data = notice_to_parsed(notice).to_json()
        if options["assignments"]:
            data = with_assignments(data, notice)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
