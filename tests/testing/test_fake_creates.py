"""POST /v1/exports and /v1/batches: validation, the created jobs, their moves and files."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from packagex_async.testing import FakePackageX

from ._helpers import ENVELOPE_KEYS, data, download, list_all, post, url

STEP = 10.0  # long steps + clock.advance: no dependence on real timing
RECORDS = 250  # records per resource an export selects from
CONTACTS = [
    {"name": "Ada Abbott", "email": "ada@example.com"},
    {"name": "Bilal Berg", "id": "ctc_existing"},
    {"name": "Chen Costa", "phone": "+15550000001", "tags": ["vip"]},
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def fake() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(step_seconds=STEP) as started:
        yield started


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode())))


def _data_url(media: str, raw: bytes) -> str:
    return f"data:{media};base64,{base64.b64encode(raw).decode()}"


async def _created(
    http: aiohttp.ClientSession, fake: FakePackageX, path: str, body: dict[str, Any]
) -> dict[str, Any]:
    status, envelope = await post(http, fake, path, body)
    assert status == 201, envelope
    assert set(envelope) == ENVELOPE_KEYS
    assert envelope["status"] == 201
    created: dict[str, Any] = envelope["data"]
    return created


async def _files(
    http: aiohttp.ClientSession, fake: FakePackageX, path: str, flags: dict[str, str]
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The job at ``path`` with ``flags``, and the body behind each URL it carries."""
    found = await data(http, fake, path, flags)
    bodies = {}
    for key, target in found.items():
        if key.endswith("_url") and target is not None:
            status, body, _ = await download(http, target)
            assert status == 200
            bodies[key] = body
    return found, bodies


# --- validation ---------------------------------------------------------------------------


def _options(**options: Any) -> dict[str, Any]:
    return {"resource": "shipment", "options": options}


def _csv_options(**options: Any) -> dict[str, Any]:
    return {"resource": "shipment", "csv_field_options": options}


def _merge(**fields: Any) -> dict[str, Any]:
    return {"resource": "contact", "action": "merge", **fields}


@pytest.mark.parametrize(
    ("body", "properties"),
    [
        ({}, {"resource"}),
        ({"resource": "pallet"}, {"resource"}),
        ({"resource": "shipment", "options": []}, {"options"}),
        ({"resource": "shipment", "csv_field_options": "id"}, {"csv_field_options"}),
        (_options(limit=0), {"options.limit"}),
        (_options(limit="ten"), {"options.limit"}),
        (_options(limit=True), {"options.limit"}),
        (_options(limit=2.5), {"options.limit"}),
        (_options(order_by="colour"), {"options.order_by"}),
        (_options(direction="up"), {"options.direction"}),
        (_options(created_at="2024-01-01"), {"options.created_at"}),
        (_options(created_at="after:2024-01-01"), {"options.created_at"}),
        (_options(created_at="gte:yesterday"), {"options.created_at"}),
        (_options(updated_at="lt:2024-13-01"), {"options.updated_at"}),
        (_options(updated_at=1704067200), {"options.updated_at"}),
        (_options(updated_at=[]), {"options.updated_at"}),
        (_options(created_at=["gte:2024-01-01", "before:2024-02-01"]), {"options.created_at.1"}),
        (_options(created_at="bwi:2024-02-01,2024-01-01"), {"options.created_at"}),
        (_options(created_at="bwi:2024-01-01"), {"options.created_at"}),
        (_options(created_at="gte:2024-01-01,2024-02-01"), {"options.created_at"}),
        (_csv_options(timezone=1), {"csv_field_options.timezone"}),
        (_csv_options(columns=["id"]), {"csv_field_options.columns"}),
        (_csv_options(columns={"id": True, "x": False}), {"csv_field_options.columns.x"}),
        (
            {"resource": "bogus", "options": {"limit": -1, "direction": "sideways"}},
            {"resource", "options.limit", "options.direction"},
        ),
    ],
)
async def test_bad_export_bodies_name_each_failing_property(
    fake: FakePackageX, http: aiohttp.ClientSession, body: dict[str, Any], properties: set[str]
) -> None:
    status, envelope = await post(http, fake, "/v1/exports", body)
    assert status == 400
    assert set(envelope) == ENVELOPE_KEYS
    assert (envelope["status"], envelope["code"], envelope["data"]) == (
        400,
        "validation_error",
        None,
    )
    assert {error["property"] for error in envelope["errors"]} == properties
    assert all(set(error) == {"property", "value", "message"} for error in envelope["errors"])
    assert fake.created_exports == []
    assert len(fake.exports) == 30


