"""Several OS processes, one Redis namespace, one fake API counting what reaches it.

Each process (``_fleet_child.py``) retrieves its own batches with several concurrent
tasks; the fake records when each request arrived, so the fleet's rate is measured
where PackageX would count it: per 1-second window, at the server. The bounds are
generous for a loaded 2-core machine (a late wake-up of one process can bunch a few
requests into one window) and still far below what the processes would send without
sharing: ``processes x rate_limit``.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import os
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from packagex_async.testing import FakePackageX

from ._server import RedisServer

CHILD = Path(__file__).with_name("_fleet_child.py")
ROUTE = "retrieve_batch"
JITTER = 1.25
"""The most a server may count in a 1-second window, as a multiple of the fleet rate."""


@pytest.fixture
async def fake() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=60, exports=0) as server:
        yield server


class Fleet:
    """``count`` child processes sharing one namespace, each with its own batch ids."""

    def __init__(self, fake: FakePackageX, redis: RedisServer, count: int, **config: Any) -> None:
        ids = [batch["id"] for batch in fake.batches]
        self.ids = [ids[n::count] for n in range(count)]
        base = {"url": fake.url, "key": fake.api_key, "redis": redis.url, "namespace": "fleet"}
        self.configs = [{**base, "probe_interval": 5.0, **config, "ids": i} for i in self.ids]
        self.processes: list[asyncio.subprocess.Process] = []

    async def start(self) -> None:
        """Start every process and let them go together once all are ready."""
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        for config in self.configs:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                str(CHILD),
                json.dumps(config),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=env,
            )
            self.processes.append(process)
        for process in self.processes:
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), 60)
            assert line == b"ready\n", line + await process.stderr.read()  # type: ignore[union-attr]
        for process in self.processes:
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            await process.stdin.drain()

    async def reports(self) -> list[dict[str, Any]]:
        """Each process's JSON report, once it has finished."""
        reports = []
        for process in self.processes:
            out, err = await asyncio.wait_for(process.communicate(), 60)
            assert process.returncode == 0, err.decode(errors="replace")
            reports.append(json.loads(out.splitlines()[-1]))
        return reports

    def kill(self) -> None:
        for process in self.processes:
            if process.returncode is None:
                process.kill()

    def sender(self, path: str) -> int:
        """Which process sent the request for ``path``."""
        batch_id = path.rsplit("/", 1)[-1]
        return next(n for n, ids in enumerate(self.ids) if batch_id in ids)


async def run_fleet(fleet: Fleet, during: Any = None) -> list[dict[str, Any]]:
    try:
        await fleet.start()
        if during is not None:
            await during()
        return await fleet.reports()
    finally:
        fleet.kill()


def busiest_window(times: Sequence[float], start: float = 0.0, end: float = 1e300) -> int:
    """The most requests in any 1-second window that starts at a request in [start, end)."""
    times = sorted(times)
    return max(
        (bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times) if start <= t < end),
        default=0,
    )


def arrivals(fake: FakePackageX) -> list[float]:
    return sorted(r.time for r in fake.requests if r.route == ROUTE)


def no_failures(reports: list[dict[str, Any]]) -> None:
    for report in reports:
        assert report["failed"] == 0, report["errors"][:3]


async def test_processes_of_one_namespace_hold_the_fleet_rate(
    redis_server: RedisServer, fake: FakePackageX
) -> None:
    rate = 20
    fleet = Fleet(fake, redis_server, 3, rate_limit=rate, tasks=4, seconds=4.0)
    reports = await run_fleet(fleet)
    no_failures(reports)
    assert all(report["warnings"] == [] for report in reports)
    times = arrivals(fake)
    senders = {fleet.sender(r.path) for r in fake.requests}
    assert senders == {0, 1, 2}
    assert busiest_window(times) <= rate * JITTER  # alone, each would send `rate`: 60/s
    assert len(times) >= 0.75 * rate * (times[-1] - times[0])  # and the fleet used it


async def test_a_429_seen_by_one_process_pauses_every_process(
    redis_server: RedisServer, fake: FakePackageX
) -> None:
    fake.faults.script(ROUTE, ["ok"] * 40 + ["429:1"])
    fleet = Fleet(fake, redis_server, 3, rate_limit=30, tasks=3, seconds=3.0)
    reports = await run_fleet(fleet)
    no_failures(reports)
    requests = [r for r in fake.requests if r.route == ROUTE]
    throttled = requests[40]
    paused = throttled.time
    before = {fleet.sender(r.path) for r in requests if paused - 0.5 <= r.time < paused}
    during = [r for r in requests if paused + 0.25 <= r.time < paused + 0.9]
    after = {fleet.sender(r.path) for r in requests if r.time >= paused + 0.9}
    assert len(before) >= 2  # the others were sending too
    assert during == []  # alone, the other processes would send ~12 requests here
    assert after == {0, 1, 2}  # and every process goes on after the pause


async def test_redis_stopped_and_restarted_no_request_fails_and_sharing_resumes(
    redis_server: RedisServer, fake: FakePackageX
) -> None:
    rate = 20
    fleet = Fleet(fake, redis_server, 2, rate_limit=rate, tasks=3, seconds=5.0, probe_interval=0.3)
    marks: dict[str, float] = {}

    async def outage() -> None:
        await asyncio.sleep(1.5)
        marks["stopped"] = fake.clock.now()
        redis_server.stop()
        await asyncio.sleep(1.2)
        redis_server.start()
        marks["restarted"] = fake.clock.now()

    reports = await run_fleet(fleet, outage)
    no_failures(reports)
    for report in reports:
        assert len(report["warnings"]) == 1, report["warnings"]
        assert "failed" in report["warnings"][0]
        assert any("answers again" in info for info in report["infos"])
    times = arrivals(fake)
    stopped, restarted = marks["stopped"], marks["restarted"]
    senders_during = {
        fleet.sender(r.path) for r in fake.requests if stopped + 0.3 <= r.time < restarted
    }
    assert senders_during == {0, 1}  # each went on at its own rate while Redis was down
    # Shared again from at most one probe interval after the restart.
    assert busiest_window(times, start=restarted + 0.5) <= rate * JITTER
