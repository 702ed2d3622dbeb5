"""The fake's API pinned to API.md: envelope, pagination, filters, ordering, errors."""

from __future__ import annotations

import re
from typing import Any

import aiohttp
import pytest

from packagex_async.testing import FakePackageX

from ._helpers import ENVELOPE_KEYS, call, data, list_all, url

BATCH_KEYS = {
    "id", "object", "organization_id", "resource", "mode", "via", "action", "status",
    "duplicate_handling", "reason", "phases", "stats", "created_at", "updated_at",
    "updated_by", "checksum", "_upload_url", "_upload_csv_url", "_upload_json_url",
    "_errors_csv_url", "_errors_json_url", "_result_json_url",
}  # fmt: skip
EXPORT_KEYS = {
    "id", "object", "organization_id", "name", "resource", "status", "count_batches",
    "count_total", "created_at", "updated_at", "_json_url", "_csv_url", "_csv_error_url",
    "_csv_sanitized_url",
}  # fmt: skip
BATCH_STATUSES = {
    "requested", "queued", "processing", "completed", "failed", "timed_out", "expired",
}  # fmt: skip
EXPORT_STATUSES = {"queued", "processing", "completed", "failed", "timed_out"}


# --- envelope and pagination -------------------------------------------------------------


async def test_list_envelope_has_every_documented_field(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    status, body = await call(http, fake, "/v1/batches")
    assert status == 200
    assert set(body) == ENVELOPE_KEYS
    assert body["status"] == 200
    assert body["errors"] == []
    assert body["code"] is None
    assert body["endpoint"] == "/v1/batches"
    assert isinstance(body["message"], str)


async def test_retrieve_envelope_has_object_data_and_no_pagination(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    batch_id = fake.batches[0]["id"]
    status, body = await call(http, fake, f"/v1/batches/{batch_id}")
    assert status == 200
    assert set(body) == ENVELOPE_KEYS
    assert body["pagination"] is None
    assert body["data"]["id"] == batch_id


@pytest.mark.parametrize(
    ("path", "default_limit", "total"), [("/v1/batches", 25, 60), ("/v1/exports", 10, 30)]
)
async def test_default_page_and_limit(
    fake: FakePackageX, http: aiohttp.ClientSession, path: str, default_limit: int, total: int
) -> None:
    _, body = await call(http, fake, path)
    assert body["pagination"] == {
        "page": 1,
        "limit": default_limit,
        "has_more": True,
        "total_count": total,
    }
    assert len(body["data"]) == default_limit


async def test_has_more_is_false_on_the_last_page_and_data_is_empty_past_the_end(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    _, last = await call(http, fake, "/v1/batches", {"page": "3", "limit": "25"})
    assert len(last["data"]) == 10
    assert last["pagination"]["has_more"] is False
    _, exact = await call(http, fake, "/v1/batches", {"page": "2", "limit": "30"})
    assert exact["pagination"]["has_more"] is False
    _, beyond = await call(http, fake, "/v1/batches", {"page": "99"})
    assert beyond["data"] == []
    assert beyond["pagination"] == {"page": 99, "limit": 25, "has_more": False, "total_count": 60}


async def test_empty_fake_lists_an_empty_array(http: aiohttp.ClientSession) -> None:
    async with FakePackageX(batches=0, exports=0) as empty:
        _, body = await call(http, empty, "/v1/exports")
    assert body["data"] == []
    assert body["pagination"]["total_count"] == 0
    assert body["pagination"]["has_more"] is False


async def test_pages_concatenate_to_every_batch_in_chronological_order(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    listed = await list_all(http, fake, "/v1/batches", {"limit": "7"})
    assert listed == fake.batches
    created = [batch["created_at"] for batch in listed]
    updated = [batch["updated_at"] for batch in listed]
    assert created == sorted(set(created))
    assert updated == sorted(set(updated))
    assert all(isinstance(value, int) for value in created + updated)


# --- data shape ----------------------------------------------------------------------------


def _check_phases(batch: dict[str, Any]) -> None:
    names = [phase["name"] for phase in batch["phases"]]
    cleanup = batch["action"] == "overwrite"
    assert names == ["parsing", "validation", "processing"] + ["cleanup"] * cleanup
    for phase in batch["phases"]:
        assert set(phase) == {"name", "mode", "total", "processed", "success", "error"}
        assert phase["processed"] == phase["success"] + phase["error"]
        assert 0 <= phase["processed"] <= phase["total"]
    parsing, validation, processing = batch["phases"][:3]
    assert parsing["total"] == validation["total"]
    status = batch["status"]
    if status in ("requested", "queued", "expired"):
        assert all(phase["processed"] == 0 for phase in batch["phases"])
    if status == "completed":
        assert parsing["processed"] == validation["processed"] == validation["total"]
        assert processing["processed"] == processing["total"] == validation["success"]
        assert all(p["processed"] == processing["success"] for p in batch["phases"][3:])
    assert batch["stats"]["events"] == processing["success"]


async def test_batches_have_the_documented_shape(fake: FakePackageX) -> None:
    batches = fake.batches
    assert {batch["status"] for batch in batches} == BATCH_STATUSES
    for batch in batches:
        assert set(batch) == BATCH_KEYS
        assert re.fullmatch(r"batch_[0-9A-Za-z]{22}", batch["id"])
        assert batch["object"] == "batch"
        assert batch["resource"] in {"contact", "group", "shipment", "tracker"}
        assert batch["mode"] in {"sync", "mixed", "async"}
        assert batch["via"] in {"api", "file"}
        assert batch["action"] in {"merge", "overwrite", "delete"}
        assert batch["duplicate_handling"] in {"ignore_all", "use_first"}
        assert set(batch["stats"]) == {"created", "updated", "deleted", "overwritten", "events"}
        assert (batch["reason"] is not None) == (batch["status"] == "failed")
        assert all(batch[key] is None for key in BATCH_KEYS if key.endswith("_url"))
        _check_phases(batch)


async def test_exports_have_the_documented_shape(fake: FakePackageX) -> None:
    exports = fake.exports
    assert {export["status"] for export in exports} == EXPORT_STATUSES
    for export in exports:
        assert set(export) == EXPORT_KEYS
        assert re.fullmatch(r"exp_[0-9A-Za-z]{22}", export["id"])
        assert export["object"] == "export"
        assert export["resource"] in {
            "contact", "group", "location", "shipment", "tracker", "shipping_label_inference",
        }  # fmt: skip
        assert export["updated_at"] >= export["created_at"]
        assert all(export[key] is None for key in EXPORT_KEYS if key.endswith("_url"))


async def test_same_seed_gives_the_same_data_and_another_seed_does_not() -> None:
    one, same, other = FakePackageX(seed=7), FakePackageX(seed=7), FakePackageX(seed=8)
    assert one.batches == same.batches
    assert one.exports == same.exports
    assert one.batches != other.batches
    assert [e["name"] for e in one.exports] != [e["name"] for e in other.exports]


# --- batch filters -------------------------------------------------------------------------

BATCH_FILTERS = [
    ("resource", "contact"),
    ("resource", "tracker"),
    ("mode", "sync"),
    ("mode", "mixed"),
    ("mode", "async"),
    ("via", "file"),
    ("status", "failed"),
    ("status", "expired"),
]


@pytest.mark.parametrize(("name", "value"), BATCH_FILTERS)
async def test_batch_filter(
    fake: FakePackageX, http: aiohttp.ClientSession, name: str, value: str
) -> None:
    expected = [batch for batch in fake.batches if batch[name] == value]
    assert expected, "the seeded data should contain this value"
    listed = await list_all(http, fake, "/v1/batches", {name: value, "limit": "4"})
    assert listed == expected


async def test_batch_filters_combine(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    params = {"resource": "contact", "via": "api"}
    expected = [b for b in fake.batches if b["resource"] == "contact" and b["via"] == "api"]
    _, body = await call(http, fake, "/v1/batches", params)
    assert body["data"] == expected[:25]
    assert body["pagination"]["total_count"] == len(expected)


# --- export ordering and filters ---------------------------------------------------------


@pytest.mark.parametrize("order_by", ["created_at", "count_batches", "count_total", "updated_at"])
@pytest.mark.parametrize("direction", ["asc", "desc", None])
async def test_export_ordering(
    fake: FakePackageX, http: aiohttp.ClientSession, order_by: str, direction: str | None
) -> None:
    params = {"order_by": order_by, "limit": "100"}
    if direction is not None:
        params["direction"] = direction
    listed = await data(http, fake, "/v1/exports", params)
    values = [export[order_by] for export in listed]
    assert values == sorted(values, reverse=direction == "desc")
    assert len(listed) == 30


async def test_updated_at_order_differs_from_creation_order(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    by_created = await data(http, fake, "/v1/exports", {"order_by": "created_at", "limit": "30"})
    by_updated = await data(http, fake, "/v1/exports", {"order_by": "updated_at", "limit": "30"})
    assert by_created == fake.exports
    assert [e["id"] for e in by_updated] != [e["id"] for e in by_created]


async def test_desc_without_order_by_is_newest_first(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    listed = await data(http, fake, "/v1/exports", {"direction": "desc", "limit": "30"})
    assert listed == fake.exports[::-1]


async def test_export_resource_filter(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    resource = fake.exports[0]["resource"]
    expected = [e for e in fake.exports if e["resource"] == resource]
    assert await list_all(http, fake, "/v1/exports", {"resource": resource}) == expected


async def test_export_statuses_filter_takes_a_comma_separated_list(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    expected = [e for e in fake.exports if e["status"] in ("completed", "failed")]
    listed = await list_all(http, fake, "/v1/exports", {"statuses": "completed,failed"})
    assert listed == expected
    assert {e["status"] for e in listed} == {"completed", "failed"}
    only_sent = await data(http, fake, "/v1/exports", {"statuses": "sent"})
    assert only_sent == []


async def test_export_search_is_a_case_insensitive_substring_of_the_name(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    word = fake.exports[3]["name"].split()[0]
    expected = [e for e in fake.exports if word.lower() in e["name"].lower()]
    listed = await list_all(http, fake, "/v1/exports", {"search": word.upper()})
    assert listed == expected
    assert len(expected) < len(fake.exports)
    assert await data(http, fake, "/v1/exports", {"search": "no such export"}) == []


async def test_export_filters_and_order_combine(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    params = {"statuses": "completed,queued", "order_by": "count_total", "direction": "desc"}
    expected = sorted(
        (e for e in fake.exports if e["status"] in ("completed", "queued")),
        key=lambda e: e["count_total"],
        reverse=True,
    )
    assert await list_all(http, fake, "/v1/exports", {**params, "limit": "3"}) == expected


# --- errors ----------------------------------------------------------------------------------

BAD_PARAMETERS = [
    ("/v1/batches", "resource", "location"),
    ("/v1/batches", "mode", "turbo"),
    ("/v1/batches", "via", "fax"),
    ("/v1/batches", "status", "done"),
    ("/v1/batches", "page", "0"),
    ("/v1/batches", "page", "two"),
    ("/v1/batches", "page", "99999999999999999999"),
    ("/v1/batches", "limit", "-5"),
    ("/v1/batches", "limit", "2.5"),
    ("/v1/exports", "order_by", "name"),
    ("/v1/exports", "direction", "up"),
    ("/v1/exports", "resource", "batch"),
    ("/v1/exports", "statuses", "completed,,failed"),
    ("/v1/exports", "statuses", "done"),
    ("/v1/exports/{export}", "include_csv", "True"),
    ("/v1/exports/{export}", "include_json", "1"),
    ("/v1/batches/{batch}", "include_upload_csv", "yes"),
    ("/v1/batches/{batch}", "include_result_json", ""),
]


@pytest.mark.parametrize(("path", "name", "value"), BAD_PARAMETERS)
async def test_bad_parameter_is_a_400_envelope_naming_it(
    fake: FakePackageX, http: aiohttp.ClientSession, path: str, name: str, value: str
) -> None:
    path = path.format(batch=fake.batches[0]["id"], export=fake.exports[0]["id"])
    status, body = await call(http, fake, path, {name: value})
    assert status == 400
    assert set(body) == ENVELOPE_KEYS
    assert body["status"] == 400
    assert body["data"] is None
    assert body["code"] == "validation_error"
    assert [error["property"] for error in body["errors"]] == [name]


async def test_every_bad_parameter_is_reported(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    status, body = await call(http, fake, "/v1/batches", {"page": "x", "limit": "0", "via": "?"})
    assert status == 400
    assert {error["property"] for error in body["errors"]} == {"page", "limit", "via"}


async def test_max_limit_is_enforced(http: aiohttp.ClientSession) -> None:
    async with FakePackageX(max_limit=100) as fake:
        ok, _ = await call(http, fake, "/v1/batches", {"limit": "100"})
        status, body = await call(http, fake, "/v1/batches", {"limit": "101"})
    assert ok == 200
    assert status == 400
    assert body["errors"][0]["property"] == "limit"


async def test_limit_is_unbounded_without_max_limit(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    listed = await data(http, fake, "/v1/batches", {"limit": "100000"})
    assert len(listed) == 60


@pytest.mark.parametrize("key", [None, "px_wrong", ""])
async def test_missing_or_wrong_key_is_a_401_envelope(
    fake: FakePackageX, http: aiohttp.ClientSession, key: str | None
) -> None:
    status, body = await call(http, fake, "/v1/exports", key=key)
    assert status == 401
    assert set(body) == ENVELOPE_KEYS
    assert body["status"] == 401
    assert body["code"] == "unauthorized"
    assert body["data"] is None


@pytest.mark.parametrize("path", ["/v1/batches/batch_nope", "/v1/exports/exp_nope"])
async def test_unknown_id_is_a_404_envelope(
    fake: FakePackageX, http: aiohttp.ClientSession, path: str
) -> None:
    status, body = await call(http, fake, path)
    assert status == 404
    assert set(body) == ENVELOPE_KEYS
    assert body["code"] == "not_found"
    assert body["endpoint"] == path


@pytest.mark.parametrize("path", ["/v1/shipments", "/v2/batches", "/v1/batches/a/b", "/"])
async def test_unmatched_path_is_a_404_envelope(
    fake: FakePackageX, http: aiohttp.ClientSession, path: str
) -> None:
    status, body = await call(http, fake, path)
    assert status == 404
    assert set(body) == ENVELOPE_KEYS
    assert body["code"] == "not_found"
    assert fake.requests[-1].route == "unmatched"


async def test_other_methods_are_a_405_envelope(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    headers = {"PX-API-KEY": fake.api_key}
    async with http.delete(url(fake, "/v1/batches"), headers=headers) as response:
        body = await response.json()
    assert response.status == 405
    assert response.headers["Allow"] == "GET, POST"
    assert body["code"] == "method_not_allowed"
    assert set(body) == ENVELOPE_KEYS


async def test_percent_encoded_id_is_one_segment(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.add_batch(id="odd/id?#%")
    found = await data(http, fake, "/v1/batches/odd%2Fid%3F%23%25")
    assert found["id"] == "odd/id?#%"
    status, body = await call(http, fake, "/v1/batches/odd%2Fnothing")
    assert status == 404
    assert body["message"] == "Batch not found"
    assert fake.requests[-1].path == "/v1/batches/odd%2Fnothing"


async def test_unknown_fields_and_enum_values_are_served_as_given(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    added = fake.add_batch(status="paused", resource="pallet", brand_new={"x": 1})
    served = await data(http, fake, f"/v1/batches/{added['id']}")
    assert (served["status"], served["resource"], served["brand_new"]) == (
        "paused",
        "pallet",
        {"x": 1},
    )


# --- recording and rate limit --------------------------------------------------------------


async def test_requests_are_recorded(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    export_id = fake.exports[0]["id"]
    await call(http, fake, "/v1/batches", {"page": "2", "status": "failed"})
    await call(http, fake, f"/v1/exports/{export_id}", {"include_json": "true"}, key=None)
    first, second = fake.requests
    assert (first.method, first.path, first.route) == ("GET", "/v1/batches", "list_batches")
    assert first.query == {"page": "2", "status": "failed"}
    assert first.headers["PX-API-KEY"] == fake.api_key
    assert first.header("px-api-key") == fake.api_key
    assert (second.route, second.query) == ("retrieve_export", {"include_json": "true"})
    assert second.header("PX-API-KEY") is None
    assert first.time <= second.time
    assert fake.storage_requests == []


async def test_rate_limit_answers_429_with_retry_after(http: aiohttp.ClientSession) -> None:
    async with FakePackageX(rate_limit=2) as fake:
        statuses = [(await call(http, fake, "/v1/batches"))[0] for _ in range(3)]
        headers = {"PX-API-KEY": fake.api_key}
        async with http.get(url(fake, "/v1/batches"), headers=headers) as limited:
            body = await limited.json()
        fake.clock.advance(1.5)
        after, _ = await call(http, fake, "/v1/batches")
    assert statuses == [200, 200, 429]
    assert limited.status == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert body["code"] == "rate_limited"
    assert set(body) == ENVELOPE_KEYS
    assert after == 200
