"""Scenario 2: 80 pages at 50 ms each, sequential against ``list(concurrency=N)``.

What it shows: whether the fan-out turns N requests in flight into an N-fold
speed-up when the API, not the client, is the bottleneck. The first page is
always fetched alone (its ``total_count`` says how many pages follow), so with N
in flight the best possible is ``pages / (1 + ceil((pages - 1) / N))`` round trips.

The ``cpu`` column is the client's own CPU time per run (decoding, sending, the
collector). It is spent on one event loop, so the part of it that cannot hide
behind the 50 ms waits shows up in the wall time: with N answers arriving
together, the last one waits for the N - 1 before it to be decoded.

The fake runs on a CPU of its own (``separate_cpus``): when it shared the client's
core, its 50 ms timers fired late in bunches and its work delayed the client's,
which cost the fan-out several percent of the ideal on a loaded 2-core machine
while costing the sequential walk nothing visible.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable

import peers
from fakeproc import FakeEndpoint, running_fake
from report import Outcome, Table, Target, ratio, seconds, spread
from stats import Sample, interleaved

LIMIT = 25
PAGES = 80
LATENCY = 0.05
CONCURRENCIES = (1, 4, 8, 16)
TARGET_CONCURRENCY = 16
MIN_OF_IDEAL = 0.92


def ideal_speedup(concurrency: int, pages: int = PAGES) -> float:
    """Round trips saved at best: the first page alone, then N at a time."""
    return pages / (1 + math.ceil((pages - 1) / concurrency))


def _label(concurrency: int) -> str:
    return "sequential" if concurrency == 1 else f"concurrency={concurrency}"


async def _measure(endpoint: FakeEndpoint, repetitions: int) -> dict[int, tuple[Sample, Sample]]:
    px = peers.sdk_client(endpoint.url, endpoint.api_key)
    try:
        runs: dict[str, Callable[[], Awaitable[object]]] = {
            _label(n): lambda n=n: peers.sdk_list(px, LIMIT, concurrency=n) for n in CONCURRENCIES
        }
        results = await interleaved(runs, repetitions)
    finally:
        await px.close()
    return {n: results[_label(n)] for n in CONCURRENCIES}  # (wall, cpu)


def _table(results: dict[int, tuple[Sample, Sample]]) -> Table:
    sequential = results[1][0].median
    rows = []
    for n, (wall, cpu) in results.items():
        speedup, ideal = sequential / wall.median, ideal_speedup(n)
        efficiency = f"{speedup / ideal:.0%}"
        cells = (seconds(cpu.median), ratio(speedup), ratio(ideal), efficiency)
        rows.append((_label(n), *spread(wall), *cells))
    return Table(
        title=f"(2) {PAGES} pages x {LATENCY * 1000:g} ms latency (limit {LIMIT}), SDK, s",
        headers=("walk", "median", "min", "max", "cpu", "speed-up", "ideal", "of ideal"),
        rows=tuple(rows),
    )


def run(repetitions: int) -> Outcome:
    """Start a fake whose list answers take 50 ms, time each concurrency, report."""
    latency = {"list_batches": LATENCY}
    with running_fake(PAGES * LIMIT, latency=latency, separate_cpus=True) as endpoint:
        results = asyncio.run(_measure(endpoint, repetitions))
    speedup = results[1][0].median / results[TARGET_CONCURRENCY][0].median
    ideal = ideal_speedup(TARGET_CONCURRENCY)
    target = Target(
        "2",
        f"concurrency {TARGET_CONCURRENCY} reaches >= {MIN_OF_IDEAL:.0%} of the ideal speed-up",
        f"{speedup / ideal:.0%} ({ratio(speedup)} of {ratio(ideal)})",
        speedup / ideal >= MIN_OF_IDEAL,
    )
    return Outcome((_table(results),), (target,))
