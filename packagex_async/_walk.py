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
  how many pages remain, and up to N of them are fetched at once. Pages are still
  handed over strictly in order and at most N are held, so memory stays bounded.
  Without ``total_count`` the walk falls back to sequential.
"""

from __future__ import annotations

import asyncio
import itertools
import math
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar

from ._consistency import check_new_ids
from .models import Page

__all__ = ["PageWalk"]

T = TypeVar("T")

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
        self._numbers: Iterator[int] | None = None  # set for a fan-out
        self._window: deque[tuple[int, asyncio.Task[Page[T]]]] = deque()
        self._seen: set[object] = set()

    def __aiter__(self) -> PageWalk[T]:
        return self

    async def __anext__(self) -> tuple[int, Page[T]]:
        number, page = await self._next()
        check_new_ids(page, number, self._seen)
        self._last = number, page
        return number, page

    async def aclose(self) -> None:
        """Cancel the pages still in flight and wait until they are really gone.

        ``asyncio.wait`` (not ``gather``) so that a cancellation of the caller itself
        still propagates.
        """
        pending = [task for _, task in self._window]
        self._window.clear()
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)

    async def _next(self) -> tuple[int, Page[T]]:
        if self._first is None:
            return await self._begin()
        if self._numbers is not None:
            return await self._next_in_window()
        assert self._last is not None
        number, page = self._last
        if not page.pagination.has_more:
            raise StopAsyncIteration
        return number + 1, await self._fetch(number + 1, self._first)

    async def _begin(self) -> tuple[int, Page[T]]:
        """The first page, and the fan-out's window when it can be planned."""
        first = self._first = await self._fetch(self._start, None)
        pagination = first.pagination
        if pagination.has_more and self._concurrency > 1 and pagination.total_count is not None:
            last = math.ceil(pagination.total_count / pagination.limit)
            self._numbers = iter(range(self._start + 1, last + 1))
            self._refill()
        return self._start, first

    async def _next_in_window(self) -> tuple[int, Page[T]]:
        """The oldest page in flight; the window is refilled before it is handed over."""
        if not self._window:
            raise StopAsyncIteration
        number, task = self._window[0]  # stays in the window until done, for aclose()
        page = await task
        self._window.popleft()
        self._refill()
        return number, page

    def _refill(self) -> None:
        assert self._numbers is not None
        assert self._first is not None
        for number in itertools.islice(self._numbers, self._concurrency - len(self._window)):
            task = asyncio.ensure_future(self._fetch(number, self._first))
            task.add_done_callback(_mark_seen)
            self._window.append((number, task))


def _mark_seen(task: asyncio.Task[Any]) -> None:
    """Mark a page task's error as seen, so an abandoned walk logs nothing.

    A walk left without ``aclose()`` (or cut short when the client closes) may
    leave pages failing in flight; their errors belong to nobody and asyncio would
    otherwise print "Task exception was never retrieved".
    """
    if not task.cancelled():
        task.exception()
