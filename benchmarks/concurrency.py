"""Scenario 2: 80 pages at 50 ms each, sequential against ``list(concurrency=N)``.

What it shows: whether the fan-out turns N requests in flight into an N-fold
speed-up when the API, not the client, is the bottleneck. The first page is
always fetched alone (its ``total_count`` says how many pages follow), so with N
in flight the best possible is ``pages / (1 + ceil((pages - 1) / N))`` round trips.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable

import peers
from fakeproc import FakeEndpoint, running_fake
from report import Outcome, Table, Target, ratio, spread
from stats import Sample, interleaved

LIMIT = 25
PAGES = 80
LATENCY = 0.05
CONCURRENCIES = (1, 4, 8, 16)
TARGET_CONCURRENCY = 8
MIN_SPEEDUP = 6.5


def ideal_speedup(concurrency: int, pages: int = PAGES) -> float:
    """Round trips saved at best: the first page alone, then N at a time."""
    return pages / (1 + math.ceil((pages - 1) / concurrency))


def _label(concurrency: int) -> str:
    return "sequential" if concurrency == 1 else f"concurrency={concurrency}"


async def _measure(endpoint: FakeEndpoint, repetitions: int) -> dict[int, Sample]:
    px = peers.sdk_client(endpoint.url, endpoint.api_key)
    try:
        runs: dict[str, Callable[[], Awaitable[object]]] = {
            _label(n): lambda n=n: peers.sdk_list(px, LIMIT, concurrency=n) for n in CONCURRENCIES
        }
        results = await interleaved(runs, repetitions)
    finally:
        await px.close()
    return {n: results[_label(n)][0] for n in CONCURRENCIES}


def _table(walls: dict[int, Sample]) -> Table:
    sequential = walls[1].median
    rows = []
    for n, wall in walls.items():
        speedup, ideal = sequential / wall.median, ideal_speedup(n)
        efficiency = f"{speedup / ideal:.0%}"
        rows.append((_label(n), *spread(wall), ratio(speedup), ratio(ideal), efficiency))
    return Table(
        title=f"(2) {PAGES} pages x {LATENCY * 1000:g} ms latency (limit {LIMIT}), SDK, s",
        headers=("walk", "median", "min", "max", "speed-up", "ideal", "of ideal"),
        rows=tuple(rows),
    )


def run(repetitions: int) -> Outcome:
    """Start a fake whose list answers take 50 ms, time each concurrency, report."""
    latency = {"list_batches": LATENCY}
    with running_fake(PAGES * LIMIT, latency=latency) as endpoint:
        walls = asyncio.run(_measure(endpoint, repetitions))
    speedup = walls[1].median / walls[TARGET_CONCURRENCY].median
    target = Target(
        "2",
        f"concurrency {TARGET_CONCURRENCY} >= {MIN_SPEEDUP:g}x faster than sequential",
        f"{ratio(speedup)} (ideal {ratio(ideal_speedup(TARGET_CONCURRENCY))})",
        speedup >= MIN_SPEEDUP,
    )
    return Outcome((_table(walls),), (target,))
