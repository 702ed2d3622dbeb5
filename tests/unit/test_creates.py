"""exports.create / batches.create: the bodies sent, and every argument checked first."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import pytest

from packagex_async import (
    Batch,
    Export,
    PackageX,
    PackageXTypeError,
    PackageXValueError,
    between,
    since,
    until,
)

from ..builders import KEY, envelope
from ..conftest import MockAPI


def sent_body(mock_api: MockAPI) -> Any:
    ((_, call),) = mock_api.sent()
    assert call["headers"]["Content-Type"] == "application/json"
    return orjson.loads(call["data"])


@pytest.fixture
def created_export(mock_api: MockAPI) -> MockAPI:
    body = envelope({"id": "exp_new", "status": "queued", "resource": "shipment"}, status=201)
    mock_api.add("/v1/exports", "POST", status=201, payload=body)
    return mock_api


@pytest.fixture
def created_batch(mock_api: MockAPI) -> MockAPI:
    body = envelope({"id": "batch_new", "status": "requested"}, status=201)
    mock_api.add("/v1/batches", "POST", status=201, payload=body, repeat=True)
    return mock_api


async def test_an_export_is_created_from_the_documented_body(created_export: MockAPI) -> None:
    async with PackageX(KEY) as px:
        export = await px.exports.create(
            resource="shipment",
            options={"limit": "all", "created_at": since(dt.date(2024, 1, 1))},
            csv_field_options={"timezone": "Europe/Berlin", "columns": {"id": True}},
        )

    assert isinstance(export, Export)
    assert (export.id, export.status) == ("exp_new", "queued")
    assert sent_body(created_export) == {
        "resource": "shipment",
        "options": {"limit": "all", "created_at": "gte:2024-01-01"},
        "csv_field_options": {"timezone": "Europe/Berlin", "columns": {"id": True}},
    }


async def test_none_keys_are_left_out_and_extra_body_is_merged_last(
    created_export: MockAPI,
) -> None:
    async with PackageX(KEY) as px:
        await px.exports.create(resource="contact", extra_body={"name": "weekly", "x": 1})

    assert sent_body(created_export) == {"resource": "contact", "name": "weekly", "x": 1}


def test_date_filters_are_written_as_documented() -> None:
    assert since(dt.date(2024, 1, 1)) == "gte:2024-01-01"
    assert until(dt.date(2024, 1, 31)) == "lte:2024-01-31"
    moment = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert since(moment) == "gte:2024-01-01T10:00:00Z"
    assert until(dt.datetime(2024, 1, 1, 8, 30)) == "lte:2024-01-01T08:30:00Z"
    with pytest.raises(PackageXTypeError, match=r"since\(\) takes a datetime.date"):
        since("2024-01-01")  # type: ignore[arg-type]


def test_a_range_is_one_bwi_condition_with_the_earlier_date_first() -> None:
    assert between(dt.date(2024, 1, 1), dt.date(2024, 1, 31)) == "bwi:2024-01-01,2024-01-31"
    assert between(dt.date(2024, 1, 1), dt.datetime(2024, 1, 1, 8, 30)) == (
        "bwi:2024-01-01,2024-01-01T08:30:00Z"
    )
    with pytest.raises(PackageXValueError, match="earlier date first, got 2024-02-01 after"):
        between(dt.date(2024, 2, 1), dt.date(2024, 1, 1))
    with pytest.raises(PackageXTypeError, match=r"between\(\) takes a datetime.date"):
        between(dt.date(2024, 2, 1), "2024-03-01")  # type: ignore[arg-type]


async def test_a_batch_of_rows(created_batch: MockAPI) -> None:
    rows = [{"name": "Ada"}, {"name": "Grace"}, {"name": "Edsger"}]
    async with PackageX(KEY) as px:
        batch = await px.batches.create(
            resource="contact", action="merge", data=rows, save_result=True, mode="sync"
        )

    assert isinstance(batch, Batch)
    assert sent_body(created_batch) == {
        "resource": "contact",
        "action": "merge",
        "data": rows,
        "mode": "sync",
        "save_result": True,
    }


@pytest.mark.parametrize(
    ("name", "content", "media"),
    [
        ("rows.csv", b"name\nAda\n", "text/csv"),
        ("rows.XLSX", b"PK\x03\x04rest", "application/vnd.openxmlformats-officedocument"),
        ("rows.xls", b"\xd0\xcf\x11\xe0rest", "application/vnd.ms-excel"),
    ],
)
async def test_a_file_is_sent_as_a_base64_data_url(
    created_batch: MockAPI, tmp_path: Path, name: str, content: bytes, media: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    async with PackageX(KEY) as px:
        await px.batches.create(resource="shipment", action="merge", file=path)
        await px.batches.create(resource="shipment", action="merge", file=content)

    for _, call in created_batch.sent():
        url = orjson.loads(call["data"])["data"]
        head, encoded = url.split(",", 1)
        assert head.startswith(f"data:{media}")
        assert head.endswith(";base64")
        assert base64.b64decode(encoded) == content


async def test_a_web_url_is_sent_as_given(created_batch: MockAPI) -> None:
    async with PackageX(KEY) as px:
        await px.batches.create(resource="tracker", action="merge", url="https://x.example/t.csv")

    assert sent_body(created_batch)["data"] == "https://x.example/t.csv"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"resource": "shipments"}, PackageXValueError, "resource must be one of"),
        ({"resource": "asset"}, None, ""),
        ({"resource": "fulfillment"}, None, ""),
        ({"options": [("limit", 1)]}, PackageXTypeError, "options must be a mapping"),
        ({"options": {"limit": 0}}, PackageXValueError, r"options\['limit'\] must be"),
        ({"options": {"limit": "some"}}, PackageXTypeError, r"options\['limit'\] must be"),
        ({"options": {"created_at": dt.date(2024, 1, 1)}}, PackageXTypeError, "since"),
        ({"csv_field_options": {"columns": ["id"]}}, PackageXTypeError, "columns"),
        ({"csv_field_options": {"columns": {"id": 1}}}, PackageXValueError, "to True"),
        ({"csv_field_options": {"timezone": 2}}, PackageXTypeError, "timezone"),
        ({"extra_body": {"x": object()}}, PackageXTypeError, "cannot be sent as JSON"),
    ],
)
async def test_export_arguments_are_checked_before_sending(
    mock_api: MockAPI, kwargs: dict[str, Any], error: type[Exception] | None, message: str
) -> None:
    mock_api.add("/v1/exports", "POST", status=201, payload=envelope({"id": "e"}))
    arguments = {"resource": "shipment", **kwargs}
    async with PackageX(KEY) as px:
        if error is None:
            await px.exports.create(**arguments)
            assert len(mock_api.sent()) == 1
            return
        with pytest.raises(error, match=message):
            await px.exports.create(**arguments)

    assert mock_api.sent() == []


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, PackageXValueError, "exactly one of data, file and url, got none"),
        ({"data": [{}], "url": "https://x/a.csv"}, PackageXValueError, "got data, url"),
        ({"data": []}, PackageXValueError, "at least one row"),
        ({"data": {"name": "Ada"}}, PackageXTypeError, "data must be a list of rows"),
        ({"data": ["Ada"]}, PackageXTypeError, r"data\[0\] must be a mapping"),
        ({"file": "rows.txt"}, PackageXValueError, "must be a .csv, .xlsx or .xls"),
        ({"file": "missing.csv"}, PackageXValueError, "does not exist"),
        ({"file": b""}, PackageXValueError, "file is empty"),
        ({"file": 12}, PackageXTypeError, "file must be a path or bytes"),
        ({"url": "http://x/a.csv"}, PackageXValueError, "https://"),
        ({"resource": "tracker", "action": "overwrite"}, PackageXValueError, "must be 'merge'"),
        ({"action": "upsert"}, PackageXValueError, "action must be one of"),
        ({"mode": "async"}, PackageXValueError, "mode must be one of 'sync', 'mixed'"),
        ({"save_result": "yes"}, PackageXTypeError, "save_result must be True or False"),
        ({"duplicate_handling": "last"}, PackageXValueError, "duplicate_handling"),
    ],
)
async def test_batch_arguments_are_checked_before_sending(
    mock_api: MockAPI, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    arguments: dict[str, Any] = {"resource": "contact", "action": "merge"}
    if not {"data", "file", "url"} & set(kwargs) and kwargs:
        arguments["data"] = [{"name": "Ada"}]
    async with PackageX(KEY) as px:
        with pytest.raises(error, match=message):
            await px.batches.create(**{**arguments, **kwargs})

    assert mock_api.sent() == []
