"""The fan-out's refill rule: a worker asks for its next page as soon as a page is in.

``list(concurrency=N)`` keeps at most N requests in flight, and at most 2N pages
(``AHEAD * N``) fetched or in flight but not yet handed over. So a slow page does
not stall the others: while the consumer waits for it, the workers go on past it,
up to that bound and no further. Pages are still handed over in order, and a failed
page stops the workers from asking for any page after it.

"No further" is a negative, so these tests wait for an event that comes either way:
the SDK's worker tasks other than the one fetching the held page have ended (a
worker with no page to claim ends; with no bound, they would end after the last
page). Then the requests the fake received are the whole story.
"""

from __future__ import annotations

import asyncio
import gc
import types
import weakref
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import pytest

from packagex_async import InternalServerError, PackageX
from packagex_async._listing._walk import PageWalk
from packagex_async.models import Page, Pagination
from packagex_async.testing import FakePackageX

from ..clocks import before
from .test_concurrency import pages_requested, sdk_tasks_pending

BATCHES = 100
LIMIT = 5  # 20 pages
CONCURRENCY = 4
HELD_AT_MOST = 2 * CONCURRENCY  # with page 2 held: pages 2 to 9


@pytest.fixture
async def hundred() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=BATCHES, seed=5) as server:
        yield server


async def read_all(px: PackageX) -> list[str]:
    return [b.id async for b in px.batches.list(limit=LIMIT, concurrency=CONCURRENCY)]


def guarded(event: Awaitable[None]) -> Awaitable[None]:
    """A hang guard, not a pause: the event comes at once, or the walk is stuck."""
    return asyncio.wait_for(event, timeout=5)


async def until_one_sdk_task_is_left() -> None:
    """Wait until every SDK task but one (the one fetching a held page) has ended."""
    pending = set(sdk_tasks_pending())
    while len(pending) > 1:
        _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)


