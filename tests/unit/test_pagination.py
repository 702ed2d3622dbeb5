"""The paginator's walks, checked on scripted pages (no network)."""

from __future__ import annotations

from typing import Any

import pytest

from packagex_async import PackageX, PaginationError

from ..builders import batch_json, envelope, page_envelope
from ..conftest import MockAPI


def no_total(items: list[Any], *, page: int, has_more: bool) -> dict[str, Any]:
    return envelope(items, pagination={"page": page, "limit": 2, "has_more": has_more})


async def test_fan_out_falls_back_to_has_more_without_total_count(
    px: PackageX, mock_api: MockAPI
) -> None:
    items = [batch_json(n) for n in range(5)]
    mock_api.get("/v1/batches", payload=no_total(items[0:2], page=1, has_more=True))
    mock_api.get("/v1/batches", payload=no_total(items[2:4], page=2, has_more=True))
    mock_api.get("/v1/batches", payload=no_total(items[4:], page=3, has_more=False))

    got = [b.id async for b in px.batches.list(limit=2, concurrency=8)]

    assert got == [item["id"] for item in items]
    assert [url.query["page"] for url, _ in mock_api.sent()] == ["1", "2", "3"]


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_a_changed_total_count_stops_the_listing(
    px: PackageX, mock_api: MockAPI, concurrency: int
) -> None:
    items = [batch_json(n) for n in range(6)]
    mock_api.get("/v1/batches", payload=page_envelope(items[0:2], page=1, limit=2, total=4))
    mock_api.get("/v1/batches", payload=page_envelope(items[3:5], page=2, limit=2, total=5))

    with pytest.raises(PaginationError, match="the list changed while it was being read") as caught:
        [b async for b in px.batches.list(limit=2, concurrency=concurrency)]

    assert caught.value.page == 2
    assert "total_count was 4 on the first page and is now 5" in str(caught.value)


async def test_a_short_page_before_the_end_stops_the_listing(
    px: PackageX, mock_api: MockAPI
) -> None:
    items = [batch_json(n) for n in range(6)]
    mock_api.get("/v1/batches", payload=page_envelope(items[0:2], page=1, limit=2, total=6))
    short = envelope(
        items[2:3], pagination={"page": 2, "limit": 2, "has_more": True, "total_count": 6}
    )
    mock_api.get("/v1/batches", payload=short)

    with pytest.raises(PaginationError, match="page 2 holds 1 items where 2 were due"):
        [b async for b in px.batches.list(limit=2)]


async def test_concurrency_must_be_a_positive_integer(px: PackageX) -> None:
    with pytest.raises(ValueError, match="concurrency must be an integer >= 1, got 0"):
        px.batches.list(concurrency=0)
    with pytest.raises(TypeError, match="concurrency must be an integer >= 1"):
        px.exports.list(concurrency=2.0)  # type: ignore[arg-type]


def three_pages(mock_api: MockAPI) -> list[dict[str, Any]]:
    items = [batch_json(n) for n in range(6)]
    for page in (1, 2, 3):
        chunk = items[(page - 1) * 2 : page * 2]
        mock_api.get("/v1/batches", payload=page_envelope(chunk, page=page, limit=2, total=6))
    return items


async def test_next_page_moves_on_with_the_last_item_of_a_page(
    px: PackageX, mock_api: MockAPI
) -> None:
    items = three_pages(mock_api)
    paginator = px.batches.list(limit=2)
    seen, resume_points = [], []
    async for batch in paginator:
        seen.append(batch.id)
        resume_points.append(paginator.next_page)

    assert seen == [item["id"] for item in items]
    assert resume_points == [1, 2, 2, 3, 3, None]


async def test_breaking_mid_page_resumes_at_that_page(px: PackageX, mock_api: MockAPI) -> None:
    three_pages(mock_api)
    paginator = px.batches.list(limit=2)
    async with paginator:
        async for batch in paginator:
            if batch.id == "batch_0002":  # the first item of page 2
                break

    assert paginator.next_page == 2


async def test_pages_move_next_page_as_each_page_is_handed_over(
    px: PackageX, mock_api: MockAPI
) -> None:
    three_pages(mock_api)
    paginator = px.batches.list(limit=2)
    async with paginator:
        async for page in paginator.pages():
            assert paginator.next_page == page.pagination.page + 1
            break

    assert paginator.next_page == 2


async def test_listing_from_page_none_is_empty_and_sends_nothing(
    px: PackageX, mock_api: MockAPI
) -> None:
    paginator = px.exports.list(page=None)

    assert [e async for e in paginator] == []
    assert paginator.next_page is None
    assert mock_api.sent() == []


async def test_the_envelope_s_events_are_kept_on_the_page_and_absent_is_none(
    px: PackageX, mock_api: MockAPI
) -> None:
    events = [{"id": "evt_1", "type": "batch.updated"}]
    first = page_envelope([batch_json(0)], page=1, limit=1, total=2)
    mock_api.get("/v1/batches", payload={**first, "events": events})
    mock_api.get("/v1/batches", payload=page_envelope([batch_json(1)], page=2, limit=1, total=2))

    pages = [page async for page in px.batches.list(limit=1).pages()]

    assert [page.events for page in pages] == [events, None]
