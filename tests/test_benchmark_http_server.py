"""``manage.py benchmark --http-only`` end to end on a small SQLite file: gunicorn with production settings,
every role logged in through the login form, every page of the navigation answered with its own content
(the unit tests of the client and the launcher are in devtools/tests/test_benchmark_http.py)."""
from devtools.benchmark.report import RESULT_HTTP_RE
from tests.support import manage


def test_the_http_phase_drives_every_page_as_every_role(sqlite_db):
    url, media, env = sqlite_db
    result = manage(env, "benchmark", "--http-only", "--assignments", "1000", "--http-connections", "1",
                    "--http-seconds", "0.05")
    lines = result.stdout.strip().splitlines()
    assert RESULT_HTTP_RE.match(lines[-1]), result.stdout[-3000:]
    assert not any(line.startswith("RESULT ") for line in lines)  # --http-only: no in-process figures
    for role in ("公开办", "联络员", "牵头单位", "领导"):
        assert f"登录1个会话（{role}）" in result.stdout
    for key in ("minimal", "home.liaison", "home.leader", "ledger.deep", "ledger.q", "ledger.sort.-due_date",
                "my_ledger.lead", "lead_items", "item", "notice", "stats", "summary", "export.summary",
                "export.notice", "assignment"):
        assert f" {key} " in result.stdout, key
    assert "DJANGO_DEBUG 关闭" in result.stdout
