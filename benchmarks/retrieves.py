"""Scenario 4: the per-request cost of ``retrieve``, SDK against raw aiohttp + orjson.

What it shows: what each ``px.batches.retrieve(id)`` costs the client on top of the
bare stack (an aiohttp GET and ``orjson.loads`` to a dict), when many share one
client: 5,000 retrieves, 100 in flight (a semaphore-bounded ``gather``), each result
dropped as it comes, the shape of a web handler that calls the SDK. The SDK's part
is URL and query building, id checks, pacing, the retry loop, logging calls, the
bounded body read and decoding into a ``Batch``.

The client is the bottleneck, so its CPU time is the figure: the upstream is
``web_upstream.py`` in its own process (canned answers of a seeded fake, ~20 us
per request from a bare ``asyncio.Protocol``), so the client process runs at ~100%
of a core; the ``cpu/wall`` column shows it. With ``FakePackageX`` as the upstream
the fake, not the client, set the pace, and the ratio said little. The upstream and
the client run on separate CPUs (``fakeproc.cpus_apart``), so neither waits for the
other's turn on a shared core.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import peers
from children import running_child
from fakeproc import cpus_apart
from report import Outcome, Table, Target, ratio, seconds, spread
from stats import Sample, interleaved

from packagex_async import PackageX

REQUESTS = 5_000
IN_FLIGHT = 100
BATCHES = 1_000
MAX_CPU_RATIO = 1.15
KEY = "px_bench_key_0123456789"  # the canned upstream answers whatever key it gets

RAW = "raw aiohttp+orjson"
SDK = "packagex_async"
Results = dict[str, tuple[Sample, Sample]]


async def _bounded(retrieve: Callable[[str], Awaitable[object]], ids: list[str]) -> None:
    """Every retrieve, ``IN_FLIGHT`` at a time; each result dropped as it comes."""
    slots = asyncio.Semaphore(IN_FLIGHT)

    async def one(batch_id: str) -> None:
        async with slots:
            await retrieve(batch_id)

    await asyncio.gather(*(one(ids[n % len(ids)]) for n in range(REQUESTS)))


async def _measure(url: str, ids: list[str], repetitions: int) -> Results:
    px = PackageX(KEY, base_url=url)
    session = peers.aiohttp_session(KEY)
    try:
        runs: dict[str, Callable[[], Awaitable[object]]] = {
            RAW: lambda: _bounded(lambda i: peers.raw_retrieve(session, url, i), ids),
            SDK: lambda: _bounded(px.batches.retrieve, ids),
        }
        return await interleaved(runs, repetitions)
    finally:
        await asyncio.gather(px.close(), session.close())


def _table(results: Results) -> Table:
    rows = []
    raw_cpu = results[RAW][1].median
    for name, (wall, cpu) in results.items():
        per_request = f"{cpu.median / REQUESTS * 1e6:.0f}"
        share = f"{cpu.median / wall.median:.0%}"
        rows.append((name, *spread(wall), seconds(cpu.median), share, per_request))
        rows[-1] += (ratio(cpu.median / raw_cpu),)
    return Table(
        title=f"(4) {REQUESTS:,} retrieves, {IN_FLIGHT} in flight, one client, s",
        headers=("stack", "median", "min", "max", "cpu", "cpu/wall", "cpu us/req", "cpu/raw"),
        rows=tuple(rows),
        notes=(f"{len(results[SDK][0].values)} runs per stack; upstream: canned answers",),
    )


def run(repetitions: int) -> Outcome:
    """Time both stacks against the canned upstream; report client CPU and its ratio."""
    upstream_process = running_child("web_upstream.py", "--batches", str(BATCHES))
    with upstream_process as upstream, cpus_apart(upstream.pid):
        ids = list(upstream.announced["ids"])
        results = asyncio.run(_measure(upstream.url, ids, repetitions))
    raw_cpu, sdk_cpu = results[RAW][1].median, results[SDK][1].median
    target = Target(
        "4",
        f"retrieve, {IN_FLIGHT} in flight: SDK client CPU <= {MAX_CPU_RATIO:g}x raw",
        f"{ratio(sdk_cpu / raw_cpu)} ({sdk_cpu / REQUESTS * 1e6:.0f} vs "
        f"{raw_cpu / REQUESTS * 1e6:.0f} us per request)",
        sdk_cpu / raw_cpu <= MAX_CPU_RATIO,
    )
    return Outcome((_table(results),), (target,))
