"""The async paginator behind every ``list()``: items or pages, exactly once, in order.

``list()`` only builds a paginator; nothing is requested until iteration starts.
Each ``async for`` starts afresh at the first page. Pages are followed through
``pagination.has_more``; a page that contradicts that walk (an empty page claiming
more, a page number that does not advance) stops it with ``PaginationError``
instead of looping forever or repeating items.

``next_page`` tells where to resume after an error or an early ``break``: the first
page whose items were not all delivered (``None`` once the list is exhausted), to be
passed back as ``list(page=...)``. An error that stops the walk carries the same
number as ``error.page`` and names it in its message.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, TypeVar

from ._errors import PackageXError, PaginationError
from .models import Page

__all__ = ["AsyncPaginator"]

T = TypeVar("T")


class AsyncPaginator(Generic[T]):
    """Iterate with ``async for item in paginator`` or ``async for page in paginator.pages()``."""

    def __init__(self, fetch_page: Callable[[int], Awaitable[Page[T]]], *, first_page: int) -> None:
        self._fetch_page = fetch_page
        self._first_page = first_page
        self.next_page: int | None = first_page

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    def pages(self) -> AsyncIterator[Page[T]]:
        """Every page from the first one, each with ``data`` and ``pagination``."""
        return self._pages()

    async def _items(self) -> AsyncIterator[T]:
        async for page in self._pages():
            for item in page.data:
                yield item

    async def _pages(self) -> AsyncIterator[Page[T]]:
        number = self._first_page
        while True:
            self.next_page = number
            try:
                page = await self._fetch_page(number)
            except PackageXError as error:
                error.at_page(number)
                raise
            _check(page, number)
            yield page
            if not page.pagination.has_more:
                self.next_page = None
                return
            number += 1


def _check(page: Page[T], number: int) -> None:
    """Refuse a page that would make the walk loop or skip."""
    answered = page.pagination.page
    if answered != number:
        raise PaginationError(
            f"asked for page {number} but the API answered page {answered}; stopping so "
            "that no item is repeated or skipped",
            page=number,
        )
    if page.pagination.has_more and not page.data:
        raise PaginationError(
            f"page {number} is empty but claims more pages follow; stopping so that the "
            "listing does not loop forever",
            page=number,
        )
