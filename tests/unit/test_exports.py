"""Request shapes and decoding for ``px.exports`` (aioresponses; no network)."""

from __future__ import annotations

import pytest

from packagex_async import (
    Export,
    ExportOrderBy,
    ExportResource,
    ExportStatus,
    PackageX,
    SortDirection,
)

from ..builders import KEY, envelope, export_json, page_envelope
from ..conftest import MockAPI


async def test_retrieve_decodes_the_export_and_its_urls(px: PackageX, mock_api: MockAPI) -> None:
    body = export_json(
        1,
        _json_url="https://s/j",
        _csv_url="https://s/c",
        _csv_error_url="https://s/e",
        _csv_sanitized_url="https://s/s",
    )
    mock_api.get("/v1/exports/exp_0001", payload=envelope(body))

    export = await px.exports.retrieve("exp_0001", include_csv=True, include_json=True)

    [(url, kwargs)] = mock_api.sent()
    assert url.path == "/v1/exports/exp_0001"
    assert dict(url.query) == {"include_csv": "true", "include_json": "true"}
    assert kwargs["headers"]["PX-API-KEY"] == KEY
    assert isinstance(export, Export)
    assert export.status is ExportStatus.COMPLETED
    assert export.resource is ExportResource.SHIPMENT
    assert (export.json_url, export.csv_url) == ("https://s/j", "https://s/c")
    assert (export.csv_error_url, export.csv_sanitized_url) == ("https://s/e", "https://s/s")
    assert export.count_total == 40


@pytest.mark.parametrize("flag", ["include_csv", "include_json"])
async def test_each_include_flag_alone(px: PackageX, mock_api: MockAPI, flag: str) -> None:
    mock_api.get("/v1/exports/e", payload=envelope(export_json(1)))

    await px.exports.retrieve("e", **{flag: True})

    [(url, _)] = mock_api.sent()
    assert dict(url.query) == {flag: "true"}


async def test_list_walks_every_page_at_the_default_size_of_10(
    px: PackageX, mock_api: MockAPI
) -> None:
    items = [export_json(n) for n in range(23)]
    for page in (1, 2, 3):
        chunk = items[(page - 1) * 10 : page * 10]
        mock_api.get("/v1/exports", payload=page_envelope(chunk, page=page, limit=10, total=23))

    got = [export.id async for export in px.exports.list()]

    assert got == [item["id"] for item in items]
    queries = [dict(url.query) for url, _ in mock_api.sent()]
    assert queries == [{"page": str(n), "limit": "10"} for n in (1, 2, 3)]


async def test_list_sends_every_parameter(px: PackageX, mock_api: MockAPI) -> None:
    mock_api.get("/v1/exports", payload=page_envelope([], page=2, limit=50, total=0))

    paginator = px.exports.list(
        order_by="count_total",
        direction="desc",
        resource="shipping_label_inference",
        statuses=["completed", "failed"],
        search="weekly report",
        page=2,
        limit=50,
    )
    [e async for e in paginator]

    [(url, _)] = mock_api.sent()
    assert dict(url.query) == {
        "order_by": "count_total",
        "direction": "desc",
        "resource": "shipping_label_inference",
        "statuses": "completed,failed",
        "search": "weekly report",
        "page": "2",
        "limit": "50",
    }


@pytest.mark.parametrize(
    ("statuses", "sent"),
    [
        ("queued", "queued"),
        (ExportStatus.PROCESSING, "processing"),
        ((ExportStatus.TIMED_OUT, "failed"), "timed_out,failed"),
        (["completed", ExportStatus.COMPLETED], "completed"),
        (lambda: iter(["queued", "processing"]), "queued,processing"),
    ],
)
async def test_statuses_take_one_value_or_several(
    px: PackageX, mock_api: MockAPI, statuses: object, sent: str
) -> None:
    """A one-shot iterator is made per run (a callable), so the test can run twice."""
    mock_api.get("/v1/exports", payload=page_envelope([], page=1, limit=10, total=0))
    given = statuses() if callable(statuses) else statuses

    [e async for e in px.exports.list(statuses=given)]

    [(url, _)] = mock_api.sent()
    assert url.query["statuses"] == sent


async def test_enum_members_are_sent_as_their_values(px: PackageX, mock_api: MockAPI) -> None:
    mock_api.get("/v1/exports", payload=page_envelope([], page=1, limit=10, total=0))

    paginator = px.exports.list(
        order_by=ExportOrderBy.UPDATED_AT,
        direction=SortDirection.ASC,
        resource=ExportResource.LOCATION,
    )
    [e async for e in paginator]

    [(url, _)] = mock_api.sent()
    assert url.query["order_by"] == "updated_at"
    assert url.query["direction"] == "asc"
    assert url.query["resource"] == "location"
