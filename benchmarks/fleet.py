"""Scenario 8: one API key, many processes: ``RedisPacing`` holds the fleet's rate.

What it shows: 4 processes (``fleet_child.py``), each with 50 retrieves in flight,
share ``rate_limit=200`` through one Redis namespace. The fake API runs in this
process and records when each request arrived, so the rate is counted where PackageX
would count it: per 1-second window (one starting at every request), at the server.
Figures: the fleet's rate over the steady part of the run (the requests from 0.5 s
after the first to 0.5 s before the last: their count less one over the time from the
first to the last) as a fraction of the limit, and the busiest window over the whole
run. Then the cost of sharing: one process, 50 in flight, ``rate_limit`` far
above what it reaches, in-process pacing against shared pacing (each request asks
Redis for its slot: one round trip, two when it has to wait).

Redis is a ``redis-server`` started from the binary on a free loopback port, with a
temp dir and persistence off, stopped after the scenario.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from report import Outcome, Table, Target

from packagex_async.testing import FakePackageX

CHILD = Path(__file__).with_name("fleet_child.py")
PROCESSES = 4
IN_FLIGHT = 50
RATE = 200
SECONDS = 5.0
EDGE = 0.5  # seconds left out at each end of a run for the steady rate
TARGET = (0.90, 1.00)
JITTER = 0.005
"""What the arrival jitter of the first and last steady request can add to the steady rate."""
MAX_WINDOW = 1.05
OVERHEAD_REQUESTS = 3_000
OVERHEAD_RATE = 100_000  # never reached by one process: the pacer runs, nobody waits


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A ``redis-server`` on a free loopback port for the ``with`` block; its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("scenario 8 needs redis-server (apt-get install redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as directory:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
             "no", "--dir", directory, "--logfile", os.path.join(directory, "log")],
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("redis-server did not start") from None
                    time.sleep(0.02)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(10)


async def _children(configs: list[dict[str, Any]]) -> tuple[float, list[dict[str, Any]]]:
    """Start one child per config, let them go together; when (epoch s), their reports."""
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(CHILD),
            json.dumps(config),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for config in configs
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            if await asyncio.wait_for(process.stdout.readline(), 60) != b"ready\n":
                raise RuntimeError("a fleet process did not start")
        started = time.time()  # the fake's clock, without an advance
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            await process.stdin.drain()
        outs = [await asyncio.wait_for(p.communicate(), 120) for p in processes]
        return started, [json.loads(out.splitlines()[-1]) for out, _ in outs]
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()


def _windows(times: list[float]) -> int:
    """The most requests in any 1-second window that starts at a request."""
    return max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times))


Run = tuple[float, int, int, int]


async def _fleet_run(fake: FakePackageX, redis: str, ids: list[str]) -> Run:
    """One run of the fleet: steady rate / limit, busiest window, failed calls, and
    the processes that lost Redis (and paced alone) during the run."""
    fake.requests.clear()
    base = {"url": fake.url, "key": fake.api_key, "redis": redis, "rate_limit": RATE}
    configs = [
        {**base, "tasks": IN_FLIGHT, "seconds": SECONDS, "ids": ids[n::PROCESSES]}
        for n in range(PROCESSES)
    ]
    started, reports = await _children(configs)
    times = sorted(r.time for r in fake.requests if r.route == "retrieve_batch")
    times = [t for t in times if t >= started]  # not each child's warm-up request
    steady = [t for t in times if times[0] + EDGE <= t < times[-1] - EDGE]
    rate = (len(steady) - 1) / (steady[-1] - steady[0])  # requests per second between them
    lost = [r["warnings"][0] for r in reports if r["warnings"]]
    for warning in lost[:1]:
        print(f"fleet: a process paced alone: {warning}", file=sys.stderr)
    return rate / RATE, _windows(times), sum(r["failed"] for r in reports), len(lost)


async def _cost(fake: FakePackageX, redis: str | None, ids: list[str]) -> tuple[float, float]:
    """Client CPU and wall microseconds per request of one process, 50 in flight."""
    config = {"url": fake.url, "key": fake.api_key, "redis": redis, "ids": ids}
    config |= {"rate_limit": OVERHEAD_RATE, "tasks": IN_FLIGHT, "requests": OVERHEAD_REQUESTS}
    _, (report,) = await _children([config])
    return report["cpu"] / report["ok"] * 1e6, report["wall"] / report["ok"] * 1e6


async def _measure(redis: str, repetitions: int) -> Outcome:
    async with FakePackageX(batches=200, exports=0) as fake:
        ids = [batch["id"] for batch in fake.batches]
        runs = [await _fleet_run(fake, redis, ids) for _ in range(repetitions)]
        costs: dict[str, list[tuple[float, float]]] = {"in-process": [], "shared (Redis)": []}
        for _ in range(repetitions):  # round robin: a slow spell hits both
            costs["in-process"].append(await _cost(fake, None, ids))
            costs["shared (Redis)"].append(await _cost(fake, redis, ids))
    return _outcome(runs, costs)


def _outcome(runs: list[Run], costs: dict[str, list[tuple[float, float]]]) -> Outcome:
    fractions = [run[0] for run in runs]
    busiest = max(run[1] for run in runs)
    failed = sum(run[2] for run in runs)
    fleet = Table(
        title=f"(8) {PROCESSES} processes x {IN_FLIGHT} in flight, rate_limit={RATE}, shared",
        headers=("run", "steady rate", "of limit", "busiest 1 s", "failed", "lost Redis"),
        rows=tuple(
            (str(n), f"{f * RATE:.1f}/s", f"{f:.1%}", str(w), str(c), str(lost))
            for n, (f, w, c, lost) in enumerate(runs, start=1)
        ),
        notes=(f"{SECONDS:g} s per run, counted at the fake; steady: {EDGE:g} s off each end",),
    )
    medians = {name: [statistics.median(v) for v in zip(*rows, strict=True)]
               for name, rows in costs.items()}  # fmt: skip
    extra_cpu = medians["shared (Redis)"][0] - medians["in-process"][0]
    extra_wall = medians["shared (Redis)"][1] - medians["in-process"][1]
    cost = Table(
        title=f"(8) pacing cost, 1 process, {IN_FLIGHT} in flight, {OVERHEAD_REQUESTS:,} retrieves",
        headers=("pacing", "cpu us/req", "wall us/req"),
        rows=tuple((name, f"{cpu:.0f}", f"{wall:.0f}") for name, (cpu, wall) in medians.items()),
        notes=(f"median of {len(costs['in-process'])} runs each; rate_limit={OVERHEAD_RATE:,}",),
    )
    low, high = TARGET
    worst = min(fractions)
    targets = (
        Target(
            "8",
            f"fleet rate {low:.0%}-{high:.0%} (+{JITTER:.1%} jitter) of rate_limit={RATE}, "
            "no call failed",
            f"{min(fractions):.1%}-{max(fractions):.1%}, {failed} failed",
            low <= worst and max(fractions) <= high + JITTER and failed == 0,
        ),
        Target(
            "8",
            f"busiest 1-second window <= {MAX_WINDOW:.0%} of the limit",
            f"{busiest} requests ({busiest / RATE:.1%})",
            busiest <= RATE * MAX_WINDOW,
        ),
    )
    note = f"shared pacing adds {extra_cpu:.0f} us CPU and {extra_wall:.0f} us wall per request"
    cost = Table(cost.title, cost.headers, cost.rows, (*cost.notes, note))
    return Outcome((fleet, cost), targets)


def run(repetitions: int) -> Outcome:
    """The fleet's rate and the cost of sharing it, against a fresh redis-server."""
    with redis_server() as url:
        return asyncio.run(_measure(url, repetitions))
