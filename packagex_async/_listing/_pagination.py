"""The async paginator behind every ``list()``: items or pages, exactly once, in order.

``list()`` only builds a paginator; nothing is requested until iteration starts.
Each ``async for`` starts afresh at the first page.

The pages come from a ``PageWalk`` (``_walk``): page by page, or N at a time with
``concurrency=N``. Every page is checked against the first one (``_consistency``),
and against the ids already listed: a page that would make the walk loop, or shows
that the list changed underneath it, stops the walk with ``PaginationError`` rather
than silently repeating or skipping items.

``next_page`` tells where to resume after an error or an early ``break``: the first
page whose items were not all delivered (``None`` once the list is exhausted), to be
passed back as ``list(page=...)``; ``list(page=None)`` is an empty listing, so
resuming a finished one is harmless. It moves on as soon as a page's last item (or
the page itself, from ``pages()``) is handed over. An error that stops the walk
carries the same number as ``error.page`` and names it in its message.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any, Generic, TypeVar

from .._errors import PackageXError
from ..models import Page
from ._consistency import check_page
from ._walk import PageWalk

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
        walk = self._walk()
        try:
            async for number, page in walk:
                data = page.data
                if not data:
                    self.next_page = _after(number, page)
                    continue
                self.next_page = number
                for item in itertools.islice(data, len(data) - 1):
                    yield item
                self.next_page = _after(number, page)  # the page is out with its last item
                yield data[-1]
        finally:
            await walk.aclose()

    async def _pages(self) -> AsyncGenerator[Page[T], None]:
        walk = self._walk()
        try:
            async for number, page in walk:
                self.next_page = _after(number, page)
                yield page
        finally:
            await walk.aclose()

    def _walk(self) -> PageWalk[T] | _Nothing:
        """A fresh walk from the first page (nothing for ``list(page=None)``, a finished one)."""
        self.next_page = self._first_page
        if self._first_page is None:
            return _Nothing()
        return PageWalk(self._fetch, start=self._first_page, concurrency=self._concurrency)

    async def _fetch(self, number: int, first: Page[T] | None) -> Page[T]:
        """One page, checked against the first; a failure names its page."""
        try:
            page = await self._fetch_page(number)
        except PackageXError as error:
            error.at_page(number)
            raise
        check_page(page, number, first)
        return page


class _Nothing:
    """The walk of a listing that had already ended: no pages."""

    def __aiter__(self) -> _Nothing:
        return self

    async def __anext__(self) -> tuple[int, Page[Any]]:
        raise StopAsyncIteration

    async def aclose(self) -> None:
        return None


def _after(number: int, page: Page[Any]) -> int | None:
    """Where a walk resumes once ``page`` is fully delivered: the next page, or nowhere."""
    return number + 1 if page.pagination.has_more else None
