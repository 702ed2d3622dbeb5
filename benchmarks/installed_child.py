"""Scenario 8's client side, run by the interpreter of a fresh venv (see ``installed.py``).

Only what the README's first install command installs is importable here: the SDK
and its dependencies. It times the SDK against raw aiohttp + orjson on a listing
(limit 100) and on retrieves (100 in flight), interleaved, and prints the medians
as one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import raw_stack
from stats import interleaved

from packagex_async import PackageX

LIMIT = 100
REQUESTS = 5_000
IN_FLIGHT = 100


async def _bounded(retrieve: Callable[[str], Awaitable[object]], ids: list[str]) -> None:
    slots = asyncio.Semaphore(IN_FLIGHT)

    async def one(batch_id: str) -> None:
        async with slots:
            await retrieve(batch_id)

    await asyncio.gather(*(one(ids[n % len(ids)]) for n in range(REQUESTS)))


async def _listing(url: str, key: str, repetitions: int) -> dict[str, Any]:
    px, session = PackageX(key, base_url=url), raw_stack.aiohttp_session(key)
    try:
        runs: dict[str, Callable[[], Awaitable[object]]] = {
            "raw": lambda: raw_stack.raw_list(session, url, LIMIT),
            "sdk": lambda: _all(px),
        }
        return _medians(await interleaved(runs, repetitions))
    finally:
        await asyncio.gather(px.close(), session.close())


async def _all(px: PackageX) -> list[Any]:
    return [batch async for batch in px.batches.list(limit=LIMIT)]


async def _retrieves(url: str, key: str, ids: list[str], repetitions: int) -> dict[str, Any]:
    px, session = PackageX(key, base_url=url), raw_stack.aiohttp_session(key)
    try:
        runs: dict[str, Callable[[], Awaitable[object]]] = {
            "raw": lambda: _bounded(lambda i: raw_stack.raw_retrieve(session, url, i), ids),
            "sdk": lambda: _bounded(px.batches.retrieve, ids),
        }
        return _medians(await interleaved(runs, repetitions))
    finally:
        await asyncio.gather(px.close(), session.close())


def _medians(results: dict[str, Any]) -> dict[str, Any]:
    return {name: {"wall": w.median, "cpu": c.median} for name, (w, c) in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--what", choices=["listing", "retrieves"], required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--ids", default="", help="comma-separated batch ids (retrieves)")
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()
    if args.what == "listing":
        result = asyncio.run(_listing(args.url, args.key, args.repetitions))
    else:
        ids = args.ids.split(",")
        result = asyncio.run(_retrieves(args.url, args.key, ids, args.repetitions))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
