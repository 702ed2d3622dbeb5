"""One walk over the pages of a listing, in order: page by page, or N at a time.

A plain async iterator, not an async generator, on purpose. asyncio finalizes every
abandoned async generator on its own, in no particular order; nested generators
abandoned together (a ``break`` without ``aclose()``, then the client closes) had
their finalizers collide ("aclose(): asynchronous generator is already running").
Only the paginator's outer generator is finalized by asyncio now, and its
``finally`` closes this walk, cancelling the pages still in flight.

Two walks, one result:
- sequential (``concurrency=1``): follow ``pagination.has_more`` page by page;
- fan-out (``concurrency=N``): after the first page, ``total_count`` and ``limit`` say
  how many pages remain, and N workers fetch them, at most N requests in flight.
  Pages are still handed over strictly in order. Without ``total_count`` the walk
  falls back to sequential.

Why workers, and why a page may wait fetched: a worker sends the request for its
next page the moment its last page is decoded, in the same step of the event loop.
When N answers arrive together, the loop decodes them one after the other before
the consumer runs again; the former refill, one new request per page the consumer
took, sent the next N requests only after all N were decoded, so every round trip
also paid for decoding the whole round (4-5 points of the ideal speed-up at N=16
with 50 ms of latency, benchmarks scenario 2). Once the first round has spread the
answers out, the workers stay spread out and the decoding hides behind the waits.
Memory stays bounded: a worker asks for a page only while fewer than ``AHEAD * N``
pages are fetched or in flight and not yet handed over (N in flight, and up to N
more that arrived while the consumer was busy); a slow consumer stops the workers,
and each page it takes lets one start again.
A failed page stops the workers from starting pages after it; its error is raised
when the consumer reaches it, after every page before it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from ..models import Page
from ._consistency import SeenIds, check_new_ids

__all__ = ["AHEAD", "PageWalk"]

T = TypeVar("T")

AHEAD = 2
"""Pages held at most (fetched or in flight, not yet handed over), per unit of concurrency."""

Fetch = Callable[[int, "Page[T] | None"], Awaitable["Page[T]"]]
"""``fetch(number, first)``: one page, checked against the first (``None`` for the first)."""


class PageWalk(Generic[T]):
    """``async for number, page in walk``; ``await walk.aclose()`` cancels what is in flight."""

    def __init__(self, fetch: Fetch[T], *, start: int, concurrency: int) -> None:
        self._fetch = fetch
        self._start = start
        self._concurrency = concurrency
        self._first: Page[T] | None = None
        self._last: tuple[int, Page[T]] | None = None
        self._fan_out: _FanOut[T] | None = None
        self._seen = SeenIds()

    def __aiter__(self) -> PageWalk[T]:
        return self

    async def __anext__(self) -> tuple[int, Page[T]]:
        number, page = await self._next()
        check_new_ids(page, number, self._seen)
        self._last = number, page
        return number, page

    async def aclose(self) -> None:
        """Cancel the pages still in flight and wait until they are really gone."""
        if self._fan_out is not None:
            await self._fan_out.aclose()

    async def _next(self) -> tuple[int, Page[T]]:
        if self._first is None:
            return await self._begin()
        if self._fan_out is not None:
            return await self._fan_out.next()
        assert self._last is not None
        number, page = self._last
        if not page.pagination.has_more:
            raise StopAsyncIteration
        return number + 1, await self._fetch(number + 1, self._first)

    async def _begin(self) -> tuple[int, Page[T]]:
        """The first page, and the fan-out's workers when the rest can be planned."""
        first = self._first = await self._fetch(self._start, None)
        pagination = first.pagination
        last = pagination.last_page
        if pagination.has_more and self._concurrency > 1 and last is not None:
            numbers = range(self._start + 1, last + 1)
            self._fan_out = _FanOut(self._fetch, first, numbers, self._concurrency)
        return self._start, first


