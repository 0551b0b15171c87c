"""The synthetic benchmark database: province-scale ledgers built in a few set-based statements.

Shape (the default 1,000,000 rows on PostgreSQL): 10 years × 100 notices × 40 items × 25 units out
of 60 benchmark units (40 departments, 20 streets), every item led by one of its units. Notices,
sections and items go in with ``bulk_create``; the ledger rows and their progress reports with one
``INSERT … SELECT`` per year (items × units, filtered arithmetically), so the denormalised columns
(year, notice, item_number, unit_sort_order, due_date, status, last_reported_on) are filled by the
database itself. The SQL is plain enough for PostgreSQL and SQLite alike.

Province scale (``Shape.for_province``, ``benchmark --province``): 100 district governments under one province,
each with its own 80 units (the same names in every district, as real directories have), one 40-item notice
a year for 5 years, every item assigned to all 80 units: 1,600,000 ledger rows; the measured office belongs
to the first district and sees 1/100 of them.

Benchmark notices carry the issuer code ``BENCH_ISSUER`` (基准政办〔2026〕1号 …); the command refuses a
database that holds any other notice unless told ``--force``.
"""
from __future__ import annotations

import datetime
import math
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from tasks.models import Assignment, Item, Notice, ProgressReport, Section
from units.models import Government, Unit, User

BENCH_ISSUER = "基准政办"
BENCH_OFFICE_USERNAME = "benchmark-office"
UNITS_TOTAL = 60
DEPARTMENTS = 40
UNITS_PER_ITEM = 25
ITEMS_PER_NOTICE = 40
NOTICES_PER_YEAR = 100
LAST_YEAR = 2026
TOP_SECTIONS = 4  # each with two subsections of five items
TOPICS = ["财政预决算", "重大建设项目", "公共资源配置", "社会公益事业", "政策解读", "政务舆情回应",
          "基层政务公开标准化", "政府信息公开申请办理", "政府网站和政务新媒体", "优化营商环境"]
SECTION_TITLES = ["加强政策发布解读", "深化重点领域信息公开", "提升政务公开平台效能", "强化政务公开保障"]
# Status by a per-row hash in [0, 100): below DONE_BELOW done, then in progress, 不涉及, not started.
DONE_BELOW, IN_PROGRESS_BELOW, NOT_APPLICABLE_BELOW = 45, 70, 75


class BenchmarkDataError(Exception):
    """A Chinese message for the command to print."""


@dataclass
class Shape:
    assignments: int
    items: int
    notices: int
    years: list[int]
    governments: int = 1  # district governments (with a province above them when more than one)
    units: int = UNITS_TOTAL  # per government
    units_per_item: int = UNITS_PER_ITEM
    notices_per_year: int = NOTICES_PER_YEAR  # per government

    @classmethod
    def for_assignments(cls, n: int) -> Shape:
        items = max(1, math.ceil(n / UNITS_PER_ITEM))
        notices = math.ceil(items / ITEMS_PER_NOTICE)
        year_count = math.ceil(notices / NOTICES_PER_YEAR)
        return cls(assignments=items * UNITS_PER_ITEM, items=items, notices=notices,
                   years=[LAST_YEAR - k for k in range(year_count)])

    @classmethod
    def for_province(cls, governments: int = 100, units: int = 80, years: int = 5) -> Shape:
        """``governments`` districts × ``units`` units × 40 items × ``years`` years, every item to every unit."""
        notices = governments * years
        items = notices * ITEMS_PER_NOTICE
        return cls(assignments=items * units, items=items, notices=notices,
                   years=[LAST_YEAR - k for k in range(years)], governments=governments, units=units,
                   units_per_item=units, notices_per_year=1)

    def describe(self) -> str:
        if self.governments > 1:
            return (f"{self.governments}个区县政府 × {self.units}个单位 × 每年{ITEMS_PER_NOTICE}项 × "
                    f"{len(self.years)}个年度 = {self.assignments:,}行台账（{self.notices:,}份通知，{self.items:,}项）")
        return (f"{len(self.years)}个年度 × 最多{NOTICES_PER_YEAR}份通知 × {ITEMS_PER_NOTICE}项 × "
                f"{UNITS_PER_ITEM}个单位 = {self.assignments:,}行台账（{self.notices:,}份通知，{self.items:,}项）")


