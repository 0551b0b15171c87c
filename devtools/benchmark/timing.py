"""Repeated timings, nearest-rank percentiles and the rows of the printed table."""
from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)  # seconds

    @property
    def p50_ms(self) -> float:
        return percentile(self.samples, 50) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.samples, 95) * 1000


def interleaved(calls: dict[str, Callable[[], object]], *, repeat: int, warmup: int | None = None) -> dict[str, Timing]:
    """Time each call ``repeat`` times, taking turns, so a slow patch of the machine hits all of them alike.

    A full garbage collection runs before each timed call (untimed). Otherwise the collector's periodic
    full pass over the benchmark process's heap (~40 ms here) lands inside whichever request happens to
    cross its threshold, and p95 measures the heap of this process rather than the page (timeit turns the
    collector off for the same reason).
    """
    if warmup is None:
        warmup = 2 if repeat >= 10 else 1
    for _ in range(warmup):
        for call in calls.values():
            call()
    timings = {name: Timing() for name in calls}
    for _ in range(repeat):
        for name, call in calls.items():
            gc.collect()
            started = time.perf_counter()
            call()
            timings[name].samples.append(time.perf_counter() - started)
    return timings


def timed(call: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


@dataclass
class Line:
    """One row of the printed table: a figure beside its baseline, the goal, and whether it is met."""

    label: str
    measured: str
    baseline: str = ""
    ratio: str = ""
    goal: str = ""
    ok: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "达标", False: "未达标", None: ""}[self.ok]
