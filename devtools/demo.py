"""Loading the demo data: the units and the five real notices in fixtures/, demo progress and accounts."""
from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tasks.breakdown import ParsedNotice
from tasks.models import Assignment, Notice
from tasks.services import notice_import, progress_record
from units.models import Alias, Unit, UnitGroup, User

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
NOTICE_KEYS = ["gulou2022", "huli2022", "gulou2020", "fuzhou2021", "licheng2018"]
DEMO_PASSWORD = "Govopen-2026!"
DEMO_ACCOUNTS = [
    # username, display name, unit short name (None: the office unit), role, description
    ("admin", "陈公开", None, User.Role.OFFICE_ADMIN, "公开办管理员"),
    ("fagai", "林发改", "区发改局", User.Role.LIAISON, "牵头单位联络员（区发改局）"),
    ("jiaoyu", "黄教育", "区教育局", User.Role.LIAISON, "部门联络员（区教育局）"),
    ("dongjie", "郑东街", "东街街道", User.Role.LIAISON, "街道联络员（东街街道）"),
    ("leader", "刘领导", None, User.Role.VIEWER, "领导（只读查看全部）"),
]


def load_units(path: Path | None = None) -> tuple[int, int]:
    data = json.loads((path or FIXTURES / "units.json").read_text(encoding="utf-8"))
    created_units = 0
    by_short: dict[str, Unit] = {}
    for spec in data["units"]:
        unit, created = Unit.objects.update_or_create(
            short_name=spec["short_name"],
            defaults={"name": spec["name"], "kind": spec.get("kind", Unit.Kind.DEPARTMENT),
                      "sort_order": spec.get("sort_order", 1000), "is_active": True})
        created_units += created
        by_short[unit.short_name] = unit
        for alias in spec.get("aliases", []):
            if alias not in (unit.short_name, unit.name):
                Alias.objects.get_or_create(text=alias, defaults={"unit": unit})
    for spec in data.get("groups", []):
        group, _ = UnitGroup.objects.get_or_create(phrase=spec["phrase"],
                                                   defaults={"description": spec.get("description", "")})
        group.members.set([by_short[name] for name in spec["members"]])
        for alias in spec.get("aliases", []):
            if alias != group.phrase:
                Alias.objects.get_or_create(text=alias, defaults={"group": group})
    return created_units, len(data.get("groups", []))


def load_notice(key: str) -> tuple[Notice, bool]:
    parsed = ParsedNotice.from_json(json.loads((FIXTURES / "notices" / f"{key}.json").read_text(encoding="utf-8")))
    meta_path = FIXTURES / "notices" / f"{key}.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    from tasks.parsing import parse_doc_number

    existing = Notice.objects.filter(doc_number=parse_doc_number(parsed.doc_number).text).first()
    if existing:
        return existing, False
    return notice_import(parsed=parsed, meta=meta), True


def demo_progress(notice: Notice, *, author, seed: int) -> int:
    """Give some rows of a freshly loaded notice a plausible history: done, in progress, 不涉及."""
    rng = random.Random(seed)
    count = 0
    rows = notice.assignments.select_related("unit", "item").order_by("item_number", "unit_sort_order")
    for row in rows:
        roll = rng.random()
        due = row.due_date or datetime.date(notice.work_year, 12, 31)
        if roll < 0.55:
            day = due - datetime.timedelta(days=rng.randint(0, 40)) if roll < 0.45 else due + datetime.timedelta(
                days=rng.randint(3, 30))
            progress_record(assignment=row, author=author, status=Assignment.Status.DONE, reported_on=day,
                            text=f"{row.unit.short_name}已按要求完成，相关信息已在政府网站“政府信息公开”专栏发布。",
                            links=["http://www.example.gov.cn/zwgk/"], completed_on=day)
        elif roll < 0.70:
            day = due - datetime.timedelta(days=rng.randint(30, 90))
            progress_record(assignment=row, author=author, status=Assignment.Status.IN_PROGRESS, reported_on=day,
                            text=f"{row.unit.short_name}正在梳理相关信息，已完成初稿。")
        elif roll < 0.76 and row.via_group_id:
            progress_record(assignment=row, author=author, status=Assignment.Status.NOT_APPLICABLE,
                            reported_on=due - datetime.timedelta(days=10), text="",
                            na_reason="本单位无此项职能，不涉及。")
        else:
            continue
        count += 1
    return count


def demo_reviews(notice: Notice, *, admin) -> None:
    """Two done-claims made by unit liaisons, so the review pages have something to show: 区教育局's
    waits for review, 东街街道's was returned by the office with a reason; and one chase of 区发改局's
    overdue rows, so the 催办 pages do too."""
    from tasks.services import progress_submit
    from workflow.chasing import chase_create, chaseable
    from workflow.review import review_return

    for username, returned in (("jiaoyu", False), ("dongjie", True)):
        liaison = User.objects.get(username=username)
        row = (notice.assignments.filter(unit=liaison.unit, status__in=[Assignment.Status.NOT_STARTED,
                                                                         Assignment.Status.IN_PROGRESS])
               .exclude(due_date__isnull=True).order_by("item_number").first())
        if row is None:
            continue
        day = row.due_date - datetime.timedelta(days=5)
        report = progress_submit(assignment=row, author=liaison, status=Assignment.Status.DONE, reported_on=day,
                                 completed_on=day, links=["http://www.example.gov.cn/zwgk/"],
                                 text=f"{row.unit.short_name}已完成该项工作，相关信息已在政府网站公开。")
        if returned:
            review_return(report=report, reviewer=admin,
                          reason="佐证材料不全：请补充政府网站发布页面的链接和发布日期。")
    fagai = User.objects.get(username="fagai")
    late = list(chaseable(notice.assignments.filter(unit=fagai.unit).overdue(timezone.localdate()))
                .order_by("item_number")[:2])
    if late:
        chase_create(assignments=late, author=admin, today=timezone.localdate(),
                     message="以上事项已超过完成时限，请于3个工作日内报送落实情况及佐证材料。")


def _demo_unit(name: str) -> Unit:
    target = Alias.objects.resolve(name)
    if not isinstance(target, Unit):
        raise LookupError(f"演示单位“{name}”不在单位名录中。")
    return target


def ensure_accounts() -> list[tuple[str, str, str]]:
    office_unit = _demo_unit("区政府办")
    result = []
    for username, display, unit_name, role, description in DEMO_ACCOUNTS:
        unit = _demo_unit(unit_name) if unit_name else (office_unit if role == User.Role.OFFICE_ADMIN else None)
        user, _ = User.objects.get_or_create(username=username)
        user.display_name, user.unit, user.role = display, unit, role
        user.email = f"{username}@example.gov.cn"  # reminders show up on the console e-mail backend
        user.is_staff = user.is_superuser = role == User.Role.OFFICE_ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        result.append((username, DEMO_PASSWORD, description))
    return result


@transaction.atomic
def load_demo() -> dict:
    units, groups = load_units()
    loaded = []
    admin = None
    accounts = ensure_accounts()
    admin = User.objects.get(username="admin")
    for index, key in enumerate(NOTICE_KEYS):
        notice, created = load_notice(key)
        if created:
            demo_progress(notice, author=admin, seed=index)
            if index == 0:
                demo_reviews(notice, admin=admin)
        loaded.append((notice, created))
    return {"units_created": units, "groups": groups, "notices": loaded, "accounts": accounts}
