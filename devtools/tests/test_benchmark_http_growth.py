"""The HTTP phase's pure parts beside the load: the --http-json file, the growth against an earlier run
(--http-compare and its GROWTH line), the queries-per-page verdict, and which deep page is driven."""
import json
from types import SimpleNamespace

import pytest

from devtools.benchmark import http_growth, http_pages, http_queries, http_run
from devtools.benchmark.http_client import LoadResult
from devtools.benchmark.report import GROWTH_RE, growth_line

# The JSON document records the machine, whose database version is read from the database (PostgreSQL asks the
# server), so the tests that build one need database access.
pytestmark = pytest.mark.django_db


def outcome(p95s: dict[str, float], *, levels=(1, 20), timeouts=()) -> http_run.HttpOutcome:
    """A run in which each page answers at ``p95s[key]`` ms at the top level and 10 ms alone."""
    measurements = []
    for key, p95 in p95s.items():
        page = http_pages.Page(key, f"页面{key}", "office", "/" + key, export=key.startswith("export"),
                               ceiling=key == "minimal")
        for level in levels:
            ms = p95 if level == max(levels) else 10
            result = LoadResult(connections=level, latencies=[ms / 1000] * 10, elapsed=1.0,
                                timeouts=1 if key in timeouts and level == max(levels) else 0)
            measurements.append(http_run.Measurement(page, level, [result, result]))
    return http_run.HttpOutcome(measurements=measurements, result="RESULT_HTTP …", queries={"ledger": 7},
                                office_rows=10_000, rounds=2)


def test_the_json_file_holds_every_page_and_level(tmp_path):
    doc = http_growth.document(outcome({"minimal": 5, "ledger": 200}), scale="10,000行", levels=(1, 20), seconds=2)
    http_growth.write(tmp_path / "run.json", doc)
    again = http_growth.read(tmp_path / "run.json")
    assert again["scale"] == "10,000行" and again["levels"] == [1, 20] and again["rounds"] == 2
    ledger_top = next(p for p in again["pages"] if p["key"] == "ledger" and p["connections"] == 20)
    assert ledger_top == {"key": "ledger", "label": "页面ledger", "kind": "page", "connections": 20, "requests": 20,
                          "rps": 10.0, "p50_ms": 200.0, "p95_ms": 200.0, "timeouts": 0, "queries": 7}
    assert {p["kind"] for p in again["pages"]} == {"ceiling", "page"}
    assert len(again["pages"]) == 4


def test_growth_compares_the_top_level_of_the_pages_both_runs_measured():
    base = http_growth.document(outcome({"minimal": 5, "ledger": 200, "stats": 100, "export.summary": 1000}),
                                scale="10,000行", levels=(1, 20), seconds=2)
    now = http_growth.document(
        outcome({"minimal": 50, "ledger": 250, "stats": 400, "export.summary": 90_000, "new.page": 9999},
                timeouts=("stats",)),
        scale="1,000,000行", levels=(1, 5, 20), seconds=2)
    top, rows = http_growth.compare(now, base)
    assert top == 20
    # the minimal view and the exports are not pages of the navigation; new.page is not in the base run
    assert [(r.key, r.ratio, r.bounded) for r in rows] == [("ledger", 1.25, False), ("stats", 4.0, True)]
    line = http_growth.growth_line(rows)
    assert line == "GROWTH max_ratio=4.00 page=stats" and GROWTH_RE.match(line)
    table = http_growth.table(rows, top=top, base_scale="10,000行", scale="1,000,000行")
    assert "目标 ≤1.5×" in table and "1.25×" in table and "~4.00×" in table
    assert [line.split()[-1] for line in table.splitlines()[-2:]] == ["达标", "未达标"]


def test_growth_line_format():
    assert growth_line(max_ratio=1.234, page="ledger.sort.-due_date") == "GROWTH max_ratio=1.23 page=ledger.sort.-due_date"
    assert GROWTH_RE.match(growth_line(max_ratio=float("inf"), page="stats"))
    assert not GROWTH_RE.match("GROWTH max_ratio=1.2 page=stats")


def test_a_base_file_that_does_not_fit_is_refused_in_chinese(tmp_path):
    with pytest.raises(http_growth.GrowthError, match="无法读取"):
        http_growth.read(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(http_growth.GrowthError, match="不是有效的 JSON"):
        http_growth.read(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text(json.dumps({"pages": []}))
    with pytest.raises(http_growth.GrowthError, match="--http-json"):
        http_growth.read(tmp_path / "other.json")
    one = http_growth.document(outcome({"ledger": 1}, levels=(1,)), scale="a", levels=(1,), seconds=1)
    five = http_growth.document(outcome({"ledger": 1}, levels=(5,)), scale="b", levels=(5,), seconds=1)
    with pytest.raises(http_growth.GrowthError, match="相同的并发连接数"):
        http_growth.compare(one, five)


def test_queries_verdict_names_the_pages_past_the_goal():
    assert http_queries.verdict({"ledger": 6, "home.office": 8}) == "2个页面6–8次，都不超过8次"
    assert http_queries.verdict({"ledger": 6, "stats": 12, "summary": 9}) == (
        "3个页面6–12次，2个超过8次：stats（12）、summary（9）")
    assert http_queries.verdict({}) == "没有可计数的页面"


def test_the_deep_page_is_half_way_through_the_rows_the_office_sees():
    """Province scale: the office of one district sees 16,000 of 1,600,000 rows; its deep page is page 160,
    not a page past the end of its rows counted from the whole table."""
    subjects = http_pages.Subjects(
        year=2026, notice=SimpleNamespace(pk=1, doc_number="基准〔2026〕1号"),
        item=SimpleNamespace(pk=2, number=1, section_id=None), lead_unit=SimpleNamespace(pk=3),
        liaison_unit=SimpleNamespace(pk=4), liaison_row=SimpleNamespace(pk=5), office_rows=16_000)
    deep = next(p for p in http_pages.pages(subjects) if p.key == "ledger.deep")
    assert deep.path.endswith("?page=160") and "第160页" in deep.label


def test_http_pages_keeps_the_prefixes_and_exactly_the_pages_result_http_needs():
    keys = ["minimal", "home.office", "ledger", "ledger.deep", "ledger.q", "ledger.sort.year", "stats",
            "export.summary", "my_ledger.liaison", "my_ledger.lead", "home.leader"]
    page_list = [http_pages.Page(key, key, "office", "/" + key) for key in keys]
    assert [p.key for p in http_run.selected(page_list, "stats, ledger.sort")] == [
        "minimal", "home.office", "ledger", "ledger.q", "ledger.sort.year", "stats", "my_ledger.liaison",
        "home.leader"]


def test_transaction_control_is_not_a_query():
    captured = [{"sql": sql} for sql in ('SELECT "django_session"."session_key" FROM "django_session"', "BEGIN",
                                         'UPDATE "django_session" SET x = 1', "COMMIT", 'SAVEPOINT "s1_x1"',
                                         'RELEASE SAVEPOINT "s1_x1"', "ROLLBACK", "SELECT 1 /* BEGIN */")]
    assert http_queries.queries_of(captured) == 3
