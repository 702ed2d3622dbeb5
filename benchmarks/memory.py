"""Scenario 3: peak RSS while iterating 1,000 and 100,000 batches without keeping them.

What it shows: that a listing streams. If the paginator (or anything under it)
held on to pages, items or per-request state, the 100,000-item walk would end
with a much higher peak than the 1,000-item one. Each measurement runs in a fresh
process (``rss_child.py``), the fake in yet another, and the figure is the growth
during the loop (peak after minus peak before), so fixed costs such as imports
and the HTTP session cancel out between the two sizes.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

from fakeproc import FakeEndpoint, running_fake
from report import Outcome, Table, Target
from stats import Sample

CHILD_SCRIPT = Path(__file__).with_name("rss_child.py")
SIZES = (1_000, 100_000)
LIMIT = 100
MAX_GROWTH_MIB = 5.0
CHILD_TIMEOUT = 300.0
KIB_PER_MIB = 1024


@dataclasses.dataclass(frozen=True)
class RssRun:
    """One child's result, in MiB."""

    items: int
    baseline: float
    peak: float

    @property
    def growth(self) -> float:
        return self.peak - self.baseline


def measure_once(endpoint: FakeEndpoint) -> RssRun:
    """Run one fresh child against ``endpoint`` and read its JSON line."""
    command = [sys.executable, str(CHILD_SCRIPT), "--url", endpoint.url]
    command += ["--api-key", endpoint.api_key, "--limit", str(LIMIT)]
    done = subprocess.run(command, capture_output=True, check=True, timeout=CHILD_TIMEOUT)
    result = json.loads(done.stdout)
    return RssRun(
        items=result["items"],
        baseline=result["baseline_kib"] / KIB_PER_MIB,
        peak=result["peak_kib"] / KIB_PER_MIB,
    )


def measure_size(size: int, repetitions: int) -> list[RssRun]:
    """``repetitions`` fresh children against one fake holding ``size`` batches."""
    with running_fake(size) as endpoint:
        runs = [measure_once(endpoint) for _ in range(repetitions)]
    if any(run.items != size for run in runs):
        raise RuntimeError(f"expected {size} items, got {[run.items for run in runs]}")
    return runs


def _row(size: int, runs: list[RssRun]) -> tuple[str, ...]:
    growth = Sample.of([run.growth for run in runs])
    baseline = Sample.of([run.baseline for run in runs]).median
    peak = Sample.of([run.peak for run in runs]).median
    cells = (baseline, peak, growth.median, growth.min, growth.max)
    return (f"{size:,}", *(f"{value:.1f}" for value in cells))


def run(repetitions: int) -> Outcome:
    """Measure both sizes, report the growth of the growth."""
    by_size = {size: measure_size(size, repetitions) for size in SIZES}
    small, large = (Sample.of([r.growth for r in by_size[s]]).median for s in SIZES)
    extra = large - small
    table = Table(
        title=f"(3) peak RSS iterating N batches (limit {LIMIT}), MiB",
        headers=("items", "before", "after", "growth", "min", "max"),
        rows=tuple(_row(size, runs) for size, runs in by_size.items()),
        notes=(f"growth {SIZES[0]:,} -> {SIZES[1]:,} items: {extra:+.1f} MiB (medians)",),
    )
    target = Target(
        "3",
        f"RSS growth <= {MAX_GROWTH_MIB:g} MiB between {SIZES[0]:,} and {SIZES[1]:,} items",
        f"{extra:+.1f} MiB",
        extra <= MAX_GROWTH_MIB,
    )
    return Outcome((table,), (target,))