def bench_notices():
    return Notice.objects.filter(issuer_code=BENCH_ISSUER)


def foreign_notice_count() -> int:
    return Notice.objects.exclude(issuer_code=BENCH_ISSUER).count()


def existing_assignments() -> int:
    return Assignment.objects.filter(notice__issuer_code=BENCH_ISSUER).count()


def rows_per_year() -> dict[int, int]:
    from django.db.models import Count

    qs = (Assignment.objects.filter(notice__issuer_code=BENCH_ISSUER).values("year")
          .annotate(n=Count("id")).order_by("-year"))
    return {row["year"]: row["n"] for row in qs}


BENCH_PROVINCE = "基准省人民政府"


def government_name(index: int) -> str:
    """The benchmark's district governments: 基准区人民政府 (the first), 基准省第002区人民政府 …"""
    return "基准区人民政府" if index == 1 else f"基准省第{index:03d}区人民政府"


def ensure_governments(count: int) -> list[Government]:
    """The benchmark's district governments (and, for more than one, the province above them)."""
    province = None
    if count > 1:
        province, _ = Government.objects.get_or_create(
            name=BENCH_PROVINCE, defaults={"short_name": "基准省", "level": Government.Level.PROVINCE})
    result = []
    for index in range(1, count + 1):
        government, _ = Government.objects.get_or_create(
            name=government_name(index), defaults={"short_name": government_name(index)[:-4],
                                                   "level": Government.Level.COUNTY, "upper": province})
        result.append(government)
    return result


def ensure_units(shape: Shape | None = None) -> dict[int, list[Unit]]:
    """Each benchmark government's units (60 by default: 40 departments, 20 streets), sort_order 10, 20, …
    (the SQL derives each unit's slot from it). The same names in every government."""
    shape = shape or Shape.for_assignments(1000)
    streets = shape.units - shape.units * DEPARTMENTS // UNITS_TOTAL
    result = {}
    for government in ensure_governments(shape.governments):
        wanted = []
        for k in range(1, shape.units + 1):
            if k <= shape.units - streets:
                wanted.append(Unit(government=government, name=f"基准区第{k:02d}部门", short_name=f"基准部门{k:02d}",
                                   sort_order=10 * k, kind=Unit.Kind.DEPARTMENT))
            else:
                n = k - (shape.units - streets)
                wanted.append(Unit(government=government, name=f"基准第{n:02d}街道办事处",
                                   short_name=f"基准街道{n:02d}", sort_order=10 * k, kind=Unit.Kind.STREET))
        existing = set(Unit.objects.filter(government=government).values_list("name", flat=True))
        Unit.objects.bulk_create([u for u in wanted if u.name not in existing])
        units = list(Unit.objects.filter(government=government, name__in=[u.name for u in wanted])
                     .order_by("sort_order"))
        for unit in units:
            if unit.sort_order % 10 or not 10 <= unit.sort_order <= 10 * shape.units:
                raise BenchmarkDataError(f"基准单位“{unit.name}”的排序号已被改动，请使用新的空数据库。")
        result[government.pk] = units
    return result


def ensure_office_user() -> User:
    """The office admin of the first benchmark government (the one every figure is measured as)."""
    government = ensure_governments(1)[0]
    user = User.objects.filter(username=BENCH_OFFICE_USERNAME).first()
    if user is None:
        user = User(username=BENCH_OFFICE_USERNAME, role=User.Role.OFFICE_ADMIN, display_name="基准测试公开办",
                    government=government)
        user.set_unusable_password()
        user.save()
    return user


def _slot(unit_index: int, item_number: int, units_total: int = UNITS_TOTAL) -> int:
    return (unit_index + item_number * 7) % units_total


def _item_units(units: list[Unit], number: int, shape: Shape) -> tuple[str, list[str]]:
    """The lead unit's and the responsible units' names, as the SQL below assigns them."""
    chosen = [u for k, u in enumerate(units, 1) if _slot(k, number, shape.units) < shape.units_per_item]
    lead = next(u for k, u in enumerate(units, 1) if _slot(k, number, shape.units) == 0)
    return lead.short_name, [u.short_name for u in chosen if u.pk != lead.pk]


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)


