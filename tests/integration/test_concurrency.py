"""Concurrent page fan-out and retrieve_many, over real loopback HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from packagex_async import InternalServerError, NotFoundError, PackageX, PaginationError
from packagex_async.testing import FakePackageX

from ..clocks import before


class Open:
    """Counts the requests a session has open now, through aiohttp's tracing.

    Peaks are counted by the fake as it serves (``fake.peak_in_flight``); this is the
    client's side, to see that leaving a loop early leaves no request open.
    """

    def __init__(self) -> None:
        self.now = 0
        self.config = aiohttp.TraceConfig()
        self.config.on_request_start.append(self._start)
        self.config.on_request_end.append(self._end)
        self.config.on_request_exception.append(self._end)

    async def _start(self, *_: object) -> None:
        self.now += 1

    async def _end(self, *_: object) -> None:
        self.now -= 1


@pytest.fixture
async def big() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=1_000, exports=95, seed=21) as server:
        yield server


def sdk_tasks_pending() -> list[asyncio.Task[object]]:
    """The SDK's own tasks still running (the fake's handlers share this loop)."""
    return [task for task in asyncio.all_tasks() if not task.done() and _runs_sdk(task)]


def _runs_sdk(task: asyncio.Task[object]) -> bool:
    """Whether SDK code runs in the task, looking through wrapping coroutines too.

    Mutation testing wraps each SDK function in a coroutine of its own, outside the
    package; the SDK's coroutine is then the one the wrapper awaits.
    """
    coroutine: Any = task.get_coro()
    while coroutine is not None:
        code = getattr(coroutine, "cr_code", None)
        if code is not None and "/packagex_async/_" in code.co_filename:
            return True
        coroutine = getattr(coroutine, "cr_await", None)
    return False


def pages_requested(fake: FakePackageX) -> list[int]:
    return [int(r.query["page"]) for r in fake.requests if r.route == "list_batches"]


@pytest.mark.parametrize(("concurrency", "limit"), [(2, 25), (8, 25), (16, 7), (64, 100)])
async def test_fan_out_yields_the_same_items_in_order(
    big: FakePackageX, concurrency: int, limit: int
) -> None:
    async with PackageX(big.api_key, base_url=big.url) as px:
        got = [b.id async for b in px.batches.list(limit=limit, concurrency=concurrency)]

    assert got == [b["id"] for b in big.batches]
    assert sorted(pages_requested(big)) == list(range(1, -(-1_000 // limit) + 1))
    assert pages_requested(big)[0] == 1


async def test_exports_fan_out_too(big: FakePackageX) -> None:
    async with PackageX(big.api_key, base_url=big.url) as px:
        got = [e.id async for e in px.exports.list(concurrency=4, order_by="count_total")]

    assert len(got) == 95
    assert len(set(got)) == 95


def hold_pages(fake: FakePackageX, pages: range) -> None:
    for page in pages:
        fake.hold("list_batches", page=page)


def release_pages(fake: FakePackageX, pages: range) -> None:
    for page in pages:
        fake.release("list_batches", page=page)


async def test_at_most_n_requests_are_in_flight(big: FakePackageX) -> None:
    hold_pages(big, range(2, 6))  # the first window after page 1, until all four are in

    async with PackageX(big.api_key, base_url=big.url) as px:

        async def read_all() -> list[str]:
            return [b.id async for b in px.batches.list(limit=50, concurrency=4)]

        reading = asyncio.ensure_future(read_all())
        await before(big.until_in_flight("list_batches", 4), reading)
        release_pages(big, range(2, 6))
        got = await reading

    assert got == [b["id"] for b in big.batches]
    assert big.peak_in_flight("list_batches") == 4


async def test_leaving_early_cancels_the_pages_in_flight(big: FakePackageX) -> None:
    hold_pages(big, range(2, 10))  # pages 2 to 9: the full window of eight
    client = Open()

    async with aiohttp.ClientSession(trace_configs=[client.config]) as session:
        px = PackageX(big.api_key, base_url=big.url, session=session)
        async with px.batches.list(limit=10, concurrency=8) as paginator:
            async for batch in paginator:
                if batch.id == big.batches[9]["id"]:  # the last item of page 1
                    await big.until_in_flight("list_batches", 8)
                    big.release("list_batches", page=2)
                if batch.id == big.batches[10]["id"]:  # the first item of page 2
                    break
        assert sdk_tasks_pending() == []
        assert client.now == 0
        assert big.peak_in_flight("list_batches") == 8


async def test_a_list_that_changes_mid_walk_is_reported(big: FakePackageX) -> None:
    big.faults.drift("list_batches", after_page=2, insert=3, position="start")
    seen: list[str] = []

    async with PackageX(big.api_key, base_url=big.url) as px:
        with pytest.raises(PaginationError, match="the list changed") as caught:
            async for batch in px.batches.list(concurrency=4):
                seen.append(batch.id)

    assert caught.value.page >= 3
    assert len(seen) == len(set(seen))


async def test_fan_out_through_faults_is_still_exactly_once(big: FakePackageX) -> None:
    kinds = ["500", "502", "503", "429", "reset", "truncate", "invalid_json"]
    big.faults.error_rate("list_batches", 0.3, kinds=kinds, seed=8)

    async with PackageX(big.api_key, base_url=big.url, max_retries=8) as px:
        got = [b.id async for b in px.batches.list(limit=20, concurrency=8)]

    assert got == [b["id"] for b in big.batches]


async def test_retrieve_many_keeps_input_order_and_each_error(big: FakePackageX) -> None:
    ids = [b["id"] for b in big.batches[:40]]
    ids.insert(7, "batch_missing")

    async with PackageX(big.api_key, base_url=big.url) as px:
        results = await px.batches.retrieve_many(ids, concurrency=5, include_result_json=True)

    assert [r.id for r in results] == ids
    assert [r.ok for r in results].count(False) == 1
    assert isinstance(results[7].error, NotFoundError)
    with pytest.raises(NotFoundError):
        results[7].unwrap()
    assert [r.unwrap().id for r in results if r.ok] == [i for i in ids if i != "batch_missing"]
    sent = [r.query for r in big.requests if r.route == "retrieve_batch"]
    assert all(q == {"include_result_json": "true"} for q in sent)


async def test_retrieve_many_fail_fast_raises_and_cancels_the_rest(big: FakePackageX) -> None:
    big.faults.latency("retrieve_export", 0.05)
    ids = ["exp_missing"] + [e["id"] for e in big.exports[:30]]

    async with PackageX(big.api_key, base_url=big.url) as px:
        with pytest.raises(NotFoundError):
            await px.exports.retrieve_many(ids, concurrency=3, fail_fast=True)
        assert sdk_tasks_pending() == []

    assert sum(1 for r in big.requests if r.route == "retrieve_export") < len(ids)


async def test_retrieve_many_bounds_its_concurrency(big: FakePackageX) -> None:
    big.hold("retrieve_batch")
    ids = [b["id"] for b in big.batches[:30]]

    async with PackageX(big.api_key, base_url=big.url) as px:
        many = asyncio.ensure_future(px.batches.retrieve_many(ids, concurrency=6))
        await before(big.until_in_flight("retrieve_batch", 6), many)
        big.release("retrieve_batch")
        results = await many

    assert [r.unwrap().id for r in results] == ids
    assert big.peak_in_flight("retrieve_batch") == 6


@pytest.mark.parametrize(
    ("ids", "error", "message"),
    [
        ("batch_1", TypeError, "batch_ids must be a list of string ids"),
        (None, TypeError, "batch_ids must be a list of string ids"),
        (["batch_1", ""], ValueError, "batch_ids must be a non-empty id"),
        (["batch_1", 5], TypeError, "batch_ids must be a string id"),
    ],
)
async def test_retrieve_many_checks_every_id_first(
    big: FakePackageX, ids: object, error: type[Exception], message: str
) -> None:
    async with PackageX(big.api_key, base_url=big.url) as px:
        with pytest.raises(error, match=message):
            await px.batches.retrieve_many(ids)  # type: ignore[arg-type]

    assert big.requests == []


async def test_retrieve_many_of_nothing_is_empty(big: FakePackageX) -> None:
    async with PackageX(big.api_key, base_url=big.url) as px:
        assert await px.exports.retrieve_many([]) == []


async def test_a_failed_page_in_a_fan_out_stops_in_order_and_resumes(big: FakePackageX) -> None:
    big.faults.script("list_batches", ["500"] * 3, page=3)
    seen: list[str] = []

    async with PackageX(big.api_key, base_url=big.url, max_retries=2) as px:
        paginator = px.batches.list(limit=100, concurrency=4)
        with pytest.raises(InternalServerError) as caught:
            async for batch in paginator:
                seen.append(batch.id)
        assert sdk_tasks_pending() == []
        assert caught.value.page == paginator.next_page == 3
        assert len(seen) == 200
        seen += [b.id async for b in px.batches.list(limit=100, page=3, concurrency=4)]

    assert seen == [b["id"] for b in big.batches]
