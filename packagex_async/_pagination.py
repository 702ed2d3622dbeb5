"""The async paginator behind every ``list()``: items or pages, exactly once, in order.

``list()`` only builds a paginator; nothing is requested until iteration starts.
Each ``async for`` starts afresh at the first page.

Two walks, one result:
- sequential (``concurrency=1``): follow ``pagination.has_more`` page by page;
- fan-out (``concurrency=N``): after the first page, ``total_count`` and ``limit`` say
  how many pages remain, and up to N of them are fetched at once. Pages are still
  yielded strictly in order and at most N are held, so memory stays bounded. Without
  ``total_count`` the walk falls back to sequential.

Every page is checked against the first one (``_consistency``): a page that would
make the walk loop, or shows that the list changed underneath it, stops the walk
with ``PaginationError`` rather than silently repeating or skipping items.

``next_page`` tells where to resume after an error or an early ``break``: the first
page whose items were not all delivered (``None`` once the list is exhausted), to be
passed back as ``list(page=...)``; ``list(page=None)`` is an empty listing, so
resuming a finished one is harmless. It moves on as soon as a page's last item (or
the page itself, from ``pages()``) is handed over. An error that stops the walk
carries the same number as ``error.page`` and names it in its message.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable
from types import TracebackType
from typing import Any, Generic, TypeVar

from ._consistency import check_new_ids, check_page
from ._errors import PackageXError
from .models import Page

__all__ = ["AsyncPaginator"]

T = TypeVar("T")
U = TypeVar("U")


class AsyncPaginator(Generic[T]):
    """Iterate with ``async for item in paginator`` or ``async for page in paginator.pages()``.

    Use ``async with`` (or call ``aclose()``) to cancel in-flight page requests at
    once when leaving a loop early; otherwise they finish on their own and are
    released with the paginator.
    """

    def __init__(
        self,
        fetch_page: Callable[[int], Awaitable[Page[T]]],
        *,
        first_page: int | None,
        concurrency: int = 1,
    ) -> None:
        self._fetch_page = fetch_page
        self._first_page = first_page
        self._concurrency = concurrency
        self._running: set[AsyncGenerator[object, None]] = set()
        self.next_page: int | None = first_page

    def __aiter__(self) -> AsyncIterator[T]:
        return self._track(self._items())

    def pages(self) -> AsyncIterator[Page[T]]:
        """Every page from the first one, each with ``data`` and ``pagination``."""
        return self._track(self._pages())

    async def aclose(self) -> None:
        """Stop every iteration of this paginator and cancel its in-flight requests."""
        while self._running:
            await self._running.pop().aclose()

    async def __aenter__(self) -> AsyncPaginator[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def _track(self, generator: AsyncGenerator[U, None]) -> AsyncGenerator[U, None]:
        """Hold the iteration so ``aclose()`` can reach it after a ``break``."""
        self._running = {g for g in self._running if getattr(g, "ag_frame", None)}  # unfinished
        self._running.add(generator)
        return generator

    async def _items(self) -> AsyncGenerator[T, None]:
        async with contextlib.aclosing(self._numbered_pages()) as pages:
            async for number, page in pages:
                data = page.data
                if not data:
                    self.next_page = _after(number, page)
                    continue
                self.next_page = number
                for item in itertools.islice(data, len(data) - 1):
                    yield item
                self.next_page = _after(number, page)  # the page is out with its last item
                yield data[-1]

    async def _pages(self) -> AsyncGenerator[Page[T], None]:
        async with contextlib.aclosing(self._numbered_pages()) as pages:
            async for number, page in pages:
                self.next_page = _after(number, page)
                yield page

    async def _numbered_pages(self) -> AsyncGenerator[tuple[int, Page[T]], None]:
        if self._first_page is None:  # list(page=None): resuming a listing that had ended
            self.next_page = None
            return
        start = self.next_page = self._first_page
        first = await self._fetch(start, None)
        pagination = first.pagination
        if pagination.has_more and self._concurrency > 1 and pagination.total_count is not None:
            walk = self._fan_out(start, first)
        else:
            walk = self._walk(start, first)
        seen: set[object] = set()
        async with contextlib.aclosing(walk):
            async for number, page in walk:
                check_new_ids(page, number, seen)
                yield number, page

    async def _walk(self, start: int, first: Page[T]) -> AsyncGenerator[tuple[int, Page[T]], None]:
        """Follow ``has_more`` one page at a time."""
        number, page = start, first
        yield number, page
        while page.pagination.has_more:
            number += 1
            page = await self._fetch(number, first)
            yield number, page

    async def _fan_out(
        self, start: int, first: Page[T]
    ) -> AsyncGenerator[tuple[int, Page[T]], None]:
        """Fetch the pages ``total_count`` announces, N at a time, yielding in order.

        The window is refilled before each page is handed over, so N requests stay
        in flight while the caller works on a page.
        """
        total = first.pagination.total_count or 0
        last = math.ceil(total / first.pagination.limit)
        numbers = iter(range(start + 1, last + 1))
        window: deque[tuple[int, asyncio.Task[Page[T]]]] = deque()

        def refill() -> None:
            for number in itertools.islice(numbers, self._concurrency - len(window)):
                task = asyncio.ensure_future(self._fetch(number, first))
                task.add_done_callback(_mark_seen)
                window.append((number, task))

        try:
            refill()
            yield start, first
            while window:
                number, task = window[0]  # stays in the window until done, for the finally
                page = await task
                window.popleft()
                refill()
                yield number, page
        finally:
            await _cancel_all(task for _, task in window)

    async def _fetch(self, number: int, first: Page[T] | None) -> Page[T]:
        """One page, checked against the first; a failure names its page."""
        try:
            page = await self._fetch_page(number)
        except PackageXError as error:
            error.at_page(number)
            raise
        check_page(page, number, first)
        return page


def _after(number: int, page: Page[Any]) -> int | None:
    """Where a walk resumes once ``page`` is fully delivered: the next page, or nowhere."""
    return number + 1 if page.pagination.has_more else None


def _mark_seen(task: asyncio.Task[Any]) -> None:
    """Mark a page task's error as seen, so an abandoned walk logs nothing.

    A walk left without ``aclose()`` (or cut short when the client closes) may
    leave pages failing in flight; their errors belong to nobody and asyncio would
    otherwise print "Task exception was never retrieved".
    """
    if not task.cancelled():
        task.exception()


async def _cancel_all(tasks: Iterable[asyncio.Task[Page[T]]]) -> None:
    """Cancel the pages still in flight and wait until they are really gone.

    ``asyncio.wait`` (not ``gather``) so that a cancellation of the caller itself
    still propagates.
    """
    pending = list(tasks)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)
