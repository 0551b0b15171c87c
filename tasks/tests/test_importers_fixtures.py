"""The parser and the hand-checked demo fixtures agree on the seeds where the source is unambiguous."""
import json
from pathlib import Path

import pytest

from tasks.importers import parse_text

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.mark.parametrize("key,seed", [
    ("huli2022", "huli2022_taskbreakdown.txt"),
    ("fuzhou2021", "fuzhou2021_taskbreakdown.txt"),
    ("licheng2018", "licheng2018_taskbreakdown.txt"),
])
def test_parsed_seed_equals_the_fixture(key, seed):
    parsed = parse_text((SEEDS / seed).read_text(encoding="utf-8")).notice.to_json()
    fixture = json.loads((ROOT / "fixtures" / "notices" / f"{key}.json").read_text(encoding="utf-8"))
    assert parsed == fixture
