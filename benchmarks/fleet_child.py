"""One process of scenario 8: retrieves with in-process or shared (Redis) pacing.

    python benchmarks/fleet_child.py '{"url": ..., "key": ..., "redis": URL or null, ...}'

Prints ``ready``, waits for a line on stdin (every process of the fleet starts
together), then either retrieves for ``seconds`` with ``tasks`` concurrent tasks
(the fleet's rate) or makes ``requests`` retrieves, ``tasks`` in flight (the cost
per request), and prints one JSON line: calls that succeeded and failed, the
process's CPU seconds, the wall seconds of the run and the SDK's warnings.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from typing import Any

from packagex_async import PackageX, PackageXError, RedisPacing


async def run(config: dict[str, Any]) -> dict[str, Any]:
    pacing = None if config["redis"] is None else RedisPacing(config["redis"], namespace="bench")
    ids: list[str] = config["ids"]
    done = {"ok": 0, "failed": 0}
    left = [config.get("requests", 10**12)]

    async def worker(px: PackageX, turn: int, deadline: float) -> None:
        while time.monotonic() < deadline and left[0] > 0:
            left[0] -= 1
            try:
                await px.batches.retrieve(ids[turn % len(ids)])
                done["ok"] += 1
            except PackageXError:
                done["failed"] += 1
            turn += config["tasks"]

    async with PackageX(
        config["key"], base_url=config["url"], rate_limit=config["rate_limit"], pacing=pacing
    ) as px:
        await px.batches.retrieve(ids[0])  # connections (HTTP, Redis) open before timing
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        deadline = time.monotonic() + config.get("seconds", 1e9)
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(worker(px, turn, deadline) for turn in range(config["tasks"])))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {**done, "cpu": cpu, "wall": wall}


class Warnings(logging.Handler):
    """The SDK's warnings (shared pacing that lost its Redis), for the report."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


if __name__ == "__main__":
    warnings = Warnings()
    logging.getLogger("packagex_async").addHandler(warnings)
    report = asyncio.run(run(json.loads(sys.argv[1])))
    print(json.dumps({**report, "warnings": warnings.messages}), flush=True)
