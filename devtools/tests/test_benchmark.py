"""The benchmark command: a small smoke run on the test database (its format, not its timings)."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conftest import make_notice
from devtools.benchmark import data
from devtools.benchmark.report import RESULT_RE, result_line
from tasks.models import Assignment, Item, ProgressReport
from units.models import Unit


def test_shape_scales_years_notices_and_items():
    big = data.Shape.for_assignments(1_000_000)
    assert (big.assignments, big.items, big.notices, big.years[0], big.years[-1]) == (1_000_000, 40_000, 1000, 2026, 2017)
    small = data.Shape.for_assignments(2000)
    assert (small.items, small.notices, small.years) == (80, 2, [2026])


def test_result_line_matches_the_contract():
    line = result_line(queries=(13, 13, 13), ledger_ratio=1.834, unfiltered_p95_ms=84.6, sort_ratio_max=1.2,
                       export_ratio=3.21, export_mem_growth_mib=-0.4, import_docx_s=0.214)
    assert line == ("RESULT queries=13/13/13 ledger_ratio=1.83 unfiltered_p95_ms=85 sort_ratio_max=1.20 "
                    "export_ratio=3.21 export_mem_growth_mib=0 import_docx_s=0.21")
    assert RESULT_RE.match(line)


def test_build_fills_the_denormalised_columns(db):
    data.build(data.Shape.for_assignments(2000), log=lambda line: None)
    assert Assignment.objects.count() == 2000
    assert Item.objects.count() == 80
    row = Assignment.objects.select_related("item", "notice", "unit").filter(status="done").first()
    assert (row.year, row.notice_id, row.item_number) == (row.notice.work_year, row.item.notice_id, row.item.number)
    assert row.unit_sort_order == row.unit.sort_order
    assert row.due_date == row.item.deadline and row.completed_on == row.due_date == row.last_reported_on
    assert Assignment.objects.filter(role="lead").count() == 80  # one lead unit per item
    assert ProgressReport.objects.count() == Assignment.objects.filter(last_reported_on__isnull=False).count()
    data.delete_benchmark_data()
    assert not Assignment.objects.exists() and not Item.objects.exists()


def test_it_refuses_a_database_with_real_notices(db):
    make_notice()
    with pytest.raises(CommandError, match="--force"):
        call_command("benchmark", assignments=2000, stdout=StringIO())
    assert not Assignment.objects.exists()


def test_smoke_run_prints_the_table_and_the_result_line(db):
    out = StringIO()
    call_command("benchmark", assignments=2000, repeat=2, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert RESULT_RE.match(lines[-1]), lines[-1]
    text = out.getvalue()
    for heading in ("指标", "台账每页查询数", "不筛选首页", "排序 sort=-due_date", "年度Excel导出", "导出峰值内存",
                    "导入40项.docx", "页文字PDF", "网页导入路径：40项.docx在受限子进程中解析（解析出40项）"):
        assert heading in text
    queries = RESULT_RE.match(lines[-1]).groups()[:3]
    assert len(set(queries)) == 1  # no N+1: the same number of queries for 10, 50 and 100 rows
    assert "解析出40项" in text

    out = StringIO()
    call_command("benchmark", export_probe="2026", stdout=out)  # the memory probe the subprocess runs
    probe = json.loads(out.getvalue())
    assert probe["items"] == 80 and probe["bytes"] > 0


def test_province_shape_gives_each_government_its_own_units_and_rows(db):
    shape = data.Shape.for_province(governments=3, units=4, years=2)
    assert (shape.assignments, shape.notices, shape.items) == (3 * 4 * 40 * 2, 6, 240)
    data.build(shape, log=lambda line: None)
    assert Assignment.objects.count() == shape.assignments
    office = data.ensure_office_user()
    mine = Assignment.objects.visible_to(office)
    assert mine.count() == shape.assignments // 3
    assert set(mine.values_list("unit__government", flat=True)) == {office.government_id}
    for row in Assignment.objects.select_related("unit", "notice")[:200]:
        assert row.government_id == row.unit.government_id == row.notice.government_id
    names = {g: set(Unit.objects.filter(government_id=g).values_list("short_name", flat=True))
             for g in Assignment.objects.values_list("government_id", flat=True).distinct()}
    assert len(names) == 3 and len({frozenset(v) for v in names.values()}) == 1  # the same names everywhere


def test_province_smoke_run(db):
    out = StringIO()
    call_command("benchmark", province=True, governments=3, repeat=2, stdout=out)
    assert RESULT_RE.match(out.getvalue().strip().splitlines()[-1])
    assert "3个区县政府 × 80个单位" in out.getvalue()
