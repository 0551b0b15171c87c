"""Growth between two HTTP runs (issue 18: no page's p95 at 1,000,000 rows more than 1.5× its p95 at 10,000).

``--http-json OUT.json`` writes a run's figures (``document``); ``--http-compare BASE.json`` reads an earlier
run's file and prints, per page of the navigation at the highest connection count both runs share, this run's
p95 over the base run's, then one line after ``RESULT_HTTP``:

    GROWTH max_ratio=<n> page=<key>

(the page whose p95 grew most; exports and the minimal view are left out, as in RESULT_HTTP's min_rps).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from devtools.benchmark import report

GOAL = 1.5
VERSION = 1


class GrowthError(Exception):
    """A Chinese message: the base file cannot be compared with."""


def kind(page) -> str:
    return "export" if page.export else "ceiling" if page.ceiling else "page"


def document(outcome, *, scale: str, levels: tuple[int, ...], seconds: float) -> dict:
    """A run as JSON-ready data: what was measured where, and every page's median figures."""
    return {
        "version": VERSION,
        "scale": scale,
        "office_rows": outcome.office_rows,
        "measured_at": timezone.now().isoformat(timespec="seconds"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "machine": report.machine(),
        "levels": list(levels),
        "seconds": seconds,
        "rounds": outcome.rounds,
        "result_http": outcome.result,
        "pages": [{"key": m.page.key, "label": m.page.label, "kind": kind(m.page), "connections": m.connections,
                   "requests": m.requests, "rps": round(m.rps, 2), "p50_ms": round(m.p50_ms, 1),
                   "p95_ms": round(m.p95_ms, 1), "timeouts": m.timeouts,
                   "queries": outcome.queries.get(m.page.key)} for m in outcome.measurements],
    }


def write(path: str | Path, doc: dict) -> None:
    Path(path).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read(path: str | Path) -> dict:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise GrowthError(f"无法读取对比文件 {path}：{exc.strerror or exc}") from exc
    except ValueError as exc:
        raise GrowthError(f"对比文件 {path} 不是有效的 JSON（{exc}）") from exc
    if not isinstance(doc, dict) or doc.get("version") != VERSION or not isinstance(doc.get("pages"), list):
        raise GrowthError(f"对比文件 {path} 不是 --http-json 写出的文件。")
    return doc


@dataclass
class Row:
    key: str
    label: str
    base_p95_ms: float
    p95_ms: float
    bounded: bool  # this run or the base timed out: the ratio is a bound, not a figure

    @property
    def ratio(self) -> float:
        return self.p95_ms / self.base_p95_ms if self.base_p95_ms > 0 else float("inf")


def compare(current: dict, base: dict) -> tuple[int, list[Row]]:
    """The connection count compared (the highest both runs have) and one row per page of the navigation
    measured in both, in this run's order."""
    shared = set(current["levels"]) & set(base["levels"])
    if not shared:
        raise GrowthError(f"两次测量没有相同的并发连接数（本次 {current['levels']}，对比文件 {base['levels']}）。")
    top = max(shared)
    before = {p["key"]: p for p in base["pages"] if p["connections"] == top and p["kind"] == "page"}
    rows = []
    for page in current["pages"]:
        old = before.get(page["key"])
        if page["connections"] != top or page["kind"] != "page" or old is None:
            continue
        rows.append(Row(page["key"], page["label"], old["p95_ms"], page["p95_ms"],
                        bounded=bool(page["timeouts"] or old["timeouts"])))
    if not rows:
        raise GrowthError("对比文件与本次测量没有共同的页面。")
    return top, rows


def table(rows: list[Row], *, top: int, base_scale: str, scale: str, goal: float = GOAL) -> str:
    body = [[r.label, r.key, f"{r.base_p95_ms:.0f}", f"{r.p95_ms:.0f}", f"{'~' if r.bounded else ''}{r.ratio:.2f}×",
             "达标" if r.ratio <= goal else "未达标"] for r in rows]
    heading = f"增长（{top}连接的p95：{scale} 对 {base_scale}，目标 ≤{goal:g}×；~ 表示有超时，只是界限）"
    return heading + "\n" + report.grid(
        ["页面", "键", f"{base_scale} p95毫秒", f"{scale} p95毫秒", "比值", "结论"], body, right=(2, 3, 4))


def growth_line(rows: list[Row]) -> str:
    worst = max(rows, key=lambda r: r.ratio)
    return report.growth_line(max_ratio=worst.ratio, page=worst.key)
