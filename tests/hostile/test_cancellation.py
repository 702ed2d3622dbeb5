"""Leaving a concurrent listing early is quiet: no orphaned task, no unretrieved error.

The listing runs ``concurrency=8``: after the first page, up to 8 page requests are in
flight. The server answers them slowly, or fails some at once (so finished tasks hold
exceptions nobody asked for). The caller then cancels its task, or ``break``s without
``aclose()`` and closes the client. Afterwards: the loop reported nothing (its
exception handler, where "Task exception was never retrieved" and "Task was destroyed
but it is pending" go), asyncio logged nothing at WARNING or above, and no task other
than the test's own (and the server's connections) is still pending.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any

import pytest

from packagex_async import PackageX

from ._secrets import KEY
from ._server import Handler, HostileServer, Received, json_response, page_body, stall

TOTAL = 200
LIMIT = 2


def lister(mode: str) -> Handler:
    """Page 1 at once; then page 2 never comes, and the others are slow or fail at once."""

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        page = int(request.query["page"])
        ids = [f"batch_{LIMIT * (page - 1) + n}" for n in range(1, LIMIT + 1)]
        body = page_body(
            ids, page=page, limit=LIMIT, has_more=page * LIMIT < TOTAL, total_count=TOTAL
        )
        if page == 1:
            writer.write(json_response(body))
        elif page == 2 or mode == "slow":
            await stall()
        elif mode == "failing":
            writer.write(json_response({"message": "boom", "data": None}, 500))
        else:  # "broken": the connection drops
            writer.close()

    return handler


async def until(predicate: Any, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():  # polling the server's record
        assert asyncio.get_running_loop().time() < deadline, "the server saw too few requests"
        await asyncio.sleep(0.005)


async def settle() -> None:
    """Let finalizers run: collect garbage, give the loop a few turns, collect again."""
    for _ in range(5):
        gc.collect()
        await asyncio.sleep(0.01)


def check_quiet(
    reports: list[dict[str, Any]], records: list[logging.LogRecord], server: HostileServer
) -> None:
    assert reports == [], f"the loop reported: {[r.get('message') for r in reports]}"
    loud = [r.getMessage() for r in records if r.name == "asyncio" and r.levelno >= logging.WARNING]
    assert loud == []
    texts = [r.getMessage() for r in records]
    assert not [t for t in texts if "never retrieved" in t or "was destroyed" in t]
    current = asyncio.current_task()
    leftover = [
        t
        for t in asyncio.all_tasks()
        if not t.done() and t is not current and t not in server.tasks
    ]
    assert leftover == [], f"tasks left behind: {leftover}"


@pytest.mark.parametrize("mode", ["slow", "failing", "broken"])
async def test_cancelling_a_concurrent_listing_in_flight_is_quiet(
    mode: str, loop_reports: list[dict[str, Any]], records: list[logging.LogRecord]
) -> None:
    seen: list[str] = []
    async with HostileServer(lister(mode)) as server:
        px = PackageX(KEY, base_url=server.url, timeout=5.0, max_retries=0)

        async def consume() -> None:
            async for batch in px.batches.list(limit=LIMIT, concurrency=8):
                seen.append(batch.id)

        task = asyncio.create_task(consume())
        await until(lambda: len(server.requests) >= 9)  # page 1, then 8 in flight
        await asyncio.sleep(0.05)  # the failing ones have failed by now
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await px.close()
        await settle()
        check_quiet(loop_reports, records, server)

    assert seen == ["batch_1", "batch_2"]
    assert len(server.requests) <= 1 + 8


@pytest.mark.parametrize("mode", ["slow", "failing", "broken"])
async def test_breaking_out_without_aclose_then_closing_the_client_is_quiet(
    mode: str, loop_reports: list[dict[str, Any]], records: list[logging.LogRecord]
) -> None:
    async with HostileServer(lister(mode)) as server:
        px = PackageX(KEY, base_url=server.url, timeout=5.0, max_retries=0)
        async for batch in px.batches.list(limit=LIMIT, concurrency=8):
            assert batch.id == "batch_1"
            await until(lambda: len(server.requests) >= 9)
            await asyncio.sleep(0.05)
            break
        await px.close()
        await settle()
        check_quiet(loop_reports, records, server)

    assert len(server.requests) <= 1 + 8


@pytest.mark.parametrize("mode", ["slow", "failing"])
async def test_cancelling_the_caller_of_a_listing_with_aclose_is_quiet(
    mode: str, loop_reports: list[dict[str, Any]], records: list[logging.LogRecord]
) -> None:
    """The documented way (``async with`` the paginator), cancelled from outside."""
    async with HostileServer(lister(mode)) as server:
        async with PackageX(KEY, base_url=server.url, timeout=5.0, max_retries=0) as px:

            async def consume() -> None:
                async with px.batches.list(limit=LIMIT, concurrency=8) as batches:
                    async for _ in batches:
                        pass

            task = asyncio.create_task(consume())
            await until(lambda: len(server.requests) >= 9)
            await asyncio.sleep(0.05)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        await settle()
        check_quiet(loop_reports, records, server)
