"""exports.create / batches.create: the bodies sent, and every argument checked first."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
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


def workbook(*names: str) -> bytes:
    """A zip holding these parts: with ``xl/workbook.xml``, what an .xlsx file is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


XLSX = workbook("[Content_Types].xml", "xl/workbook.xml")
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(
    ("name", "content", "media"),
    [
        ("rows.csv", b"name\nAda\n", "text/csv"),
        ("rows.csv", "name;city\r\nJos\u00e9;K\u00f6ln\r\n".encode("cp1252"), "text/csv"),
        ("rows.XLSX", XLSX, "application/vnd.openxmlformats-officedocument"),
        ("rows.xls", XLS, "application/vnd.ms-excel"),
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
        ({"csv_field_options": {"timezone": ""}}, PackageXValueError, "must not be empty"),
        ({"csv_field_options": {"columns": {"": True}}}, PackageXValueError, "empty column"),
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
        ({"file": b"\x89PNG\r\n\x1a\n\x00\x00"}, PackageXValueError, "neither CSV text nor"),
        ({"file": b"PK\x03\x04cut"}, PackageXValueError, "not an Excel workbook"),
        ({"file": workbook("word/document.xml")}, PackageXValueError, "not an Excel workbook"),
        ({"file": XLSX[:-30]}, PackageXValueError, "not an Excel workbook .* or it is cut"),
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


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "file '.*empty.csv' is empty"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "'.*photo.csv' is neither CSV text"),
        ("rows.csv", XLSX, r"'.*rows.csv' holds an Excel workbook \(.xlsx\), not .* \(CSV text\)"),
        ("rows.xlsx", b"id,name\n1,a\n", r"holds CSV text, not .* \(an Excel workbook \(.xlsx\)\)"),
        ("rows.xls", XLSX, r"holds an Excel workbook \(.xlsx\), not .*\(.xls\)"),
        ("cut.xlsx", XLSX[:-22], "'.*cut.xlsx' is a zip file but not an Excel workbook"),
    ],
)
async def test_a_file_that_is_not_what_it_says_is_refused_naming_it(
    mock_api: MockAPI, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    async with PackageX(KEY) as px:
        with pytest.raises(PackageXValueError, match=message):
            await px.batches.create(resource="shipment", action="merge", file=path)

    assert mock_api.sent() == []


async def test_a_file_that_cannot_be_read_is_a_value_error_naming_it_not_oserror(
    mock_api: MockAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(b"id\n1\n")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    async with PackageX(KEY) as px:
        with pytest.raises(
            PackageXValueError, match="'.*rows.csv' cannot be read: Permission denied"
        ):
            await px.batches.create(resource="shipment", action="merge", file=path)

    assert mock_api.sent() == []


@pytest.mark.parametrize(
    "arguments",
    [
        {"data": [{"weight": float("nan")}]},
        {"data": [{"ok": 1}, {"dims": [1.0, float("inf")]}]},
        {"data": [{"ok": 1}], "extra_body": {"score": -float("inf")}},
    ],
)
async def test_nan_and_infinity_in_a_batch_are_refused_before_sending(
    mock_api: MockAPI, arguments: dict[str, Any]
) -> None:
    async with PackageX(KEY) as px:
        with pytest.raises(
            PackageXValueError, match="numbers must be finite and fit in 64 bits: .* is -?(nan|inf)"
        ):
            await px.batches.create(resource="contact", action="merge", **arguments)

    assert mock_api.sent() == []


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"direction": "sideways"}, PackageXValueError, r"options\['direction'\] must be one of"),
        ({"direction": 1}, PackageXTypeError, r"options\['direction'\]"),
        ({"order_by": 5}, PackageXTypeError, r"options\['order_by'\] must be a string"),
        ({"order_by": ""}, PackageXValueError, r"options\['order_by'\] must name a field"),
        ({"created_at": "yesterday"}, PackageXValueError, "must start with one of equals"),
        ({"created_at": "after:2024-01-01"}, PackageXValueError, "must start with one of"),
        ({"created_at": "gte:2024-13-01"}, PackageXValueError, "'2024-13-01' .* is not an ISO"),
        ({"created_at": "gte:"}, PackageXValueError, "is not an ISO 8601 date"),
        ({"updated_at": "bwi:2024-01-01"}, PackageXValueError, "bwi takes exactly two dates"),
        ({"updated_at": [since(dt.date(2024, 1, 1)), "x"]}, PackageXValueError, "'x'"),
        ({"created_at": []}, PackageXTypeError, "date filter"),
        ({"weight": float("nan")}, PackageXValueError, r"options\['weight'\] is nan"),
    ],
)
async def test_export_options_are_checked_by_the_list_rules(
    mock_api: MockAPI, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    async with PackageX(KEY) as px:
        with pytest.raises(error, match=message):
            await px.exports.create(resource="shipment", options=options)

    assert mock_api.sent() == []


@pytest.mark.parametrize(
    "options",
    [
        {"direction": "desc", "order_by": "created_at", "limit": "all"},
        {"created_at": "bwi:2024-01-01,2024-01-31T23:59:59.999Z", "group_id": "grp_1"},
        {"created_at": [since(dt.date(2024, 1, 1)), until(dt.datetime(2024, 2, 1, 12))]},
        {"updated_at": "in:2024-01-01,2024-01-02,2024-01-03"},
        {"updated_at": "gte:2024-01-01T08:00:00+0200", "weight": 1.5},
    ],
)
async def test_documented_export_options_pass(mock_api: MockAPI, options: dict[str, Any]) -> None:
    mock_api.add("/v1/exports", "POST", status=201, payload=envelope({"id": "e"}))
    async with PackageX(KEY) as px:
        await px.exports.create(resource="shipment", options=options)

    assert len(mock_api.sent()) == 1


@pytest.mark.parametrize("edge", [dt.datetime.min, dt.datetime.max], ids=["min", "max"])
@pytest.mark.parametrize("write", [since, until])
def test_since_and_until_at_the_edge_of_the_datetime_range_raise_the_sdks_error(
    edge: dt.datetime, write: Any
) -> None:
    offset = dt.timedelta(hours=5 if edge == dt.datetime.min else -5)
    with pytest.raises(PackageXValueError, match=r"within the years 1-9999 in UTC"):
        write(edge.replace(tzinfo=dt.timezone(offset)))
    assert write(edge).startswith(("gte:", "lte:")), "a naive edge is UTC already"
