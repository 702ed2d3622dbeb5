"""Decoding alone, no HTTP: microseconds per batch for each stack's decode step.

Explains scenario 1: wall time there mixes transport, decode, the collector and the
server; this isolates the decode of one 100-item list body (the fake's own JSON),
repeated, with the collector on. It uses the SDK's private codec functions (the
reader its list pages go through, and its two halves), so it may need updating
when they move.

    python benchmarks/decode_only.py
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from typing import Any

import orjson
from pydantic_models import BATCH_LIST, BatchListEnvelope

from packagex_async._codec._converter import structure_list
from packagex_async._codec._decode import page_reader
from packagex_async._codec._fastbody import page_accelerator
from packagex_async.models import Batch
from packagex_async.testing import FakePackageX

ITEMS = 100
ROUNDS = 300


async def list_body() -> bytes:
    """A list answer's body as the fake would send it."""
    async with FakePackageX(batches=ITEMS, seed=1) as fake:
        data = fake.batches
    pagination = {"page": 1, "limit": ITEMS, "has_more": True, "total_count": 20_000}
    return orjson.dumps({"data": data, "pagination": pagination})


def per_item_us(decode: Callable[[], Any]) -> float:
    """Median microseconds per item over 5 series of ``ROUNDS`` decodes."""
    decode()
    series = []
    for _ in range(5):
        gc.collect()
        started = time.perf_counter()
        for _ in range(ROUNDS):
            decode()
        series.append((time.perf_counter() - started) / ROUNDS / ITEMS * 1e6)
    return sorted(series)[2]


def main() -> None:
    """Print one line per decode step."""
    body = asyncio.run(list_body())
    sdk_items, fast_page, read = structure_list(Batch), page_accelerator(Batch), page_reader(Batch)
    steps: dict[str, Callable[[], Any]] = {
        "orjson.loads (raw stack)": lambda: orjson.loads(body),
        "SDK reader (what a listing runs)": lambda: read(body, 1, ITEMS),
        "SDK, msgspec accelerator alone": lambda: fast_page(body, 1, ITEMS),
        "SDK, the full way (orjson + generated)": lambda: sdk_items(orjson.loads(body)["data"]),
        "pydantic model_validate_json": lambda: BatchListEnvelope.model_validate_json(body),
        "orjson.loads + pydantic validate_python": lambda: BATCH_LIST.validate_python(
            orjson.loads(body)["data"]
        ),
    }
    for name, decode in steps.items():
        print(f"{name:42} {per_item_us(decode):6.2f} us/item")


if __name__ == "__main__":
    main()
