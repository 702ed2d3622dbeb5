"""A worker that fans out retrieves with ``asyncio.TaskGroup`` and a concurrency limit.

Reads batch ids, retrieves each with its result-file URL, at most ``LIMIT`` at a
time; one client serves every task. A ``TaskGroup`` (Python 3.11+) means one
unexpected failure cancels the rest cleanly; an expected "not found" is caught per
task so it does not. (``px.batches.retrieve_many`` does the same in one call.)

    PX_API_KEY=px_test_key_0123456789 PX_BASE_URL=http://127.0.0.1:8080 \\
        python examples/worker.py batch_1 batch_2 ...
"""

from __future__ import annotations

import asyncio
import sys

from packagex_async import Batch, NotFoundError, PackageX

LIMIT = 8


async def fetch_all(
    px: PackageX, batch_ids: list[str], limit: int = LIMIT
) -> dict[str, Batch | None]:
    """Every id's batch (``None`` when it does not exist), ``limit`` requests at a time."""
    gate = asyncio.Semaphore(limit)
    found: dict[str, Batch | None] = {}

    async def fetch(batch_id: str) -> None:
        async with gate:
            try:
                found[batch_id] = await px.batches.retrieve(batch_id, include_result_json=True)
            except NotFoundError:
                found[batch_id] = None

    async with asyncio.TaskGroup() as group:
        for batch_id in batch_ids:
            group.create_task(fetch(batch_id))
    return {batch_id: found[batch_id] for batch_id in batch_ids}


async def main(batch_ids: list[str]) -> None:
    async with PackageX() as px:  # PX_API_KEY and PX_BASE_URL from the environment
        for batch_id, batch in (await fetch_all(px, batch_ids)).items():
            print(batch_id, "missing" if batch is None else batch.status)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
