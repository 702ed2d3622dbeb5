"""List answers whose pagination lies: the walk must stop, never loop or repeat an item.

Each scenario is a function from the requested page number to the answer's body.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import pytest

from packagex_async import APIResponseValidationError, PackageX, PaginationError

from ._secrets import KEY, assert_no_secret
from ._server import HostileServer, Received, envelope, json_response, page_body

Pages = Callable[[int], dict[str, Any]]


def serving(pages: Pages) -> Callable[[Received, asyncio.StreamWriter], Any]:
    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(json_response(pages(int(request.query.get("page", "1")))))

    return handler


async def walk(
    server: HostileServer, resource: str, concurrency: int
) -> tuple[list[str], BaseException | None]:
    """The ids yielded, and the error that ended the walk (None if it ended normally)."""
    ids: list[str] = []
    async with PackageX(KEY, base_url=server.url, timeout=5, max_retries=0) as px:
        listing = getattr(px, resource).list(limit=2, concurrency=concurrency)
        try:
            async with listing:
                async for item in listing:
                    ids.append(item.id)
        except Exception as exc:  # returned, to be asserted on
            return ids, exc
    return ids, None


RESOURCES = ["batches", "exports"]
CONCURRENCY = [1, 8]


def ids_on(page: int) -> list[str]:
    return [f"obj_{2 * page - 1}", f"obj_{2 * page}"]


# -- pages that would make the walk loop or repeat an item

LOOPING: dict[str, tuple[Pages, int]] = {
    # has_more forever, the same items every time, no total_count: seen on page 2
    "same_items_forever": (
        lambda page: page_body(ids_on(1), page=page, limit=2, has_more=True),
        2,
    ),
    "same_items_forever_claiming_page_1": (
        lambda page: page_body(ids_on(1), page=1, limit=2, has_more=True),
        2,
    ),
    "page_2_repeats_an_item_of_page_1": (
        lambda page: page_body(
            [["obj_1", "obj_2"], ["obj_2", "obj_3"], ["obj_5"]][page - 1],
            page=page,
            limit=2,
            has_more=page < 3,
            total_count=5,
        ),
        2,
    ),
    "page_3_repeats_an_item_of_page_1": (
        lambda page: page_body(
            [["obj_1", "obj_2"], ["obj_3", "obj_4"], ["obj_5", "obj_1"]][page - 1],
            page=page,
            limit=2,
            has_more=page < 3,
            total_count=6,
        ),
        3,
    ),
    "repeat_within_the_first_page": (
        lambda page: page_body(["obj_1", "obj_1"], page=page, limit=2, has_more=False),
        1,
    ),
    "repeat_after_has_more_without_total": (
        lambda page: page_body(
            [["obj_1", "obj_2"], ["obj_3", "obj_1"]][min(page, 2) - 1],
            page=page,
            limit=2,
            has_more=True,
        ),
        2,
    ),
}


@pytest.mark.parametrize("concurrency", CONCURRENCY)
@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("scenario", list(LOOPING))
async def test_pages_that_repeat_stop_the_walk_with_pagination_error(
    scenario: str, resource: str, concurrency: int, records: list[logging.LogRecord]
) -> None:
    pages, bad_page = LOOPING[scenario]
    async with HostileServer(serving(pages)) as server:
        ids, error = await walk(server, resource, concurrency)

    assert isinstance(error, PaginationError), repr(error)
    assert error.page == bad_page
    assert len(ids) == len(set(ids)), f"an id was yielded twice: {ids}"
    assert len(server.requests) <= bad_page + concurrency, "the walk went on past the repeat"
    if concurrency == 1:
        assert len(server.requests) == bad_page
    assert_no_secret(error, records, [KEY])


# -- pagination objects that are not what the API documents


def first_page_with(**pagination: Any) -> Pages:
    def pages(page: int) -> dict[str, Any]:
        fields = {"page": page, "limit": 2, "has_more": True, "total_count": 10, **pagination}
        return envelope([{"id": i} for i in ids_on(page)], fields)

    return pages


BAD_PAGINATIONS: dict[str, dict[str, Any]] = {
    "limit_0": {"limit": 0},
    "limit_-1": {"limit": -1},
    "limit_0_no_total": {"limit": 0, "total_count": None},
    "limit_-1_last_page": {"limit": -1, "has_more": False},
    "page_as_string": {"page": "1"},
    "page_as_float": {"page": 1.5},
    "page_as_bool": {"page": True},
    "limit_as_string": {"limit": "2"},
    "limit_as_float": {"limit": 2.5},
    "limit_as_bool": {"limit": True},
    "total_count_as_string": {"total_count": "10"},
    "total_count_as_float": {"total_count": 10.5},
    "total_count_as_bool": {"total_count": True},
    "total_count_as_list": {"total_count": [10]},
}


@pytest.mark.parametrize("concurrency", CONCURRENCY)
@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("bad", list(BAD_PAGINATIONS))
async def test_a_malformed_pagination_is_a_validation_error(
    bad: str, resource: str, concurrency: int, records: list[logging.LogRecord]
) -> None:
    async with HostileServer(serving(first_page_with(**BAD_PAGINATIONS[bad]))) as server:
        ids, error = await walk(server, resource, concurrency)

    assert isinstance(error, APIResponseValidationError), repr(error)
    assert ids == [], "a page is checked whole before any of its items is yielded"
    assert len(server.requests) == 1
    assert_no_secret(error, records, [KEY])


# -- "pagination": null means there is nothing more to fetch


@pytest.mark.parametrize("concurrency", CONCURRENCY)
@pytest.mark.parametrize("resource", RESOURCES)
async def test_null_pagination_on_the_first_page_ends_the_listing(
    resource: str, concurrency: int
) -> None:
    async with HostileServer(
        serving(lambda page: envelope([{"id": "obj_1"}, {"id": "obj_2"}]))
    ) as server:
        ids, error = await walk(server, resource, concurrency)

    assert error is None, repr(error)
    assert ids == ["obj_1", "obj_2"]
    assert len(server.requests) == 1


@pytest.mark.parametrize("concurrency", CONCURRENCY)
@pytest.mark.parametrize("resource", RESOURCES)
async def test_null_pagination_on_a_later_page_ends_the_listing_there(
    resource: str, concurrency: int
) -> None:
    def pages(page: int) -> dict[str, Any]:
        if page == 1:
            return page_body(ids_on(1), page=1, limit=2, has_more=True)
        return envelope([{"id": i} for i in ids_on(page)], None)

    async with HostileServer(serving(pages)) as server:
        ids, error = await walk(server, resource, concurrency)

    assert error is None, repr(error)
    assert ids == ["obj_1", "obj_2", "obj_3", "obj_4"]
    assert len(server.requests) == 2


@pytest.mark.parametrize("concurrency", CONCURRENCY)
async def test_an_honest_listing_is_walked_whole(concurrency: int) -> None:
    """The control case: the same server with truthful pages."""

    def pages(page: int) -> dict[str, Any]:
        return page_body(
            ids_on(page)[: 5 - 2 * (page - 1)], page=page, limit=2, has_more=page < 3, total_count=5
        )

    async with HostileServer(serving(pages)) as server:
        ids, error = await walk(server, "batches", concurrency)

    assert error is None, repr(error)
    assert ids == ["obj_1", "obj_2", "obj_3", "obj_4", "obj_5"]
    assert len(server.requests) == 3
