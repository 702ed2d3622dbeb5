"""Request shapes and decoding for ``px.imports`` (aioresponses; no network)."""

from __future__ import annotations

import base64
from typing import Any

import orjson
import pytest

from packagex_async import (
    Import,
    ImportResource,
    ImportStatus,
    PackageX,
    PackageXTypeError,
    PackageXValueError,
    to_dict,
)

from ..builders import KEY, envelope, page_envelope
from ..conftest import MockAPI


def import_json(number: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"imp_{number:04d}",
        "object": "import",
        "name": f"Contacts {number}",
        "resource": "contact",
        "action": "merge",
        "status": "processing",
        "created_by": "user_1",
        "has_upload_file": True,
        "has_errors_file": False,
        "column_mapping": {"name": "Full name"},
        "phases": [{"name": "prevalidation", "total": 3, "processed": 3, "success": 3}],
        "created_at": 1_700_000_000 + number,
        "_upload_csv_url": None,
        **fields,
    }


def sent_body(mock_api: MockAPI) -> Any:
    ((_, call),) = mock_api.sent()
    return orjson.loads(call["data"])


@pytest.fixture
def created(mock_api: MockAPI) -> MockAPI:
    body = envelope(import_json(1, status="queued"), status=201)
    mock_api.add("/v1/imports", "POST", status=201, payload=body, repeat=True)
    return mock_api


async def test_retrieve_asks_for_the_files_and_decodes_the_import(
    px: PackageX, mock_api: MockAPI
) -> None:
    url = "https://files.example/imp_0001/errors.csv?X-Sig=secret"
    mock_api.get(
        "/v1/imports/imp_0001?include_errors_csv=true&include_upload_json=true",
        payload=envelope(import_json(1, _errors_csv_url=url)),
    )

    found = await px.imports.retrieve("imp_0001", include_upload_json=True, include_errors_csv=True)

    [(sent, kwargs)] = mock_api.sent()
    assert sent.path == "/v1/imports/imp_0001"
    assert dict(sent.query) == {"include_upload_json": "true", "include_errors_csv": "true"}
    assert kwargs["headers"]["PX-API-KEY"] == KEY
    assert isinstance(found, Import)
    assert found.status is ImportStatus.PROCESSING
    assert found.resource is ImportResource.CONTACT
    assert (found.name, found.created_by, found.has_upload_file) == ("Contacts 1", "user_1", True)
    assert found.column_mapping == {"name": "Full name"}
    assert found.phases[0].name == "prevalidation"
    assert found.errors_csv_url == url
    assert "secret" not in repr(found)


def test_import_statuses_are_the_batch_statuses() -> None:
    from packagex_async import BatchStatus

    assert ImportStatus is BatchStatus


async def test_list_pages_by_ten_without_typed_filters(px: PackageX, mock_api: MockAPI) -> None:
    items = [import_json(n) for n in range(12)]
    mock_api.get("/v1/imports", payload=page_envelope(items[:10], page=1, limit=10, total=12))
    mock_api.get("/v1/imports", payload=page_envelope(items[10:], page=2, limit=10, total=12))

    got = [i.id async for i in px.imports.list(extra_query={"search": "x"})]

    assert got == [item["id"] for item in items]
    assert [dict(url.query) for url, _ in mock_api.sent()] == [
        {"search": "x", "limit": "10", "page": "1"},
        {"search": "x", "limit": "10", "page": "2"},
    ]


async def test_create_sends_rows_and_the_documented_options(created: MockAPI) -> None:
    async with PackageX(KEY) as px:
        job = await px.imports.create(
            resource="contact",
            action="merge",
            data=[{"name": "Ada"}],
            upload_mode="sync",
            location_id="loc_1",
            duplicate_handling="use_first",
            save_upload=False,
        )

    assert job.status is ImportStatus.QUEUED
    assert sent_body(created) == {
        "resource": "contact",
        "action": "merge",
        "upload_mode": "sync",
        "data": [{"name": "Ada"}],
        "location_id": "loc_1",
        "duplicate_handling": "use_first",
        "save_upload": False,
    }


async def test_a_file_goes_in_data_as_a_base64_data_url(created: MockAPI) -> None:
    async with PackageX(KEY) as px:
        await px.imports.create(resource="group", action="overwrite", file=b"name\nops\n")

    body = sent_body(created)
    assert body["data"] == "data:text/csv;base64," + base64.b64encode(b"name\nops\n").decode()
    assert "upload_mode" not in body


async def test_an_async_import_sends_no_data(created: MockAPI) -> None:
    async with PackageX(KEY) as px:
        await px.imports.create(resource="contact", action="merge", upload_mode="async")

    assert sent_body(created) == {"resource": "contact", "action": "merge", "upload_mode": "async"}


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (
            {"resource": "shipment"},
            PackageXValueError,
            "resource must be one of 'contact', 'group'",
        ),
        ({"action": "merge!"}, PackageXValueError, "action must be one of"),
        (
            {"data": None},
            PackageXValueError,
            "give data \\(rows\\) or file, or upload_mode='async'",
        ),
        ({"file": b"x"}, PackageXValueError, "give data or file, not both"),
        ({"upload_mode": "async"}, PackageXValueError, "'async' takes no data or file"),
        (
            {"upload_mode": "later"},
            PackageXValueError,
            "upload_mode must be one of 'sync', 'async'",
        ),
        ({"location_id": 5}, PackageXTypeError, "location_id must be a str"),
        ({"save_upload": "yes"}, PackageXTypeError, "save_upload must be True or False"),
    ],
)
async def test_a_bad_argument_is_refused_before_anything_is_sent(
    mock_api: MockAPI, arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    given: dict[str, Any] = {"resource": "contact", "action": "merge", "data": [{"name": "A"}]}
    async with PackageX(KEY) as px:
        with pytest.raises(error, match=message):
            await px.imports.create(**{**given, **arguments})

    assert mock_api.sent() == []


def test_to_dict_takes_an_import() -> None:
    plain = to_dict(Import("imp_1", has_errors_file=True, column_mapping={"a": "b"}))

    assert plain["has_errors_file"] is True
    assert plain["column_mapping"] == {"a": "b"}
