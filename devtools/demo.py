"""Loading the demo data: the chain of governments (福建省 → 福州市 → 鼓楼区 …), each government's unit
directory as its tables name them, the five real notices in fixtures/ (exactly as issued) with demo progress,
the link from 鼓楼's 2022 items to the 福州 2021 items they follow, demo accounts, 鼓楼's live table of the
current year labelled 演示 (devtools/demo_live.py: every state relative to the day it is loaded) with its public
progress page published, a few 依申请公开 register entries of 鼓楼 (devtools/demo_public.py), and the years
2018–2021 closed (年度归档)."""
from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from devtools.demo_live import load_live_table
from devtools.demo_public import demo_register, publish_live_page
from tasks.breakdown import ParsedNotice
from tasks.models import Assignment, Notice
from tasks.services import notice_import, progress_record
from units.models import Alias, Government, Unit, UnitGroup, User

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
NOTICE_KEYS = ["gulou2022", "huli2022", "gulou2020", "fuzhou2021", "licheng2018"]
CLOSED_YEARS = range(2018, 2022)  # the demo's archived work years (年度归档): 2018–2021
DEMO_PASSWORD = "Govopen-2026!"
HOME = "gulou"  # the government of the unit accounts below (鼓楼区)
DEMO_ACCOUNTS = [
    # username, display name, unit short name in 鼓楼 (None: the office unit), role, description
    ("admin", "陈公开", None, User.Role.OFFICE_ADMIN, "鼓楼区公开办管理员（也是系统管理员）"),
    ("fagai", "林发改", "区发改局", User.Role.LIAISON, "牵头单位联络员（鼓楼区发改局）"),
    ("jiaoyu", "黄教育", "区教育局", User.Role.LIAISON, "部门联络员（鼓楼区教育局）"),
    ("dongjie", "郑东街", "东街街道", User.Role.LIAISON, "街道联络员（鼓楼区东街街道）"),
    ("leader", "刘领导", None, User.Role.VIEWER, "鼓楼区领导（只读查看本区全部）"),
]


def load_governments_file() -> list[dict]:
    return json.loads((FIXTURES / "governments.json").read_text(encoding="utf-8"))["governments"]


def load_governments() -> dict[str, Government]:
    """The chain of governments in fixtures/governments.json (省 → 市 → 县区), by key."""
    result: dict[str, Government] = {}
    for order, spec in enumerate(load_governments_file(), start=1):
        government, _ = Government.objects.update_or_create(
            name=spec["name"], defaults={"short_name": spec["short_name"], "level": spec["level"],
                                         "upper": result.get(spec["upper"]) if spec["upper"] else None,
                                         "shares_details": spec.get("shares_details", False),
                                         "sort_order": order * 10})
        result[spec["key"]] = government
    return result


def load_units(government: Government | None = None, key: str = HOME) -> tuple[int, int]:
    """One government's unit directory (fixtures/units/<key>.json): units, aliases and group phrases, as that
    government's tables name them."""
    if government is None:
        government = load_governments()[key]
    data = json.loads((FIXTURES / "units" / f"{key}.json").read_text(encoding="utf-8"))
    created_units = 0
    by_short: dict[str, Unit] = {}
    for spec in data["units"]:
        unit, created = Unit.objects.update_or_create(
            government=government, short_name=spec["short_name"],
            defaults={"name": spec["name"], "kind": spec.get("kind", Unit.Kind.DEPARTMENT),
                      "sort_order": spec.get("sort_order", 1000), "is_active": True})
        created_units += created
        by_short[unit.short_name] = unit
        for alias in spec.get("aliases", []):
            if alias not in (unit.short_name, unit.name):
                Alias.objects.get_or_create(government=government, text=alias, defaults={"unit": unit})
    for spec in data.get("groups", []):
        group, _ = UnitGroup.objects.get_or_create(government=government, phrase=spec["phrase"],
                                                   defaults={"description": spec.get("description", "")})
        group.members.set([by_short[name] for name in spec["members"]])
        for alias in spec.get("aliases", []):
            if alias != group.phrase:
                Alias.objects.get_or_create(government=government, text=alias, defaults={"group": group})
    return created_units, len(data.get("groups", []))


def load_notice(key: str, government: Government | None = None) -> tuple[Notice, bool]:
    parsed = ParsedNotice.from_json(json.loads((FIXTURES / "notices" / f"{key}.json").read_text(encoding="utf-8")))
    meta_path = FIXTURES / "notices" / f"{key}.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    from tasks.parsing import parse_doc_number

    existing = Notice.objects.filter(doc_number=parse_doc_number(parsed.doc_number).text).first()
    if existing:
        return existing, False
    if government is None:
        government = next(Government.objects.get(name=g["name"]) for g in load_governments_file()
                          if key in g.get("notices", []))
    return notice_import(parsed=parsed, government=government, meta=meta), True


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


def _demo_unit(name: str, government: Government) -> Unit:
    target = Alias.objects.resolve(name, government)
    if not isinstance(target, Unit):
        raise LookupError(f"演示单位“{name}”不在{government}的单位名录中。")
    return target