@pytest.mark.parametrize(
    ("body", "properties"),
    [
        ({}, {"resource", "action"}),
        ({"resource": "pallet", "action": "merge"}, {"resource"}),
        ({"resource": "contact", "action": "upsert"}, {"action"}),
        ({"resource": "shipment", "action": "overwrite"}, {"action"}),
        ({"resource": "tracker", "action": "delete"}, {"action"}),
        ({"resource": "asset", "action": "overwrite"}, {"action"}),
        (_merge(mode="async"), {"mode"}),
        (_merge(save_upload="true"), {"save_upload"}),
        (_merge(save_result=1), {"save_result"}),
        (_merge(duplicate_handling="use_last"), {"duplicate_handling"}),
        (_merge(data={"name": "A"}), {"data"}),
        (_merge(data=[]), {"data"}),
        (_merge(data=[{"name": "A"}, 3]), {"data.1"}),
        (_merge(data="name\nA"), {"data"}),
        (_merge(data="http://example.com/a.csv"), {"data"}),
        (_merge(data="data:text/plain;base64,QQ=="), {"data"}),
        (_merge(data="data:text/csv;base64,!!"), {"data"}),
        (_merge(data="data:text/csv,name"), {"data"}),
    ],
)
async def test_bad_batch_bodies_name_each_failing_property(
    fake: FakePackageX, http: aiohttp.ClientSession, body: dict[str, Any], properties: set[str]
) -> None:
    status, envelope = await post(http, fake, "/v1/batches", body)
    assert status == 400
    assert envelope["code"] == "validation_error"
    assert {error["property"] for error in envelope["errors"]} == properties
    assert fake.created_batches == []


@pytest.mark.parametrize("path", ["/v1/exports", "/v1/batches"])
@pytest.mark.parametrize("raw", [b"", b"resource=shipment", b"[1, 2]", b'"shipment"', b"{"])
async def test_a_body_that_is_not_a_json_object_is_a_400(
    fake: FakePackageX, http: aiohttp.ClientSession, path: str, raw: bytes
) -> None:
    headers = {"PX-API-KEY": fake.api_key, "Content-Type": "application/json"}
    async with http.post(url(fake, path), data=raw, headers=headers) as response:
        envelope = await response.json()
    assert response.status == 400
    assert envelope["errors"][0]["property"] == "body"
    assert fake.requests[-1].body == raw


