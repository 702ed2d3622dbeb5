"""Presigned URLs: which flag fills which URL, what storage serves, and what it refuses."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from yarl import URL

from packagex_async.testing import FakePackageX

from ._helpers import call, data, download

BATCH_FLAGS = {
    "include_upload_csv": "_upload_csv_url",
    "include_upload_json": "_upload_json_url",
    "include_errors_csv": "_errors_csv_url",
    "include_errors_json": "_errors_json_url",
    "include_result_json": "_result_json_url",
}
BATCH_URLS = {*BATCH_FLAGS.values(), "_upload_url"}
EXPORT_URLS = {"_json_url", "_csv_url", "_csv_error_url", "_csv_sanitized_url"}
ALL_FLAGS = dict.fromkeys(BATCH_FLAGS, "true")


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode())))


async def _batch(
    http: aiohttp.ClientSession, fake: FakePackageX, batch_id: str, **flags: str
) -> dict[str, Any]:
    found: dict[str, Any] = await data(http, fake, f"/v1/batches/{batch_id}", flags)
    return found


@pytest.mark.parametrize(("flag", "key"), BATCH_FLAGS.items())
async def test_each_batch_flag_fills_only_its_url(
    fake: FakePackageX, http: aiohttp.ClientSession, flag: str, key: str
) -> None:
    added = fake.add_batch(status="completed", rows=40, errors=3)
    found = await _batch(http, fake, added["id"], **{flag: "true"})
    assert found[key].startswith(fake.storage_url + "/")
    assert all(found[other] is None for other in BATCH_URLS - {key})
    plain = await _batch(http, fake, added["id"], **{flag: "false"})
    assert all(plain[other] is None for other in BATCH_URLS)


async def test_upload_and_result_urls_need_save_upload_and_save_result(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    added = fake.add_batch(rows=10, errors=2, save_upload=False, save_result=False)
    found = await _batch(http, fake, added["id"], **ALL_FLAGS)
    assert found["_upload_csv_url"] is found["_upload_json_url"] is found["_result_json_url"]
    assert found["_upload_csv_url"] is None
    assert found["_errors_csv_url"] is not None
    assert found["_errors_json_url"] is not None


async def test_error_urls_only_for_batches_with_errors(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    added = fake.add_batch(rows=10, errors=0)
    found = await _batch(http, fake, added["id"], **ALL_FLAGS)
    assert found["_errors_csv_url"] is None
    assert found["_errors_json_url"] is None
    assert found["_upload_csv_url"] is not None
    assert found["_result_json_url"] is not None


async def test_batch_files_hold_the_rows_the_phases_count(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    added = fake.add_batch(rows=50, errors=4, resource="contact", action="merge")
    found = await _batch(http, fake, added["id"], **ALL_FLAGS)
    parsing, validation, processing = found["phases"]
    assert parsing["total"] == parsing["success"] == 50
    files = {key: await download(http, found[key]) for key in BATCH_FLAGS.values()}
    assert all(status == 200 for status, _, _ in files.values())
    upload_csv = _csv(files["_upload_csv_url"][1])
    assert upload_csv[0] == ["id", "name", "email", "phone", "company"]
    assert len(upload_csv) - 1 == validation["total"] == 50
    upload_json = json.loads(files["_upload_json_url"][1])
    assert [list(map(str, row.values())) for row in upload_json] == upload_csv[1:]
    assert len(_csv(files["_errors_csv_url"][1])) - 1 == validation["error"] == 4
    assert len(json.loads(files["_errors_json_url"][1])) == 4
    results = json.loads(files["_result_json_url"][1])
    assert len(results) == processing["success"] == 46
    assert {row["result"] for row in results} == {"created", "updated"}


async def test_storage_sets_content_length_and_type(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    added = fake.add_batch(rows=5)
    found = await _batch(http, fake, added["id"], include_upload_csv="true")
    status, body, headers = await download(http, found["_upload_csv_url"])
    assert status == 200
    assert int(headers["Content-Length"]) == len(body)
    assert headers["Content-Type"].startswith("text/csv")
    async with http.head(URL(found["_upload_csv_url"], encoded=True)) as head:
        assert head.status == 200
        assert int(head.headers["Content-Length"]) == len(body)


async def test_export_flags_fill_the_documented_urls(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    export_id = next(e["id"] for e in fake.exports if e["status"] == "completed")
    path = f"/v1/exports/{export_id}"
    as_json = await data(http, fake, path, {"include_json": "true"})
    assert as_json["_json_url"] is not None
    assert all(as_json[key] is None for key in EXPORT_URLS - {"_json_url"})
    as_csv = await data(http, fake, path, {"include_csv": "true"})
    assert as_csv["_json_url"] is None
    assert all(as_csv[key] is not None for key in EXPORT_URLS - {"_json_url"})
    plain = await data(http, fake, path)
    assert all(plain[key] is None for key in EXPORT_URLS)


async def test_unfinished_exports_have_no_files(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    flags = {"include_json": "true", "include_csv": "true"}
    for export in fake.exports:
        if export["status"] == "completed":
            continue
        found = await data(http, fake, f"/v1/exports/{export['id']}", flags)
        assert all(found[key] is None for key in EXPORT_URLS)


async def test_export_files_serve_its_data(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    added = fake.add_export(rows=30, resource="shipment")
    flags = {"include_json": "true", "include_csv": "true"}
    found = await data(http, fake, f"/v1/exports/{added['id']}", flags)
    _, as_json, _ = await download(http, found["_json_url"])
    _, as_csv, _ = await download(http, found["_csv_url"])
    rows = json.loads(as_json)
    table = _csv(as_csv)
    assert len(rows) == len(table) - 1 == found["count_total"] == 30
    assert table[0] == list(rows[0])
    assert [list(map(str, row.values())) for row in rows] == table[1:]
    for key in ("_csv_error_url", "_csv_sanitized_url"):
        status, body, _ = await download(http, found[key])
        assert status == 200
        assert len(_csv(body)) >= 1


async def test_big_export_download(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    added = fake.add_export(rows=100_000)
    found = await data(http, fake, f"/v1/exports/{added['id']}", {"include_csv": "true"})
    status, body, headers = await download(http, found["_csv_url"])
    assert status == 200
    assert body.count(b"\n") == 100_001
    assert int(headers["Content-Length"]) == len(body)


async def test_files_are_deterministic_by_seed(http: aiohttp.ClientSession) -> None:
    bodies = []
    for _ in range(2):
        async with FakePackageX(seed=3) as fake:
            export_id = next(e["id"] for e in fake.exports if e["status"] == "completed")
            found = await data(http, fake, f"/v1/exports/{export_id}", {"include_json": "true"})
            bodies.append((await download(http, found["_json_url"]))[1])
    assert bodies[0] == bodies[1]
    assert json.loads(bodies[0])


async def test_storage_is_another_host_and_urls_expire_after_url_ttl(
    http: aiohttp.ClientSession,
) -> None:
    async with FakePackageX(url_ttl=60) as fake:
        added = fake.add_batch()
        found = await _batch(http, fake, added["id"], include_upload_json="true")
        target = found["_upload_json_url"]
        assert urlsplit(target).port != urlsplit(fake.url).port
        expires = float(parse_qs(urlsplit(target).query)["X-Px-Expires"][0])
        assert fake.clock.now() + 50 < expires < fake.clock.now() + 70
        fresh, _, _ = await download(http, target)
        fake.clock.advance(61)
        status, body, headers = await download(http, target)
    assert fresh == 200
    assert status == 403
    assert b"<Code>AccessDenied</Code>" in body
    assert b"expired" in body
    assert "xml" in headers["Content-Type"]


@pytest.mark.parametrize(
    ("mangle", "code"),
    [
        (lambda u: u.replace("upload.json", "upload.csv"), b"SignatureDoesNotMatch"),
        (lambda u: u[:-4] + "0000", b"SignatureDoesNotMatch"),
        (lambda u: u.split("?")[0], b"AccessDenied"),
    ],
)
async def test_bad_signature_is_a_403(
    fake: FakePackageX, http: aiohttp.ClientSession, mangle: Any, code: bytes
) -> None:
    added = fake.add_batch()
    found = await _batch(http, fake, added["id"], include_upload_json="true")
    status, body, _ = await download(http, mangle(found["_upload_json_url"]))
    assert status == 403
    assert code in body


async def test_api_key_sent_to_storage_is_refused_and_counted(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    added = fake.add_batch()
    found = await _batch(http, fake, added["id"], include_upload_csv="true")
    target = URL(found["_upload_csv_url"], encoded=True)
    async with http.get(target, headers={"PX-API-KEY": fake.api_key}) as response:
        body = await response.text()
    assert response.status == 400
    assert "PX-API-KEY" in body
    assert "never" in body
    assert fake.key_leaks == 1
    assert fake.storage_requests[-1].header("px-api-key") == fake.api_key
    status, _, _ = await download(http, found["_upload_csv_url"])
    assert status == 200
    assert fake.key_leaks == 1


async def test_files_of_odd_ids_are_reachable(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.add_batch(id="a/b c", rows=3)
    status, found = await call(http, fake, "/v1/batches/a%2Fb%20c", {"include_upload_csv": "true"})
    assert status == 200
    file_status, body, _ = await download(http, found["data"]["_upload_csv_url"])
    assert file_status == 200
    assert len(_csv(body)) == 4
