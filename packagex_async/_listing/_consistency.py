"""Checks that a page agrees with the walk so far, so no item is repeated or skipped.

Page-number pagination is only exact while the list holds still. When it does not
(an item is created or deleted mid-listing), the pages shift and an item can be
served twice or never. The first page's ``total_count`` and ``limit`` fix what
every later page must look like; any disagreement is reported as a
``PaginationError`` naming the page, instead of a quietly wrong result.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from .._errors import PaginationError
from ..models import Page

__all__ = ["PAGES_REMEMBERED", "SeenIds", "check_new_ids", "check_page"]

PAGES_REMEMBERED = 32
"""How many recent pages' ids a walk keeps to find repeated items."""


class SeenIds:
    """The ids of the last ``PAGES_REMEMBERED`` pages of a walk: bounded memory.

    Remembering every id would grow with the listing (about 12 MiB per 100,000
    items), which a streaming walk must not. The recent pages are enough for what
    repeats look like: a list that changes underneath the walk shifts items by a
    few places, onto a neighbouring page; a server that keeps answering ``has_more``
    serves the same page again, or cycles through a few. (With ``total_count`` the
    walk ends at its last page anyway: ``check_page``.)
    """

    def __init__(self, pages: int = PAGES_REMEMBERED) -> None:
        self._ids: set[object] = set()
        self._pages: deque[list[object]] = deque()
        self._remembered = pages

    def add(self, ids: list[object]) -> int:
        """Remember a page's ids; how many of them were already remembered."""
        before = len(self._ids)
        self._ids.update(ids)
        repeated = len(ids) - (len(self._ids) - before)
        self._pages.append(ids)
        if len(self._pages) > self._remembered:
            self._ids.difference_update(self._pages.popleft())
        return repeated


def check_page(page: Page[Any], number: int, first: Page[Any] | None) -> None:
    """Raise ``PaginationError`` if ``page`` (asked for as ``number``) breaks the walk."""
    pagination = page.pagination
    if pagination.page != number:
        _fail(number, f"asked for page {number} but the API answered page {pagination.page}")
    if pagination.has_more and not page.data:
        _fail(number, f"page {number} is empty but claims more pages follow")
    reference = first or page
    total, limit = reference.pagination.total_count, reference.pagination.limit
    if total is None:
        return
    if pagination.total_count is not None and pagination.total_count != total:
        _changed(
            number, f"total_count was {total} on the first page and is now {pagination.total_count}"
        )
    expected_items = max(0, min(limit, total - (number - 1) * limit))
    if len(page.data) != expected_items:
        _changed(
            number, f"page {number} holds {len(page.data)} items where {expected_items} were due"
        )
    if pagination.has_more != (number * limit < total):
        _changed(
            number, f"page {number} says has_more={pagination.has_more} at total_count {total}"
        )


def check_new_ids(page: Page[Any], number: int, seen: SeenIds) -> None:
    """Raise ``PaginationError`` if ``page`` holds an item the walk listed recently.

    This is what stops a server that keeps answering ``has_more`` with the same
    page (and no ``total_count`` to count against): the listing would never end.
    ``seen`` keeps the ids of the walk's recent pages.
    """
    repeated = seen.add([item.id for item in page.data])
    if repeated == len(page.data) and repeated:
        _fail(number, f"page {number} repeats items already listed, so the listing would not end")
    if repeated:
        _fail(number, f"page {number} holds {repeated} item(s) that were already listed")


def _changed(number: int, problem: str) -> None:
    _fail(
        number,
        f"the list changed while it was being read ({problem}), so items could be "
        "repeated or missed; list again to get a consistent result",
    )


def _fail(number: int, problem: str) -> None:
    raise PaginationError(f"{problem}; stopping the listing", page=number)
