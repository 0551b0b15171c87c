"""Score the importer on the corpus of real published tables (tasks/tests/corpus).

Each ``<slug>.txt`` is the text as published, ``<slug>.json`` the breakdown JSON written by hand
from the source (../shared/breakdown-json.md). An item is right when its number, its text (title
and requirement together), its lead / responsible / cooperating units, its deadline_text and its
deadline all equal the expected ones; a unit mention is right when the item of that number names
that unit in that role. Extra items or units the parser invents count against it.

    .venv/bin/python -m tasks.tests.corpus_score            # the pasted text of every file
    .venv/bin/python -m tasks.tests.corpus_score --format docx slug1 slug2
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
ROLES = ("lead_units", "responsible_units", "cooperating_units")
_WS = re.compile(r"\s+")


@dataclass
class FileScore:
    slug: str
    items_right: int = 0
    items_total: int = 0
    units_right: int = 0
    units_total: int = 0
    error: str = ""
    wrong: list[str] = field(default_factory=list)

    @property
    def items_pct(self) -> float:
        return 100.0 * self.items_right / self.items_total if self.items_total else 100.0

    @property
    def units_pct(self) -> float:
        return 100.0 * self.units_right / self.units_total if self.units_total else 100.0


def slugs() -> list[str]:
    return sorted(p.stem for p in CORPUS.glob("*.json"))


def load_expected(slug: str) -> dict:
    return json.loads((CORPUS / f"{slug}.json").read_text(encoding="utf-8"))


def load_text(slug: str) -> str:
    return (CORPUS / f"{slug}.txt").read_text(encoding="utf-8")


def all_tasks(notice: dict) -> list[dict]:
    out = []
    for section in notice.get("sections") or []:
        out.extend(section.get("tasks") or [])
        for sub in section.get("subsections") or []:
            out.extend(sub.get("tasks") or [])
    return out


def _text(task: dict) -> str:
    return _WS.sub("", (task.get("title") or "") + (task.get("requirement") or ""))


def _units(task: dict, role: str) -> Counter:
    return Counter(_WS.sub("", u) for u in task.get(role) or [])


def item_problems(expected: dict, got: dict | None) -> list[str]:
    """What differs between an expected item and the parsed item of the same number."""
    if got is None:
        return ["missing"]
    problems = []
    if _text(expected) != _text(got):
        problems.append("text")
    for role in ROLES:
        if _units(expected, role) != _units(got, role):
            problems.append(role)
    if (expected.get("deadline_text") or "") != (got.get("deadline_text") or ""):
        problems.append("deadline_text")
    if expected.get("deadline") != got.get("deadline"):
        problems.append("deadline")
    return problems


def compare(slug: str, expected: dict, parsed: dict | None, error: str = "") -> FileScore:
    score = FileScore(slug, error=error)
    wanted = all_tasks(expected)
    got_by_number: dict[int, dict] = {}
    for task in all_tasks(parsed or {}):
        got_by_number.setdefault(task.get("number"), task)
    numbers = {t["number"] for t in wanted}
    extra = [n for n in got_by_number if n not in numbers]
    score.items_total = len(wanted) + len(extra)
    for task in wanted:
        got = got_by_number.get(task["number"])
        problems = item_problems(task, got)
        if problems:
            score.wrong.append(f"{task['number']}: {', '.join(problems)}")
        else:
            score.items_right += 1
        for role in ROLES:
            want = _units(task, role)
            have = _units(got, role) if got else Counter()
            score.units_right += sum((want & have).values())
            score.units_total += max(sum(want.values()), sum(have.values()))
    for number in extra:
        score.wrong.append(f"{number}: extra")
        score.units_total += sum(sum(_units(got_by_number[number], r).values()) for r in ROLES)
    return score


def parse_source(slug: str, fmt: str = "txt") -> dict:
    """The parser's JSON for one corpus file in one format (txt = pasted text)."""
    from tasks import importers

    if fmt == "txt":
        return importers.parse_text(load_text(slug)).notice.to_json()
    from tasks.tests import corpus_render

    data = corpus_render.render(slug, fmt)
    return importers.parse_upload(f"{slug}.{fmt}", data).notice.to_json()


def score_file(slug: str, fmt: str = "txt") -> FileScore:
    expected = load_expected(slug)
    try:
        parsed = parse_source(slug, fmt)
    except Exception as exc:  # noqa: BLE001 - a refusal or a crash both score zero
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        return compare(slug, expected, None, error=str(message)[:120])
    return compare(slug, expected, parsed)


def total(scores: list[FileScore]) -> FileScore:
    out = FileScore("TOTAL")
    for s in scores:
        out.items_right += s.items_right
        out.items_total += s.items_total
        out.units_right += s.units_right
        out.units_total += s.units_total
    return out


def report_line(s: FileScore) -> str:
    line = (f"{s.slug:56} items {s.items_right:3}/{s.items_total:<3} {s.items_pct:5.1f}%   "
            f"units {s.units_right:3}/{s.units_total:<3} {s.units_pct:5.1f}%")
    if s.error:
        line += f"   refused: {s.error}"
    return line


def main(argv: list[str] | None = None) -> int:
    import django

    parser = argparse.ArgumentParser(description="Score the importer on the corpus")
    parser.add_argument("slugs", nargs="*")
    parser.add_argument("--format", default="txt", choices=("txt", "docx", "xlsx", "pdf"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list the wrong items")
    args = parser.parse_args(argv)
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govopen.settings_test")
    django.setup()
    scores = [score_file(slug, args.format) for slug in (args.slugs or slugs())]
    for s in scores:
        print(report_line(s))
        if args.verbose and s.wrong:
            print("    wrong: " + "; ".join(s.wrong))
    print(report_line(total(scores)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
