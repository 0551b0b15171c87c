"""``manage.py benchmark --http-only`` end to end on a small SQLite file: gunicorn with production settings,
every role logged in through the login form, every page of the navigation answered with its own content,
two rounds, each page's queries counted, the --http-json file and the growth against a base file
(the unit tests of the client and the launcher are in devtools/tests/test_benchmark_http.py)."""
import json

from devtools.benchmark.report import GROWTH_RE, RESULT_HTTP_RE
from tests.support import manage


def test_the_http_phase_drives_every_page_as_every_role(sqlite_db, tmp_path):
    url, media, env = sqlite_db
    base = {"version": 1, "scale": "基准文件", "levels": [1], "pages": [
        {"key": "ledger", "label": "全部台账·首页", "kind": "page", "connections": 1, "p95_ms": 0.001, "timeouts": 0},
        {"key": "stats", "label": "统计", "kind": "page", "connections": 1, "p95_ms": 1e9, "timeouts": 0}]}
    (tmp_path / "base.json").write_text(json.dumps(base))
    out = tmp_path / "run.json"
    result = manage(env, "benchmark", "--http-only", "--assignments", "1000", "--http-connections", "1",
                    "--http-seconds", "0.05", "--http-rounds", "2", "--http-json", str(out),
                    "--http-compare", str(tmp_path / "base.json"))
    lines = result.stdout.strip().splitlines()
    assert RESULT_HTTP_RE.match(lines[-2]), result.stdout[-3000:]
    assert GROWTH_RE.match(lines[-1]) and lines[-1].endswith(" page=ledger")  # the growth line comes last
    assert not any(line.startswith("RESULT ") for line in lines)  # --http-only: no in-process figures
    for role in ("公开办", "联络员", "牵头单位", "领导"):
        assert f"登录1个会话（{role}）" in result.stdout
    for key in ("minimal", "home.liaison", "home.leader", "ledger.deep", "ledger.q", "ledger.sort.-due_date",
                "my_ledger.lead", "lead_items", "item", "notice", "stats", "summary", "export.summary",
                "export.notice", "assignment"):
        assert f" {key} " in result.stdout, key
    assert "DJANGO_DEBUG 关闭" in result.stdout and "第2轮（共2轮）" in result.stdout
    assert "每页查询数（进程内测试客户端，数每页第二次请求）" in result.stdout
    assert "增长（1连接的p95：1,000行 对 基准文件" in result.stdout
    written = json.loads(out.read_text())
    assert written["rounds"] == 2 and written["result_http"] == lines[-2]
    ledger = next(p for p in written["pages"] if p["key"] == "ledger")
    assert ledger["requests"] >= 2 and 1 <= ledger["queries"] <= 30  # two rounds; counted in-process
    assert next(p for p in written["pages"] if p["key"] == "export.notice")["queries"] is None