def _account(username: str, *, display: str, unit: Unit | None, government: Government, role: str,
             superuser: bool = False) -> User:
    user, _ = User.objects.get_or_create(username=username)
    user.display_name, user.unit, user.government, user.role = display, unit, government, role
    user.email = f"{username}@example.gov.cn"  # reminders show up on the console e-mail backend
    user.is_staff = user.is_superuser = superuser
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def ensure_accounts(governments: dict[str, Government]) -> list[tuple[str, str, str]]:
    """鼓楼's accounts (the office, three unit liaisons, a leader) and one office account per other government
    that has tables of its own."""
    home = governments[HOME]
    office_unit = _demo_unit("区政府办", home)
    result = []
    for username, display, unit_name, role, description in DEMO_ACCOUNTS:
        unit = _demo_unit(unit_name, home) if unit_name else (office_unit if role == User.Role.OFFICE_ADMIN else None)
        _account(username, display=display, unit=unit, government=home, role=role,
                 superuser=role == User.Role.OFFICE_ADMIN)
        result.append((username, DEMO_PASSWORD, description))
    for spec in load_governments_file():
        account = spec.get("account")
        if not account:
            continue
        government = governments[spec["key"]]
        _account(account["username"], display=account["display_name"], government=government,
                 unit=_demo_unit(spec["office"], government), role=User.Role.OFFICE_ADMIN)
        result.append((account["username"], DEMO_PASSWORD, account["description"]))
    return result


def demo_chain(*, upper: Notice, lower: Notice) -> int:
    """The real chain: 福州's 2021 table published down, and 鼓楼's 2022 items linked to the 福州 items they
    follow where the texts match (the suggestions an office would confirm). Returns how many were linked."""
    from tasks.chain import item_links_set, link_suggestions

    if upper.published_on is None:
        upper.published_on = (upper.issue_date or datetime.date(upper.work_year, 1, 1)) + datetime.timedelta(days=3)
        upper.save(update_fields=["published_on"])
    links = {s.item.pk: s.upper_item.pk for s in link_suggestions(notice=lower, upper=upper)
             if s.upper_item is not None}
    return item_links_set(notice=lower, upper=upper, links=links)


def load_directories() -> tuple[dict[str, Government], int, int]:
    """Every government of the chain and the unit directory of each that has one; its 政府办 set."""
    governments = load_governments()
    units = groups = 0
    for spec in load_governments_file():
        if (FIXTURES / "units" / f"{spec['key']}.json").exists():
            created, group_count = load_units(governments[spec["key"]], spec["key"])
            units, groups = units + created, groups + group_count
            if spec.get("office"):
                government = governments[spec["key"]]
                government.office_unit = _demo_unit(spec["office"], government)
                government.save(update_fields=["office_unit"])
    return governments, units, groups


def demo_close_years(*, today: datetime.date) -> list[tuple[Government, int]]:
    """Close 2018–2021 for every government with a table in those years, by its own office account (as an
    office would, so the audit trail shows it). Years already closed stay as they are."""
    from tasks.archive import year_close
    from tasks.models import ClosedYear

    closed = []
    pairs = (Notice.objects.filter(work_year__in=CLOSED_YEARS).order_by("government_id", "work_year")
             .values_list("government_id", "work_year").distinct())
    for government_id, year in pairs:
        if ClosedYear.objects.filter(government_id=government_id, year=year).exists():
            continue
        government = Government.objects.get(pk=government_id)
        office = User.objects.filter(government=government, role=User.Role.OFFICE_ADMIN).order_by("id").first()
        if office is None:
            continue
        year_close(government=government, year=year, user=office, today=today,
                   note="演示数据：该年度已结束，未完成事项已列入回头看。")
        closed.append((government, year))
    return closed


@transaction.atomic
def load_demo(*, today: datetime.date | None = None) -> dict:
    """Everything the demo holds; ``today`` (default: the local date) is the day the live table is built around."""
    today = today or timezone.localdate()
    governments, units, groups = load_directories()
    accounts = ensure_accounts(governments)
    admin = User.objects.get(username="admin")
    loaded = []
    for index, key in enumerate(NOTICE_KEYS):
        notice, created = load_notice(key)
        if created:
            demo_progress(notice, author=admin, seed=index)
        loaded.append((notice, created))
    by_key = dict(zip(NOTICE_KEYS, (n for n, _ in loaded), strict=True))
    linked = demo_chain(upper=by_key["fuzhou2021"], lower=by_key["gulou2022"])
    live = load_live_table(fixtures=FIXTURES, government=governments[HOME], admin=admin, today=today)
    public_page = publish_live_page(live[0], admin=admin)
    applications = demo_register(governments[HOME], today=today)
    closed = demo_close_years(today=today)
    return {"units_created": units, "groups": groups, "notices": loaded, "accounts": accounts,
            "governments": len(governments), "linked": linked, "live": live, "closed": closed,
            "public_page": public_page, "applications": applications}