async def test_a_body_over_the_size_limit_is_a_413(
    http: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("packagex_async.testing._api.MAX_BODY_BYTES", 1_000)
    body = {"resource": "contact", "action": "merge", "data": [{"name": "x" * 2_000}]}
    async with FakePackageX(batches=0, exports=0) as small:
        status, envelope = await post(http, small, "/v1/batches", body)
        assert (status, envelope["code"]) == (413, "payload_too_large")
        assert small.requests[-1].route == "create_batch"
        assert small.created_batches == []
        assert (await post(http, small, "/v1/batches", _merge(data=[{"name": "A"}])))[0] == 201


async def test_creates_need_the_api_key(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    async with http.post(url(fake, "/v1/exports"), json={"resource": "item"}) as response:
        assert response.status == 401
    assert fake.created_exports == []


# --- exports ------------------------------------------------------------------------------


async def test_created_export_moves_and_is_listed_newest(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    created = await _created(http, fake, "/v1/exports", {"resource": "shipment"})
    assert set(created) == set(fake.exports[0])
    assert created["status"] == "queued"
    assert created["resource"] == "shipment"
    assert created["count_total"] == RECORDS
    newest = await data(
        http, fake, "/v1/exports", {"order_by": "created_at", "direction": "desc", "limit": "1"}
    )
    assert newest == [created]
    statuses = []
    for _ in range(3):
        statuses.append((await data(http, fake, f"/v1/exports/{created['id']}"))["status"])
        fake.clock.advance(STEP)
    assert statuses == ["queued", "processing", "completed"]
    assert fake.created_exports == [fake.exports[-1]]
    assert fake.created_exports[0]["status"] == "completed"


async def test_export_files_hold_the_requested_columns_rows_and_dates(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    body = {
        "resource": "shipment",
        "options": {
            "limit": 7,
            "created_at": "gte:2024-01-01",
            "order_by": "created_at",
            "direction": "desc",
        },
        "csv_field_options": {
            "timezone": "UTC",
            "columns": {"tracking_number": True, "id": True, "created_at": True},
        },
    }
    created = await _created(http, fake, "/v1/exports", body)
    fake.clock.advance(STEP * 2)
    flags = {"include_csv": "true", "include_json": "true"}
    found, files = await _files(http, fake, f"/v1/exports/{created['id']}", flags)
    assert found["status"] == "completed"
    table = _csv(files["_csv_url"])
    assert table[0] == ["tracking_number", "id", "created_at"]
    rows = json.loads(files["_json_url"])
    assert len(table) - 1 == len(rows) == found["count_total"] == 7
    assert all(list(row) == table[0] for row in rows)
    assert [list(row.values()) for row in rows] == table[1:]
    assert all(
        row["id"].startswith("shp_") and row["tracking_number"].startswith("1Z") for row in rows
    )
    stamps = [row["created_at"] for row in rows]
    assert stamps == sorted(stamps, reverse=True)
    assert min(stamps) >= "2024-01-01"
    assert _csv(files["_csv_error_url"]) == [["id", "error"]]


async def test_date_filters_and_limit_split_the_same_records(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    counts = []
    for options in (
        {"created_at": "gte:2024-01-01"},
        {"created_at": "lt:2024-01-01"},
        {"updated_at": "gt:2030-01-01"},
        {"created_at": ["gte:2024-01-01", "lt:2024-01-01T00:00:00Z"]},
        {"created_at": ["gte:2023-06-01T12:00:00Z", "lte:2023-06-30"]},
        {"limit": "all"},
        {"created_at": "bwi:2023-06-01T12:00:00Z,2023-06-30"},
        {"created_at": "not_in:2099-01-01"},
        {"limit": 100, "page": 3},
    ):
        created = await _created(
            http, fake, "/v1/exports", {"resource": "contact", "options": options}
        )
        counts.append(created["count_total"])
    assert 0 < counts[0] < RECORDS
    assert counts[0] + counts[1] == RECORDS
    assert counts[2:4] == [0, 0]
    assert 0 < counts[4] < 20
    assert [counts[5], counts[7], counts[8]] == [RECORDS, RECORDS, RECORDS - 200]
    assert counts[6] == counts[4]  # one bwi: condition keeps what the two conditions kept


async def test_csv_timestamps_follow_the_requested_time_zone(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    body = {
        "resource": "asset",
        "options": {"limit": 3},
        "csv_field_options": {"timezone": "Asia/Tokyo", "columns": {"created_at": True}},
    }
    created = await _created(http, fake, "/v1/exports", body)
    fake.clock.advance(STEP * 2)
    flags = {"include_csv": "true", "include_json": "true"}
    _, files = await _files(http, fake, f"/v1/exports/{created['id']}", flags)
    in_csv = [row[0] for row in _csv(files["_csv_url"])[1:]]
    in_json = [row["created_at"] for row in json.loads(files["_json_url"])]
    assert all(stamp.endswith("+09:00") for stamp in in_csv)
    assert all(stamp.endswith("Z") for stamp in in_json)


async def test_every_exportable_resource_has_plausible_rows(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    resources = [
        "contact", "group", "location", "shipment", "tracker", "shipping_label_inference",
        "fulfillment", "item", "manifest", "asset",
    ]  # fmt: skip
    ids = []
    for resource in resources:
        created = await _created(
            http, fake, "/v1/exports", {"resource": resource, "options": {"limit": 2}}
        )
        ids.append(created["id"])
    fake.clock.advance(STEP * 2)
    headers = []
    for export_id in ids:
        _, files = await _files(http, fake, f"/v1/exports/{export_id}", {"include_json": "true"})
        rows = json.loads(files["_json_url"])
        assert len(rows) == 2
        headers.append(tuple(rows[0]))
    assert len(set(headers)) == len(resources)
    assert all(
        header[0] == "id" and header[-2:] == ("created_at", "updated_at") for header in headers
    )
    listed = await data(http, fake, "/v1/exports", {"resource": "manifest"})
    assert [export["id"] for export in listed] == [ids[8]]


# --- batches ------------------------------------------------------------------------------


async def test_three_contacts_move_through_the_documented_phases(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    body = {"resource": "contact", "action": "merge", "data": CONTACTS, "save_upload": True}
    created = await _created(http, fake, "/v1/batches", {**body, "save_result": True})
    assert set(created) == set(fake.batches[0])
    assert (created["via"], created["status"], created["mode"]) == ("api", "queued", "mixed")
    assert created["duplicate_handling"] == "ignore_all"
    names = [phase["name"] for phase in created["phases"]]
    assert names == ["parsing", "validation", "processing"]
    assert created["phases"][0]["total"] == created["phases"][1]["total"] == 3
    path = f"/v1/batches/{created['id']}"
    fake.clock.advance(STEP * 1.5)
    halfway = await data(http, fake, path)
    fake.clock.advance(STEP)
    done = await data(http, fake, path)
    assert (halfway["status"], done["status"]) == ("processing", "completed")
    assert [phase["total"] for phase in done["phases"]] == [3, 3, 3]
    assert [phase["success"] for phase in done["phases"]] == [3, 3, 3]
    assert done["stats"] == {
        "created": 2, "updated": 1, "deleted": 0, "overwritten": 0, "events": 3,
    }  # fmt: skip
    assert fake.created_batches == [done]


async def test_batch_files_hold_the_rows_sent(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    rows = [*CONTACTS, {"email": "nameless@example.com"}, {"name": "  "}]
    body = {"resource": "contact", "action": "merge", "data": rows}
    created = await _created(
        http, fake, "/v1/batches", {**body, "save_upload": True, "save_result": True}
    )
    fake.clock.advance(STEP * 2)
    flags = dict.fromkeys(
        ["include_upload_json", "include_upload_csv", "include_errors_json", "include_result_json"],
        "true",
    )
    found, files = await _files(http, fake, f"/v1/batches/{created['id']}", flags)
    assert json.loads(files["_upload_json_url"]) == [
        {key: row.get(key) for key in ("name", "email", "id", "phone", "tags")} for row in rows
    ]
    assert _csv(files["_upload_csv_url"])[3] == ["Chen Costa", "", "", "+15550000001", '["vip"]']
    errors = json.loads(files["_errors_json_url"])
    assert [(e["row"], e["field"]) for e in errors] == [(4, "name"), (5, "name")]
    results = json.loads(files["_result_json_url"])
    assert [(r["row"], r["result"]) for r in results] == [
        (1, "created"),
        (2, "updated"),
        (3, "created"),
    ]
    assert results[1]["id"] == "ctc_existing"
    validation = found["phases"][1]
    assert (validation["total"], validation["success"], validation["error"]) == (5, 3, 2)


async def test_files_exist_only_when_asked_or_rejected(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    body = {"resource": "group", "action": "delete", "data": [{"name": "Ops"}]}
    created = await _created(http, fake, "/v1/batches", body)
    fake.clock.advance(STEP * 2)
    flags = dict.fromkeys(
        ["include_upload_csv", "include_errors_csv", "include_result_json"], "true"
    )
    found, files = await _files(http, fake, f"/v1/batches/{created['id']}", flags)
    assert found["status"] == "completed"
    assert files == {}
    assert found["stats"]["deleted"] == 1


async def test_overwrite_adds_a_cleanup_phase(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    body = {"resource": "contact", "action": "overwrite", "mode": "sync", "data": CONTACTS}
    created = await _created(http, fake, "/v1/batches", body)
    fake.clock.advance(STEP * 2)
    done = await data(http, fake, f"/v1/batches/{created['id']}")
    assert [p["name"] for p in done["phases"]] == ["parsing", "validation", "processing", "cleanup"]
    assert {p["mode"] for p in done["phases"]} == {"sync"}
    assert done["phases"][3]["success"] == 3
    assert done["stats"]["overwritten"] == 3


async def test_a_csv_data_url_is_a_file_batch_of_its_rows(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    raw = "\ufefftracking_number,carrier\n1Z1,ups\n,fedex\n\n1Z3,dhl\n".encode()
    body = {"resource": "shipment", "action": "merge", "data": _data_url("text/csv", raw)}
    created = await _created(http, fake, "/v1/batches", {**body, "save_upload": True})
    assert (created["via"], created["status"]) == ("file", "requested")
    fake.clock.advance(STEP * 3)
    flags = {"include_upload_csv": "true", "include_errors_csv": "true"}
    found, files = await _files(http, fake, f"/v1/batches/{created['id']}", flags)
    assert found["status"] == "completed"
    assert _csv(files["_upload_csv_url"]) == [
        ["tracking_number", "carrier"], ["1Z1", "ups"], ["", "fedex"], ["1Z3", "dhl"],
    ]  # fmt: skip
    assert _csv(files["_errors_csv_url"])[1:] == [
        ["2", "tracking_number", "tracking_number is required"]
    ]
    assert found["phases"][2]["success"] == 2


@pytest.mark.parametrize(
    "source",
    [_data_url(XLSX, b"PK\x03\x04 opaque"), _data_url("application/vnd.ms-excel", b"\xd0\xcf"),
     "https://files.example.com/trackers.csv"],
)  # fmt: skip
async def test_files_the_fake_cannot_read_count_as_five_rows(
    fake: FakePackageX, http: aiohttp.ClientSession, source: str
) -> None:
    body = {"resource": "tracker", "action": "merge", "data": source}
    created = await _created(http, fake, "/v1/batches", body)
    assert created["via"] == "file"
    fake.clock.advance(STEP * 3)
    done = await data(http, fake, f"/v1/batches/{created['id']}")
    assert [phase["success"] for phase in done["phases"]] == [5, 5, 5]


async def test_a_csv_that_is_not_utf8_fails_while_parsing(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    raw = "name\nJosé\n".encode("latin-1")
    body = {"resource": "contact", "action": "merge", "data": _data_url("text/csv", raw)}
    created = await _created(http, fake, "/v1/batches", body)
    fake.clock.advance(STEP * 3)
    done = await data(http, fake, f"/v1/batches/{created['id']}")
    assert done["status"] == "failed"
    assert "parsed" in done["reason"]


async def test_created_batches_are_listed_and_filterable(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    body = {"resource": "asset", "action": "merge", "data": [{"name": "Scanner 7"}]}
    created = await _created(http, fake, "/v1/batches", body)
    listed = await list_all(http, fake, "/v1/batches", {"resource": "asset", "via": "api"})
    assert listed == [created]
    batches = await list_all(http, fake, "/v1/batches", {"limit": "100"})
    assert batches[-1]["id"] == created["id"]
    assert len(batches) == 61


async def test_each_post_is_recorded_with_its_json_body(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    body = {"resource": "contact", "action": "merge", "data": CONTACTS}
    await _created(http, fake, "/v1/batches", body)
    await post(http, fake, "/v1/exports", {"resource": "nope"})
    batch_post, export_post = fake.requests
    assert (batch_post.method, batch_post.route, batch_post.json) == ("POST", "create_batch", body)
    assert (export_post.route, export_post.json) == ("create_export", {"resource": "nope"})


def test_step_seconds_must_be_positive() -> None:
    with pytest.raises(ValueError, match="step_seconds"):
        FakePackageX(step_seconds=0)


async def test_step_seconds_sets_how_fast_created_jobs_move(http: aiohttp.ClientSession) -> None:
    async with FakePackageX(batches=0, exports=0, step_seconds=60) as fake:
        created = await _created(http, fake, "/v1/exports", {"resource": "item"})
        fake.clock.advance(59)
        early = await data(http, fake, f"/v1/exports/{created['id']}")
        fake.clock.advance(2)
        later = await data(http, fake, f"/v1/exports/{created['id']}")
    assert (early["status"], later["status"]) == ("queued", "processing")