def _notices_for_year(year: int, year_index: int, shape: Shape, governments: list[Government]) -> list[Notice]:
    per_year = shape.notices_per_year * shape.governments
    first = year_index * per_year
    count = min(per_year, shape.notices - first)
    notices = []
    for serial in range(1, count + 1):
        notices.append(Notice(
            government=governments[(serial - 1) // shape.notices_per_year], doc_number=f"{BENCH_ISSUER}〔{year}〕{serial}号", issuer_code=BENCH_ISSUER, doc_year=year,
            doc_serial=serial, title=f"关于印发{year}年第{serial}批政务公开重点工作任务分解表的通知",
            issuer="基准区人民政府办公室", issue_date=datetime.date(year, 3, 1 + serial % 28), work_year=year,
            recipients="各街道办事处，区直各有关单位", report_back_date=datetime.date(year, 12, 10),
            publicity=Notice.Publicity.PROACTIVE))
    return Notice.objects.bulk_create(notices)


def _sections(notices: list[Notice]) -> dict[int, list[Section]]:
    """Per notice: the eight subsections, in order (two under each of the four top sections)."""
    numerals = "一二三四五六七八"
    tops = Section.objects.bulk_create([
        Section(notice=n, number=numerals[t], title=SECTION_TITLES[t], position=t * 3)
        for n in notices for t in range(TOP_SECTIONS)])
    subs = Section.objects.bulk_create([
        Section(notice_id=top.notice_id, parent=top, number=numerals[s], title=f"{top.title}（{'甲乙'[s]}）",
                position=top.position + s + 1)
        for top in tops for s in range(2)])
    by_notice: dict[int, list[Section]] = {}
    for sub in subs:
        by_notice.setdefault(sub.notice_id, []).append(sub)
    return by_notice


def _items(notices: list[Notice], sections: dict[int, list[Section]], units: list[Unit], remaining: int,
           shape: Shape) -> int:
    items = []
    for notice in notices:
        for number in range(1, min(ITEMS_PER_NOTICE, remaining) + 1):
            topic = TOPICS[(number + notice.doc_serial) % len(TOPICS)]
            lead, responsible = _item_units(units, number, shape)
            ongoing = number % 10 == 0
            month = 3 + number % 10
            items.append(Item(
                notice=notice, section=sections[notice.pk][(number - 1) // 5], number=number,
                title=f"做好{topic}信息公开",
                requirement=(f"围绕{topic}，及时准确发布政策文件、解读材料和执行情况，主动回应社会关切；"
                             f"{month}月底前完成专栏内容更新和第{number}项重点工作，按时报送落实情况。"),
                lead_units_text=[lead], responsible_units_text=responsible,
                deadline_text="持续推进" if ongoing else f"{month}月底前",
                deadline=None if ongoing else _last_day(notice.work_year, month), is_ongoing=ongoing))
        remaining -= min(ITEMS_PER_NOTICE, remaining)
    Item.objects.bulk_create(items, batch_size=2000)
    return len(items)


def _insert_select(model, explicit: dict[str, tuple[str, list]], source: str, source_params: list) -> int:
    """INSERT INTO model's table (every concrete column) SELECT … FROM source.

    Columns not named in ``explicit`` get the field's default, so a column another feature adds later
    does not break the benchmark.
    """
    columns, exprs, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in explicit:
            sql, sql_params = explicit[field.column]
            exprs.append(sql)
            params += sql_params
        else:
            exprs.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)} FROM {source}",
                       params + source_params)
        return cursor.rowcount