async def test_a_held_page_does_not_stall_the_pages_after_it(hundred: FakePackageX) -> None:
    hundred.hold("list_batches", page=2)

    async with PackageX(hundred.api_key, base_url=hundred.url) as px:
        reading = asyncio.ensure_future(read_all(px))
        try:
            await before(guarded(hundred.until_received("list_batches", 1 + HELD_AT_MOST)), reading)
            await before(guarded(until_one_sdk_task_is_left()), reading)
            assert sorted(pages_requested(hundred)) == list(range(1, 2 + HELD_AT_MOST))
            assert hundred.in_flight("list_batches") == 1  # page 2, still held
        finally:
            hundred.release("list_batches", page=2)
            got = await reading

    assert got == [b["id"] for b in hundred.batches]
    assert sorted(pages_requested(hundred)) == list(range(1, BATCHES // LIMIT + 1))
    assert hundred.peak_in_flight("list_batches") <= CONCURRENCY


async def test_no_page_after_a_failed_one_is_asked_for(hundred: FakePackageX) -> None:
    hundred.hold("list_batches", page=2)
    hundred.faults.script("list_batches", ["500"], page=3)
    seen: list[str] = []

    async with PackageX(hundred.api_key, base_url=hundred.url, max_retries=0) as px:
        paginator = px.batches.list(limit=LIMIT, concurrency=CONCURRENCY)
        with pytest.raises(InternalServerError) as caught:
            async with paginator:
                async for batch in paginator:
                    seen.append(batch.id)
                    if len(seen) == LIMIT:  # page 1 is out; pages 2 to 5 were asked for
                        await guarded(until_one_sdk_task_is_left())
                        assert sorted(pages_requested(hundred)) == [1, 2, 3, 4, 5]
                        hundred.release("list_batches", page=2)

    assert caught.value.page == paginator.next_page == 3
    assert seen == [b["id"] for b in hundred.batches[: 2 * LIMIT]]
    assert sorted(pages_requested(hundred)) == [1, 2, 3, 4, 5]


# -- the walk itself, with pages answered by the test


class Pages:
    """``fetch`` for a ``PageWalk`` over ``total`` one-item pages, answered by the test.

    ``asked`` lists the pages asked for; ``made`` holds a weak reference to each page
    answered (this helper keeps no page alive itself).
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self.asked: list[int] = []
        self.made: dict[int, weakref.ref[Page[Any]]] = {}
        self.checked_against: dict[int, Page[Any] | None] = {}
        self._answers: dict[int, asyncio.Future[Page[Any]]] = {}
        self._changed = asyncio.Event()

    async def fetch(self, number: int, first: Page[Any] | None) -> Page[Any]:
        answer = self._answers[number] = asyncio.get_running_loop().create_future()
        self.asked.append(number)
        self.checked_against[number] = first
        self._changed.set()
        return await answer

    async def until_asked(self, number: int) -> None:
        while number not in self.asked:
            self._changed.clear()
            await self._changed.wait()

    def answer(self, number: int) -> None:
        pagination = Pagination(
            page=number, limit=1, has_more=number < self.total, total_count=self.total
        )
        page = Page(data=[types.SimpleNamespace(id=f"item_{number}")], pagination=pagination)
        self.made[number] = weakref.ref(page)
        self._answers.pop(number).set_result(page)


async def walk_numbers(walk: PageWalk[Any]) -> list[int]:
    try:
        return [number async for number, _ in walk]
    finally:
        await walk.aclose()


async def test_workers_that_end_in_the_same_turn_are_replaced() -> None:
    """Two workers find no room in the loop turn that hands page 2 over: both end.

    The consumer takes pages 2 to 5 before their tasks are gone, so counting the
    workers by their tasks started no new one and the walk waited for page 6
    forever; the workers count themselves out as they return.
    """
    pages = Pages(total=8)
    reading = asyncio.ensure_future(walk_numbers(PageWalk(pages.fetch, start=1, concurrency=2)))
    await guarded(pages.until_asked(1))
    pages.answer(1)
    await guarded(pages.until_asked(3))
    pages.answer(3)
    await guarded(pages.until_asked(4))
    pages.answer(4)
    await guarded(pages.until_asked(5))  # pages 2 to 5 held: 2 x concurrency, no room
    pages.answer(2)
    pages.answer(5)
    for number in (6, 7, 8):
        await before(guarded(pages.until_asked(number)), reading)
        pages.answer(number)

    assert await reading == [1, 2, 3, 4, 5, 6, 7, 8]


async def test_a_closed_walk_hands_nothing_more_over() -> None:
    pages = Pages(total=8)
    walk = PageWalk(pages.fetch, start=1, concurrency=2)
    taking = asyncio.ensure_future(walk.__anext__())
    await guarded(pages.until_asked(1))
    pages.answer(1)
    assert (await taking)[0] == 1
    await guarded(pages.until_asked(3))  # two workers, each waiting for its page

    await walk.aclose()

    assert sdk_tasks_pending() == []
    with pytest.raises(StopAsyncIteration):
        await walk.__anext__()
    assert sorted(pages.asked) == [1, 2, 3]


async def test_a_page_handed_over_is_not_kept() -> None:
    """Only the first page (every page is checked against it) and the last one stay."""
    pages = Pages(total=6)
    walk = PageWalk(pages.fetch, start=1, concurrency=2)
    for number in range(1, 7):
        taking = asyncio.ensure_future(walk.__anext__())
        await guarded(pages.until_asked(number))
        pages.answer(number)
        assert (await taking)[0] == number
        del taking
        gc.collect()
        alive = [n for n, page in pages.made.items() if page() is not None]
        assert alive == sorted({1, number})
    with pytest.raises(StopAsyncIteration):
        await walk.__anext__()


async def test_a_consumer_waiting_when_the_walk_closes_is_not_left_hanging() -> None:
    pages = Pages(total=8)
    walk = PageWalk(pages.fetch, start=1, concurrency=2)
    taking = asyncio.ensure_future(walk.__anext__())
    await guarded(pages.until_asked(1))
    pages.answer(1)
    await taking
    taking = asyncio.ensure_future(walk.__anext__())
    await guarded(pages.until_asked(3))
    await asyncio.sleep(0)  # the consumer's turn (3.12's wait_for may not have yielded)
    assert not taking.done()  # it is waiting for page 2

    await walk.aclose()

    with pytest.raises(asyncio.CancelledError):
        await guarded(taking)


async def test_every_later_page_is_checked_against_the_first() -> None:
    """The first page's ``total_count`` and ``limit`` are what later pages must match."""
    pages = Pages(total=6)
    reading = asyncio.ensure_future(walk_numbers(PageWalk(pages.fetch, start=1, concurrency=2)))
    for number in range(1, 7):
        await before(guarded(pages.until_asked(number)), reading)
        pages.answer(number)
    assert await reading == [1, 2, 3, 4, 5, 6]

    first = pages.made[1]()
    assert first is not None
    assert pages.checked_against[1] is None
    assert all(pages.checked_against[n] is first for n in range(2, 7))


async def test_the_window_is_full_and_never_wider(
    hundred: FakePackageX, caplog: pytest.LogCaptureFixture
) -> None:
    """Exactly ``concurrency`` requests at the peak; no worker bookkeeping error logged."""
    hundred.faults.latency("list_batches", 0.02)  # the fake's answers overlap

    async with PackageX(hundred.api_key, base_url=hundred.url) as px:
        got = await read_all(px)

    assert got == [b["id"] for b in hundred.batches]
    assert hundred.peak_in_flight("list_batches") == CONCURRENCY
    assert [r for r in caplog.records if r.name == "asyncio"] == []
