"""Scenario 1: list 20,000 batches, zero latency, SDK against raw aiohttp and httpx+pydantic.

What it shows: how much the SDK's models, checks and retry plumbing cost on top of
the bare stack it is built on (raw aiohttp + orjson, dicts only: the floor), and
how it compares with the generated-SDK stack (httpx + pydantic v2). Every stack
keeps its 20,000 items, as ``[b async for b in px.batches.list(limit=L)]`` does.

Wall time is the figure; ``cpu`` is this (client) process's CPU time during the
run. The fake runs in its own process, so wall time also includes the server's
work per page, which is the same for every stack: the client CPU column shows
the difference between stacks without it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import peers
from fakeproc import FakeEndpoint, running_fake
from report import Outcome, Table, Target, ratio, seconds, spread
from stats import Sample, interleaved

BATCHES = 20_000
LIMITS = (25, 100)
TARGET_LIMIT = 100
MAX_SDK_CPU_OVER_RAW = 1.25
MIN_SPEEDUP_OVER_PYDANTIC = 3.0

RAW = "raw aiohttp+orjson"
SDK = "packagex_async"
PYDANTIC_JSON = "httpx+pydantic (json)"
PYDANTIC_PYTHON = "httpx+pydantic (python)"
Results = dict[str, tuple[Sample, Sample]]


async def _measure(endpoint: FakeEndpoint, repetitions: int) -> dict[int, Results]:
    """Time every stack at every limit, with one client per stack reused across runs."""
    px = peers.sdk_client(endpoint.url, endpoint.api_key)
    session = peers.aiohttp_session(endpoint.api_key)
    client = peers.httpx_client(endpoint.url, endpoint.api_key)
    try:
        by_limit: dict[int, Results] = {}
        for limit in LIMITS:
            runs: dict[str, Callable[[], Awaitable[object]]] = {
                RAW: lambda limit=limit: peers.raw_list(session, endpoint.url, limit),
                SDK: lambda limit=limit: peers.sdk_list(px, limit),
                PYDANTIC_JSON: lambda limit=limit: peers.httpx_list_json(client, limit),
                PYDANTIC_PYTHON: lambda limit=limit: peers.httpx_list_python(client, limit),
            }
            by_limit[limit] = await interleaved(runs, repetitions)
        return by_limit
    finally:
        await asyncio.gather(px.close(), session.close(), client.aclose())


def _table(limit: int, results: Results) -> Table:
    raw, raw_cpu = results[RAW][0].median, results[RAW][1].median
    rows = []
    for name, (wall, cpu) in results.items():
        cells = (seconds(cpu.median), ratio(wall.median / raw), ratio(cpu.median / raw_cpu))
        rows.append((name, *spread(wall), *cells))
    sdk = results[SDK][0].median
    speedups = ", ".join(
        f"{ratio(results[name][0].median / sdk)} vs {name.split(' ', 1)[1]}"
        for name in (PYDANTIC_JSON, PYDANTIC_PYTHON)
    )
    return Table(
        title=f"(1) list {BATCHES:,} batches, limit {limit} ({-(-BATCHES // limit)} pages), s",
        headers=("stack", "median", "min", "max", "cpu", "/raw", "cpu/raw"),
        rows=tuple(rows),
        notes=(f"SDK speed-up over httpx+pydantic: {speedups}",),
    )


def _targets(results: Results) -> tuple[Target, ...]:
    sdk = results[SDK][0].median
    raw_cpu, sdk_cpu = results[RAW][1].median, results[SDK][1].median
    # The faster pydantic flavour is the fair peer: a generator could emit either.
    peer = min(results[PYDANTIC_JSON][0].median, results[PYDANTIC_PYTHON][0].median)
    return (
        Target(
            "1",
            f"limit {TARGET_LIMIT}: SDK client CPU <= {MAX_SDK_CPU_OVER_RAW}x raw aiohttp+orjson",
            f"{ratio(sdk_cpu / raw_cpu)} ({seconds(sdk_cpu)} s vs {seconds(raw_cpu)} s)",
            sdk_cpu / raw_cpu <= MAX_SDK_CPU_OVER_RAW,
        ),
        Target(
            "1",
            f"limit {TARGET_LIMIT}: SDK >= {MIN_SPEEDUP_OVER_PYDANTIC:g}x faster than "
            "httpx+pydantic (faster flavour)",
            f"{ratio(peer / sdk)} ({seconds(sdk)} s vs {seconds(peer)} s)",
            peer / sdk >= MIN_SPEEDUP_OVER_PYDANTIC,
        ),
    )


def run(repetitions: int) -> Outcome:
    """Start one 20,000-batch fake, time all stacks at both limits, report."""
    with running_fake(BATCHES) as endpoint:
        by_limit = asyncio.run(_measure(endpoint, repetitions))
    tables = tuple(_table(limit, results) for limit, results in by_limit.items())
    return Outcome(tables, _targets(by_limit[TARGET_LIMIT]))
