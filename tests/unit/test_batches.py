"""Request shapes and decoding for ``px.batches`` (aioresponses; no network)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from packagex_async import (
    Batch,
    BatchMode,
    BatchResource,
    BatchStatus,
    BatchVia,
    PackageX,
    Page,
    PaginationError,
    PermissionDeniedError,
)

from ..builders import KEY, batch_json, envelope, page_envelope
from ..conftest import MockAPI


async def test_retrieve_sends_key_and_decodes_the_batch(px: PackageX, mock_api: MockAPI) -> None:
    mock_api.get("/v1/batches/batch_0001", payload=envelope(batch_json(1)))

    batch = await px.batches.retrieve("batch_0001")

    [(url, kwargs)] = mock_api.sent()
    assert url.path == "/v1/batches/batch_0001"
    assert dict(url.query) == {}
    assert kwargs["headers"]["PX-API-KEY"] == KEY
    assert kwargs["allow_redirects"] is False
    assert isinstance(batch, Batch)
    assert batch.id == "batch_0001"
    assert batch.status is BatchStatus.COMPLETED
    assert batch.created_at == datetime.fromtimestamp(1_700_000_001, tz=timezone.utc)
    assert batch.phases[0].error == 1
    assert batch.stats is not None
    assert batch.stats.events == 2


@pytest.mark.parametrize(
    ("flag", "attribute"),
    [
        ("include_upload_csv", "upload_csv_url"),
        ("include_upload_json", "upload_json_url"),
        ("include_errors_csv", "errors_csv_url"),
        ("include_errors_json", "errors_json_url"),
        ("include_result_json", "result_json_url"),
    ],
)
async def test_each_include_flag_is_sent_and_its_url_decoded(
    px: PackageX, mock_api: MockAPI, flag: str, attribute: str
) -> None:
    signed = "https://storage.example/file?sig=1"
    body = batch_json(1, **{f"_{attribute}": signed})
    mock_api.get("/v1/batches/batch_0001", payload=envelope(body))

    batch = await px.batches.retrieve("batch_0001", **{flag: True})

    [(url, _)] = mock_api.sent()
    assert dict(url.query) == {flag: "true"}
    assert getattr(batch, attribute) == signed


async def test_all_include_flags_together(px: PackageX, mock_api: MockAPI) -> None:
    mock_api.get("/v1/batches/b", payload=envelope(batch_json(1)))

    await px.batches.retrieve(
        "b",
        include_upload_csv=True,
        include_upload_json=True,
        include_errors_csv=True,
        include_errors_json=True,
        include_result_json=True,
    )

    [(url, _)] = mock_api.sent()
    assert set(url.query) == {
        "include_upload_csv",
        "include_upload_json",
        "include_errors_csv",
        "include_errors_json",
        "include_result_json",
    }
    assert set(url.query.values()) == {"true"}


@pytest.mark.parametrize(
    ("batch_id", "raw_path"),
    [
        ("a/b", "/v1/batches/a%2Fb"),
        ("a b?c#d", "/v1/batches/a%20b%3Fc%23d"),
        ("batch_%2F", "/v1/batches/batch_%252F"),
    ],
)
async def test_ids_are_one_encoded_path_segment(
    px: PackageX, mock_api: MockAPI, batch_id: str, raw_path: str
) -> None:
    mock_api.add(re.compile(r".*"), payload=envelope(batch_json(1)))

    await px.batches.retrieve(batch_id)

    [(url, _)] = mock_api.sent()
    assert url.raw_path == raw_path


async def test_list_walks_every_page_at_the_default_size_of_25(
    px: PackageX, mock_api: MockAPI
) -> None:
    items = [batch_json(n) for n in range(60)]
    for page in (1, 2, 3):
        chunk = items[(page - 1) * 25 : page * 25]
        mock_api.get("/v1/batches", payload=page_envelope(chunk, page=page, limit=25, total=60))

    got = [batch.id async for batch in px.batches.list()]

    assert got == [item["id"] for item in items]
    queries = [dict(url.query) for url, _ in mock_api.sent()]
    assert queries == [{"page": str(n), "limit": "25"} for n in (1, 2, 3)]


async def test_list_stops_on_an_exact_multiple_of_the_page_size(
    px: PackageX, mock_api: MockAPI
) -> None:
    items = [batch_json(n) for n in range(50)]
    for page in (1, 2):
        chunk = items[(page - 1) * 25 : page * 25]
        mock_api.get("/v1/batches", payload=page_envelope(chunk, page=page, limit=25, total=50))

    got = [batch.id async for batch in px.batches.list()]

    assert len(got) == 50
    assert len(mock_api.sent()) == 2


async def test_list_of_nothing_yields_nothing(px: PackageX, mock_api: MockAPI) -> None:
    mock_api.get("/v1/batches", payload=page_envelope([], page=1, limit=25, total=0))

    assert [b async for b in px.batches.list()] == []


async def test_list_sends_every_filter_and_accepts_enum_members(
    px: PackageX, mock_api: MockAPI
) -> None:
    mock_api.get("/v1/batches", payload=page_envelope([], page=1, limit=25, total=0))
    mock_api.get("/v1/batches", payload=page_envelope([], page=1, limit=25, total=0))

    [
        b
        async for b in px.batches.list(
            resource="contact", mode="mixed", via="file", status="queued"
        )
    ]
    paginator = px.batches.list(
        resource=BatchResource.TRACKER,
        mode=BatchMode.SYNC,
        via=BatchVia.API,
        status=BatchStatus.TIMED_OUT,
    )
    [b async for b in paginator]

    first, second = (dict(url.query) for url, _ in mock_api.sent())
    assert first == {
        "resource": "contact",
        "mode": "mixed",
        "via": "file",
        "status": "queued",
        "page": "1",
        "limit": "25",
    }
    assert second == {
        "resource": "tracker",
        "mode": "sync",
        "via": "api",
        "status": "timed_out",
        "page": "1",
        "limit": "25",
    }


async def test_list_starts_at_page_and_uses_limit(px: PackageX, mock_api: MockAPI) -> None:
    mock_api.get("/v1/batches", payload=page_envelope([batch_json(1)], page=4, limit=7, total=22))

    got = [b.id async for b in px.batches.list(page=4, limit=7)]

    assert got == ["batch_0001"]
    [(url, _)] = mock_api.sent()
    assert dict(url.query) == {"page": "4", "limit": "7"}


async def test_pages_yield_data_and_pagination(px: PackageX, mock_api: MockAPI) -> None:
    mock_api.get("/v1/batches", payload=page_envelope([batch_json(1)], page=1, limit=1, total=2))
    mock_api.get("/v1/batches", payload=page_envelope([batch_json(2)], page=2, limit=1, total=2))

    pages = [page async for page in px.batches.list(limit=1).pages()]

    assert all(isinstance(page, Page) for page in pages)
    assert [[b.id for b in page.data] for page in pages] == [["batch_0001"], ["batch_0002"]]
    assert [page.pagination.page for page in pages] == [1, 2]
    assert [page.pagination.has_more for page in pages] == [True, False]
    assert pages[0].pagination.total_count == 2
    assert pages[0].pagination.limit == 1


async def test_list_is_lazy_and_can_be_iterated_again(px: PackageX, mock_api: MockAPI) -> None:
    paginator = px.batches.list()
    assert mock_api.sent() == []
    for _ in range(2):
        mock_api.get(
            "/v1/batches", payload=page_envelope([batch_json(1)], page=1, limit=25, total=1)
        )

    first = [b.id async for b in paginator]
    second = [b.id async for b in paginator]

    assert first == second == ["batch_0001"]
    assert paginator.next_page is None


async def test_empty_page_that_claims_more_stops_with_an_error(
    px: PackageX, mock_api: MockAPI
) -> None:
    pagination = {"page": 1, "limit": 25, "has_more": True, "total_count": 99}
    mock_api.get("/v1/batches", payload=envelope([], pagination=pagination), repeat=True)

    with pytest.raises(PaginationError, match="page 1 is empty but claims more") as caught:
        [b async for b in px.batches.list()]

    assert caught.value.page == 1
    assert len(mock_api.sent()) == 1


async def test_page_number_that_does_not_advance_stops_with_an_error(
    px: PackageX, mock_api: MockAPI
) -> None:
    stuck = page_envelope([batch_json(1)], page=1, limit=1, total=5)
    mock_api.get("/v1/batches", payload=stuck, repeat=True)

    got = []
    with pytest.raises(PaginationError, match="asked for page 2 but the API answered page 1"):
        async for batch in px.batches.list(limit=1):
            got.append(batch.id)

    assert got == ["batch_0001"]
    assert len(mock_api.sent()) == 2


async def test_a_failed_page_is_named_and_the_listing_resumes_from_it(
    px: PackageX, mock_api: MockAPI
) -> None:
    items = [batch_json(n) for n in range(3)]
    mock_api.get("/v1/batches", payload=page_envelope(items[:1], page=1, limit=1, total=3))
    mock_api.get("/v1/batches", status=403, payload=envelope(None, status=403, message="no"))
    mock_api.get("/v1/batches", payload=page_envelope(items[1:2], page=2, limit=1, total=3))
    mock_api.get("/v1/batches", payload=page_envelope(items[2:], page=3, limit=1, total=3))

    paginator = px.batches.list(limit=1)
    seen = []
    with pytest.raises(PermissionDeniedError, match=r"resume with list\(page=2\)") as caught:
        async for batch in paginator:
            seen.append(batch.id)
    assert caught.value.page == 2
    assert paginator.next_page == 2

    seen += [batch.id async for batch in px.batches.list(limit=1, page=paginator.next_page)]

    assert seen == [item["id"] for item in items]