def _insert_assignments(year: int, shape: Shape, now) -> int:
    """Every item of the year × its government's benchmark units in the item's slots."""
    status = Assignment.Status
    stamp = connection.ops.adapt_datetimefield_value(now)
    q = connection.ops.quote_name
    source = f"""(
        SELECT i.id AS item_id, u.id AS unit_id, u.short_name AS unit_name, u.sort_order AS unit_order,
               i.notice_id AS notice_id, i.number AS item_number, i.is_ongoing AS is_ongoing,
               n.government_id AS government_id,
               CASE WHEN i.is_ongoing THEN NULL ELSE COALESCE(i.deadline, n.report_back_date) END AS due,
               n.issue_date AS issued, n.work_year AS work_year,
               ((u.sort_order / 10) + i.number * 7) %% {int(shape.units)} AS slot,
               (i.id * 37 + u.id * 11) %% 100 AS h
        FROM {q(Item._meta.db_table)} i
        INNER JOIN {q(Notice._meta.db_table)} n ON n.id = i.notice_id
        INNER JOIN {q(Unit._meta.db_table)} u ON u.government_id = n.government_id
        WHERE n.work_year = %s AND n.issuer_code = %s AND u.sort_order <= {int(shape.units) * 10}
    ) s WHERE s.slot < {int(shape.units_per_item)} ORDER BY s.notice_id, s.item_number, s.unit_order"""
    done, doing, na, not_started = status.DONE, status.IN_PROGRESS, status.NOT_APPLICABLE, status.NOT_STARTED
    explicit = {
        "item_id": ("s.item_id", []),
        "unit_id": ("s.unit_id", []),
        "role": ("CASE WHEN s.slot = 0 THEN %s ELSE %s END",
                 [Assignment.Role.LEAD, Assignment.Role.RESPONSIBLE]),
        "written_as": ("s.unit_name", []),
        "due_date": ("s.due", []),
        "is_ongoing": ("s.is_ongoing", []),
        "status": (f"CASE WHEN s.h < {DONE_BELOW} THEN %s WHEN s.h < {IN_PROGRESS_BELOW} THEN %s "
                   f"WHEN s.h < {NOT_APPLICABLE_BELOW} THEN %s ELSE %s END", [done, doing, na, not_started]),
        "completed_on": (f"CASE WHEN s.h < {DONE_BELOW} THEN COALESCE(s.due, s.issued) END", []),
        "na_reason": (f"CASE WHEN s.h >= {IN_PROGRESS_BELOW} AND s.h < {NOT_APPLICABLE_BELOW} "
                      "THEN %s ELSE '' END", ["本单位无此项职能"]),
        "last_reported_on": (f"CASE WHEN s.h < {DONE_BELOW} THEN COALESCE(s.due, s.issued) "
                             f"WHEN s.h < {NOT_APPLICABLE_BELOW} THEN s.issued END", []),
        "notice_id": ("s.notice_id", []),
        "government_id": ("s.government_id", []),
        "year": ("s.work_year", []),
        "item_number": ("s.item_number", []),
        "unit_sort_order": ("s.unit_order", []),
        "created_at": ("%s", [stamp]),
        "updated_at": ("%s", [stamp]),
    }
    return _insert_select(Assignment, explicit, source, [year, BENCH_ISSUER])


def _insert_reports(after_id: int, now) -> int:
    """One progress report on every new row (id above ``after_id``) that has a 最近报送 date, dated that day."""
    a = connection.ops.quote_name(Assignment._meta.db_table)
    source = f"{a} a WHERE a.id > %s AND a.last_reported_on IS NOT NULL"
    explicit = {
        "assignment_id": ("a.id", []),
        "reported_on": ("a.last_reported_on", []),
        "text": ("%s || CAST(a.item_number AS TEXT) || %s",
                 ["已按要求推进第", "项工作：相关政策文件和解读材料已在区政府门户网站政务公开专栏发布，"
                                   "并通过政务新媒体同步推送，工作台账已更新。"]),
        "resulting_status": ("a.status", []),
        "created_at": ("%s", [connection.ops.adapt_datetimefield_value(now)]),
    }
    return _insert_select(ProgressReport, explicit, source, [after_id])


def _max_assignment_id() -> int:
    from django.db.models import Max

    return Assignment.objects.aggregate(m=Max("id"))["m"] or 0


