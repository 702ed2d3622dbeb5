"""One process of a fleet: retrieves batches with shared pacing, then reports in JSON.

    python tests/redis/_fleet_child.py '{"url": ..., "key": ..., "redis": ..., ...}'

Prints ``ready`` once imported and set up, waits for a line on stdin (so every process
of the fleet starts together), retrieves ``ids`` round robin with ``tasks`` concurrent
tasks for ``seconds``, then prints one JSON line: the calls that succeeded and failed,
and the SDK's WARNING and INFO log messages.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from typing import Any

from packagex_async import PackageX, PackageXError, RedisPacing


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def run(config: dict[str, Any]) -> dict[str, Any]:
    pacing = RedisPacing(
        config["redis"], namespace=config["namespace"], probe_interval=config["probe_interval"]
    )
    ids: list[str] = config["ids"]
    done = {"ok": 0, "failed": 0, "errors": []}
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    deadline = time.monotonic() + config["seconds"]

    async def worker(px: PackageX, start: int) -> None:
        turn = start
        while time.monotonic() < deadline:
            try:
                await px.batches.retrieve(ids[turn % len(ids)])
                done["ok"] += 1
            except PackageXError as error:
                done["failed"] += 1
                done["errors"].append(str(error))
            turn += config["tasks"]

    async with PackageX(
        config["key"], base_url=config["url"], rate_limit=config["rate_limit"], pacing=pacing
    ) as px:
        await asyncio.gather(*(worker(px, start) for start in range(config["tasks"])))
    return done


def main() -> None:
    handler = Collect()
    logger = logging.getLogger("packagex_async")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    report = asyncio.run(run(json.loads(sys.argv[1])))
    report["warnings"] = [r.getMessage() for r in handler.records if r.levelno >= logging.WARNING]
    report["infos"] = [r.getMessage() for r in handler.records if r.levelno == logging.INFO]
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
