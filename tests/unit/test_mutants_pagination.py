"""The pagination checks (``_consistency``) and the page walk (``_walk``), at their edges.

Pinned where mutation testing found them loose: the error names its page and says
what was wrong in full; a page that only repeats items is told apart from one that
repeats some; ``concurrency=1`` never asks ahead and ``concurrency=2`` does.
See ``tests/MUTANTS.md`` and ``python -m tools.mutate``.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from packagex_async import PackageX, PaginationError

from ..builders import batch_json, envelope, page_envelope
from ..conftest import MockAPI

CHANGED = (
    "the list changed while it was being read ({}), so items could be repeated or missed; "
    "list again to get a consistent result; stopping the listing"
)


async def listing_error(px: PackageX, concurrency: int = 1) -> PaginationError:
    with pytest.raises(PaginationError) as caught:
        [b async for b in px.batches.list(limit=2, concurrency=concurrency)]
    return caught.value


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_a_has_more_that_contradicts_total_count_names_its_page(
    px: PackageX, mock_api: MockAPI, concurrency: int
) -> None:
    items = [batch_json(n) for n in range(4)]
    mock_api.get("/v1/batches", payload=page_envelope(items[0:2], page=1, limit=2, total=4))
    wrong = {"page": 2, "limit": 2, "has_more": True, "total_count": 4}
    mock_api.get("/v1/batches", payload=envelope(items[2:4], pagination=wrong))

    error = await listing_error(px, concurrency)

    assert error.page == 2
    assert error.detail == CHANGED.format("page 2 says has_more=True at total_count 4")


async def test_a_first_page_that_denies_more_pages_is_caught_at_page_1(
    px: PackageX, mock_api: MockAPI
) -> None:
    items = [batch_json(n) for n in range(2)]
    wrong = {"page": 1, "limit": 2, "has_more": False, "total_count": 4}
    mock_api.get("/v1/batches", payload=envelope(items, pagination=wrong))

    error = await listing_error(px)

    assert error.page == 1
    assert error.detail == CHANGED.format("page 1 says has_more=False at total_count 4")


async def test_a_short_page_names_its_page(px: PackageX, mock_api: MockAPI) -> None:
    items = [batch_json(n) for n in range(6)]
    mock_api.get("/v1/batches", payload=page_envelope(items[0:2], page=1, limit=2, total=6))
    short = {"page": 2, "limit": 2, "has_more": True, "total_count": 6}
    mock_api.get("/v1/batches", payload=envelope(items[2:3], pagination=short))

    error = await listing_error(px)

    assert error.page == 2
    assert error.detail == CHANGED.format("page 2 holds 1 items where 2 were due")


def no_total(items: list[Any], page: int) -> dict[str, Any]:
    return envelope(items, pagination={"page": page, "limit": 2, "has_more": True})


@pytest.mark.parametrize(
    ("second", "problem"),
    [
        ([0, 1], "page 2 repeats items already listed, so the listing would not end"),
        ([1, 2], "page 2 holds 1 item(s) that were already listed"),
    ],
)
async def test_a_page_repeating_items_says_whether_the_walk_would_loop(
    px: PackageX, mock_api: MockAPI, second: list[int], problem: str
) -> None:
    mock_api.get("/v1/batches", payload=no_total([batch_json(0), batch_json(1)], page=1))
    mock_api.get("/v1/batches", payload=no_total([batch_json(n) for n in second], page=2))

    error = await listing_error(px)

    assert error.page == 2
    assert error.detail == f"{problem}; stopping the listing"


# -- how far ahead the walk asks


def six_items(mock_api: MockAPI) -> None:
    items = [batch_json(n) for n in range(6)]
    for page in (1, 2, 3):
        chunk = items[(page - 1) * 2 : page * 2]
        mock_api.get("/v1/batches", payload=page_envelope(chunk, page=page, limit=2, total=6))


async def spin(times: int = 200) -> None:
    for _ in range(times):
        await asyncio.sleep(0)


def pages_asked(mock_api: MockAPI) -> list[str]:
    return [url.query["page"] for url, _ in mock_api.sent()]


async def test_concurrency_1_asks_for_a_page_only_when_it_is_wanted(
    px: PackageX, mock_api: MockAPI
) -> None:
    six_items(mock_api)

    async with px.batches.list(limit=2, concurrency=1) as listing:
        async for _ in listing.pages():
            await spin()
            assert pages_asked(mock_api) == ["1"]
            break

    assert pages_asked(mock_api) == ["1"]


async def test_concurrency_2_asks_for_two_pages_ahead(px: PackageX, mock_api: MockAPI) -> None:
    six_items(mock_api)

    async with px.batches.list(limit=2, concurrency=2) as listing:
        async for _ in listing.pages():
            await spin()
            assert sorted(pages_asked(mock_api)) == ["1", "2", "3"]
            break


async def test_a_fan_out_keeps_at_most_n_pages_in_flight(px: PackageX, mock_api: MockAPI) -> None:
    items = [batch_json(n) for n in range(12)]
    released = {page: asyncio.Event() for page in range(1, 7)}
    released[1].set()

    def held(page: int) -> Any:
        async def callback(url: Any, **_: Any) -> None:
            await released[page].wait()

        return callback

    for page in released:
        chunk = items[(page - 1) * 2 : page * 2]
        mock_api.get(
            re.compile(rf".*/v1/batches\?limit=2&page={page}$"),
            payload=page_envelope(chunk, page=page, limit=2, total=12),
            callback=held(page),
        )

    async with px.batches.list(limit=2, concurrency=2) as listing:
        pages = listing.pages()
        got = [await pages.__anext__()]
        await spin()
        assert sorted(pages_asked(mock_api)) == ["1", "2", "3"]
        released[2].set()
        got.append(await pages.__anext__())
        await spin()
        assert sorted(pages_asked(mock_api)) == ["1", "2", "3", "4"], "one out, one in"
        for page in range(3, 7):
            released[page].set()
        got += [page async for page in pages]

    assert [page.pagination.page for page in got] == [1, 2, 3, 4, 5, 6]