def _bench_filter(model) -> tuple[str, list]:
    """SQL selecting the ids of ``model``'s benchmark rows."""
    n = connection.ops.quote_name(Notice._meta.db_table)
    notices = f"SELECT id FROM {n} WHERE issuer_code = %s"
    if model is Notice:
        return notices, [BENCH_ISSUER]
    if model is ProgressReport:
        a = connection.ops.quote_name(Assignment._meta.db_table)
        return f"SELECT id FROM {connection.ops.quote_name(model._meta.db_table)} WHERE assignment_id IN " \
               f"(SELECT id FROM {a} WHERE notice_id IN ({notices}))", [BENCH_ISSUER]
    return f"SELECT id FROM {connection.ops.quote_name(model._meta.db_table)} WHERE notice_id IN ({notices})", \
        [BENCH_ISSUER]


@transaction.atomic
def delete_benchmark_data() -> None:
    """Remove the benchmark notices and everything hanging off them, in plain SQL (no per-row signals)."""
    from django.db import IntegrityError, models

    order = [ProgressReport, Assignment, Item, Section, Notice]
    with connection.cursor() as cursor:
        for model in order:
            ids_sql, ids_params = _bench_filter(model)
            for rel in model._meta.get_fields(include_hidden=True):
                if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
                    continue
                related = rel.related_model
                if related in order or rel.on_delete is models.DO_NOTHING:
                    continue
                table = connection.ops.quote_name(related._meta.db_table)
                column = connection.ops.quote_name(rel.field.column)
                if rel.on_delete is models.SET_NULL:
                    cursor.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} IN ({ids_sql})", ids_params)
                else:
                    cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({ids_sql})", ids_params)
        try:
            for model in order:
                ids_sql, ids_params = _bench_filter(model)
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({ids_sql})", ids_params)
        except IntegrityError as exc:
            raise BenchmarkDataError("基准数据仍被其他数据引用，无法清除，请换一个新的空数据库。") from exc


def analyze() -> None:
    """Fresh planner statistics after a bulk load (VACUUM too on PostgreSQL outside a transaction)."""
    tables = [m._meta.db_table for m in (Notice, Section, Item, Assignment, ProgressReport, Unit)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            for table in tables:
                cursor.execute(f"{verb} {connection.ops.quote_name(table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


@contextmanager
def indexes_dropped(models_, *, log=print):
    """On PostgreSQL, drop the secondary indexes of ``models_``'s tables for a bulk load and rebuild them after.

    Loading a million rows into a table with a dozen indexes is several times slower than loading it bare
    and indexing once. Primary keys and unique constraints stay (they are constraints, not just indexes).
    Only worth it on a (nearly) empty table: the caller decides.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conname = i.indexname AND c.contype IN ('p', 'u', 'x'))", [tables])
        saved = cursor.fetchall()
        for name, _ in saved:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the queued foreign key checks first
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in saved:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
        log(f"  重建{len(saved)}个索引：{time.perf_counter() - started:.1f}秒")


def build(shape: Shape, *, log=print) -> None:
    """Fill the database with ``shape``; ``log`` gets one Chinese line per year."""
    units = ensure_units(shape)
    ensure_office_user()
    bare = Assignment.objects.count() < shape.assignments
    if bare:
        with transaction.atomic(), indexes_dropped([Assignment, ProgressReport], log=log):
            _build_years(shape, units, log=log)
    else:
        _build_years(shape, units, log=log)
    started = time.perf_counter()
    analyze()
    log(f"  更新统计信息（ANALYZE）：{time.perf_counter() - started:.1f}秒")


def _build_years(shape: Shape, units: dict[int, list[Unit]], *, log) -> None:
    now = timezone.now()
    remaining = shape.items
    governments = ensure_governments(shape.governments)
    for year_index, year in enumerate(shape.years):
        started = time.perf_counter()
        with transaction.atomic():
            notices = _notices_for_year(year, year_index, shape, governments)
            sections = _sections(notices)
            item_count = _items(notices, sections, units[governments[0].pk], remaining, shape)
            remaining -= item_count
            after_id = _max_assignment_id()
            rows = _insert_assignments(year, shape, now)
            reports = _insert_reports(after_id, now)
        log(f"  {year}年：{len(notices)}份通知，{item_count:,}项，{rows:,}行台账，{reports:,}条落实情况"
            f"（{time.perf_counter() - started:.1f}秒）")
