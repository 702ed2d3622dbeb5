"""Scenario 4: 1,000 concurrent retrieves on one client, SDK against raw aiohttp + orjson.

What it shows: the SDK's per-request cost when many requests share one client
(``asyncio.gather`` of 1,000 ``px.batches.retrieve(id)``), where its pacing, retry
wrapper, URL building and model decoding run 1,000 times at once. Both stacks use
aiohttp's default pool (100 connections), one session reused across runs after a
warm-up that opens the connections, so the figure is steady-state throughput.
A run lasts only ~0.1 s, so this scenario takes ``RUN_FACTOR`` times the usual
number of runs: one scheduler hiccup would otherwise move the median.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aiohttp
import peers
from fakeproc import FakeEndpoint, running_fake
from report import Outcome, Table, Target, ratio, seconds, spread
from stats import Sample, interleaved

from packagex_async import PackageX

REQUESTS = 1_000
MIN_THROUGHPUT_RATIO = 0.8
RUN_FACTOR = 4

RAW = "raw aiohttp+orjson"
SDK = "packagex_async"


async def _sdk_gather(px: PackageX, ids: list[str]) -> list[object]:
    return await asyncio.gather(*(px.batches.retrieve(batch_id) for batch_id in ids))


async def _raw_gather(session: aiohttp.ClientSession, url: str, ids: list[str]) -> list[object]:
    return await asyncio.gather(*(peers.raw_retrieve(session, url, batch_id) for batch_id in ids))


async def _measure(endpoint: FakeEndpoint, repetitions: int) -> dict[str, tuple[Sample, Sample]]:
    px = peers.sdk_client(endpoint.url, endpoint.api_key)
    session = peers.aiohttp_session(endpoint.api_key)
    try:
        ids = [item["id"] for item in await peers.raw_list(session, endpoint.url, 100)]
        runs: dict[str, Callable[[], Awaitable[object]]] = {
            RAW: lambda: _raw_gather(session, endpoint.url, ids),
            SDK: lambda: _sdk_gather(px, ids),
        }
        return await interleaved(runs, repetitions * RUN_FACTOR)
    finally:
        await asyncio.gather(px.close(), session.close())


def run(repetitions: int) -> Outcome:
    """Time both stacks on a 1,000-batch fake; report throughput and its ratio."""
    with running_fake(REQUESTS) as endpoint:
        results = asyncio.run(_measure(endpoint, repetitions))
    rows = []
    for name, (wall, cpu) in results.items():
        throughput = REQUESTS / wall.median
        rows.append((name, *spread(wall), seconds(cpu.median), f"{throughput:,.0f}"))
    ratio_to_raw = results[RAW][0].median / results[SDK][0].median
    table = Table(
        title=f"(4) {REQUESTS:,} concurrent retrieves, one client, s",
        headers=("stack", "median", "min", "max", "cpu", "req/s"),
        rows=tuple(rows),
        notes=(
            f"SDK throughput / raw: {ratio(ratio_to_raw)}",
            f"{len(results[SDK][0].values)} runs per stack (short runs: {RUN_FACTOR}x the usual)",
        ),
    )
    target = Target(
        "4",
        f"SDK throughput >= {MIN_THROUGHPUT_RATIO:g}x raw aiohttp+orjson",
        ratio(ratio_to_raw),
        ratio_to_raw >= MIN_THROUGHPUT_RATIO,
    )
    return Outcome((table,), (target,))
