"""Scenario 6: from ``exports.create`` to the first row in hand, against moving jobs.

What it shows: how much the polling schedule adds to a job's own run time. The fake
(another process) moves a created export through queued, processing and completed,
one status per ``step_seconds`` (1 s), so the job itself takes 2 s. The SDK creates
it, ``wait()``s with the given first ``poll_interval`` (polls grow by half up to 15
s), then reads the first row of its CSV. The figure is wall time against that 2 s.
"""

from __future__ import annotations

import asyncio
import time

from fakeproc import running_fake
from report import Outcome, Table, ratio, seconds
from stats import Sample

from packagex_async import PackageX

JOB_SECONDS = 2.0  # the fake's default step_seconds (1 s) x two moves
POLL_INTERVALS = (1.0, 0.25)


async def _first_row(url: str, key: str, poll_interval: float) -> float:
    async with PackageX(key, base_url=url) as px:
        started = time.perf_counter()
        export = await px.exports.create(resource="shipment", options={"limit": 100})
        await px.exports.wait(export.id, poll_interval=poll_interval)
        rows = px.exports.rows(export.id, format="csv")
        await anext(rows)
        elapsed = time.perf_counter() - started
        await rows.aclose()  # type: ignore[attr-defined]
    return elapsed


def run(repetitions: int) -> Outcome:
    with running_fake(10) as endpoint:
        samples = {
            interval: Sample.of(
                [
                    asyncio.run(_first_row(endpoint.url, endpoint.api_key, interval))
                    for _ in range(repetitions)
                ]
            )
            for interval in POLL_INTERVALS
        }
    rows = tuple(
        (
            f"poll_interval={interval:g}",
            seconds(sample.median),
            seconds(sample.min),
            seconds(sample.max),
            ratio(sample.median / JOB_SECONDS),
        )
        for interval, sample in samples.items()
    )
    table = Table(
        title=f"(6) create -> first row, a {JOB_SECONDS:g} s export job, s",
        headers=("wait()", "median", "min", "max", "vs job"),
        rows=rows,
        notes=("the job itself takes 2 s; the rest is the polling schedule and one read",),
    )
    return Outcome((table,), ())