class _FanOut(Generic[T]):
    """Pages ``numbers`` fetched by up to ``concurrency`` workers, handed over in order.

    Each page has a future, made when a worker claims the page (or when the consumer
    asks for it first); the worker settles it, the consumer awaits it and drops it.
    A worker that finds no room (the consumer is behind) ends rather than waits, and
    the consumer starts a new one as it takes pages: a worker only ever waits for its
    request, so an abandoned walk leaves no task parked on the walk's own state.
    """

    def __init__(self, fetch: Fetch[T], first: Page[T], numbers: range, concurrency: int) -> None:
        self._fetch = fetch
        self._first = first
        self._concurrency = concurrency
        self._end = numbers.stop  # the consumer's end
        self._stop = numbers.stop  # the workers' end: lowered to a failed page
        self._claimed = self._next = numbers.start
        self._held = AHEAD * concurrency
        self._pages: dict[int, asyncio.Future[Page[T]]] = {}
        self._workers: set[asyncio.Task[None]] = set()  # for aclose(); a done one may linger
        self._working = 0  # workers not yet returned: counted by the workers themselves
        self._start_workers()

    async def next(self) -> tuple[int, Page[T]]:
        """The next page in order, once fetched; its error if it failed."""
        number = self._next
        if number >= self._end:
            raise StopAsyncIteration
        page = await self._future(number)
        del self._pages[number]
        self._next = number + 1
        self._start_workers()
        return number, page

    async def aclose(self) -> None:
        """Cancel the workers and wait until they are gone; the walk then ends.

        ``asyncio.wait`` (not ``gather``) so that a cancellation of the caller itself
        still propagates.
        """
        self._stop = self._end = self._next  # no page is claimed, or handed over, any more
        workers = list(self._workers)
        for worker in workers:
            worker.cancel()
        if workers:
            await asyncio.wait(workers)

    def _room(self) -> int:
        """How many more pages may be claimed now."""
        return min(self._stop, self._next + self._held) - self._claimed

    def _start_workers(self) -> None:
        """Start workers, up to ``concurrency`` working, while there are pages to claim.

        Counted by ``_working``, which a worker lowers as it returns, not by the
        task set: a finished task leaves the set one loop turn later, and a count
        that still held it would start no replacement, leaving no worker at all.
        """
        for _ in range(min(self._concurrency - self._working, self._room())):
            self._working += 1
            worker = asyncio.ensure_future(self._work())
            self._workers.add(worker)
            worker.add_done_callback(self._workers.discard)

    def _future(self, number: int) -> asyncio.Future[Page[T]]:
        future = self._pages.get(number)
        if future is None:
            future = self._pages[number] = asyncio.get_running_loop().create_future()
            future.add_done_callback(_mark_seen)
        return future

    async def _work(self) -> None:
        """Fetch page after page; the next request leaves as soon as a page is in."""
        try:
            while self._room() > 0:
                number = self._claimed
                self._claimed += 1
                if not await self._fetch_into(number, self._future(number)):
                    return
        finally:
            self._working -= 1

    async def _fetch_into(self, number: int, future: asyncio.Future[Page[T]]) -> bool:
        """Settle ``future`` with page ``number``; False if it failed (the walk ends there)."""
        try:
            page = await self._fetch(number, self._first)
        except Exception as error:
            self._stop = min(self._stop, number)  # no page after a failed one is asked for
            if not future.done():  # a cancelled consumer cancels the future it awaits
                future.set_exception(error)
            return False
        except BaseException:
            future.cancel()  # cancelled (or worse): whoever waits for it must not hang
            raise
        if not future.done():
            future.set_result(page)
        return True


def _mark_seen(future: asyncio.Future[Any]) -> None:
    """Mark a page's error as seen, so an abandoned walk logs nothing.

    A walk left without ``aclose()`` (or cut short when the client closes) may
    leave pages failed that nobody will ask for; asyncio would otherwise print
    "Future exception was never retrieved".
    """
    if not future.cancelled():
        future.exception()
