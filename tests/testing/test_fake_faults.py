"""Every fault kind observable with a raw client; rules by route, page, rate and script."""

from __future__ import annotations

import asyncio
import email.utils
import json
import math
from typing import Any

import aiohttp
import pytest
from yarl import URL

from packagex_async.testing import FakePackageX

from ._helpers import ENVELOPE_KEYS, call, data, url


async def _get(
    http: aiohttp.ClientSession, fake: FakePackageX, path: str = "/v1/batches", **kwargs: Any
) -> tuple[int, bytes, dict[str, str]]:
    headers = {"PX-API-KEY": fake.api_key}
    async with http.get(url(fake, path), headers=headers, **kwargs) as response:
        return response.status, await response.read(), dict(response.headers)


async def test_500_is_an_error_envelope(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    fake.faults.script("list_batches", ["500"])
    status, body = await call(http, fake, "/v1/batches")
    assert status == 500
    assert set(body) == ENVELOPE_KEYS
    assert body["status"] == 500
    assert fake.faults.injected == [("list_batches", 1, "500")]


async def test_502_has_an_html_body(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    fake.faults.script("retrieve_export", ["502"])
    status, body, headers = await _get(http, fake, f"/v1/exports/{fake.exports[0]['id']}")
    assert status == 502
    assert headers["Content-Type"].startswith("text/html")
    assert body.lstrip().startswith(b"<html>")
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


@pytest.mark.parametrize(
    ("kind", "status", "retry_after"),
    [("503", 503, "1"), ("503:4", 503, "4"), ("429", 429, "1"), ("429:2", 429, "2")],
)
async def test_retry_after_in_seconds(
    fake: FakePackageX, http: aiohttp.ClientSession, kind: str, status: int, retry_after: str
) -> None:
    fake.faults.script("list_exports", [kind])
    got, body, headers = await _get(http, fake, "/v1/exports")
    assert got == status
    assert headers["Retry-After"] == retry_after
    assert set(json.loads(body)) == ENVELOPE_KEYS


async def test_retry_after_as_an_http_date(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    fake.faults.script("list_batches", ["429:date"])
    fake.clock.advance(86_400)  # the date follows the fake's clock, not the wall clock
    status, _, headers = await _get(http, fake)
    when = email.utils.parsedate_to_datetime(headers["Retry-After"]).timestamp()
    assert status == 429
    assert when == math.floor(fake.requests[-1].time + 2)  # HTTP dates are whole seconds


async def test_429_without_retry_after(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    fake.faults.script("list_batches", ["429:none"])
    status, _, headers = await _get(http, fake)
    assert status == 429
    assert "Retry-After" not in headers


async def test_reset_closes_the_connection_without_a_response(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    # aiohttp resends a GET once after a dropped connection, so reset twice.
    fake.faults.script("list_batches", ["reset", "reset"])
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await _get(http, fake)
    assert [kind for _, _, kind in fake.faults.injected] == ["reset", "reset"]
    assert (await _get(http, fake))[0] == 200


async def test_truncate_sends_half_the_announced_body(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.faults.script("list_batches", ["truncate"])
    headers = {"PX-API-KEY": fake.api_key}
    async with http.get(url(fake, "/v1/batches"), headers=headers) as response:
        assert response.status == 200
        announced = int(response.headers["Content-Length"])
        with pytest.raises(aiohttp.ClientPayloadError):
            await response.read()
    _, full, _ = await _get(http, fake)
    assert announced == len(full)


async def test_stall_outlasts_a_client_timeout(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.faults.script("retrieve_batch", ["stall"])
    with pytest.raises(asyncio.TimeoutError):
        await _get(
            http,
            fake,
            f"/v1/batches/{fake.batches[0]['id']}",
            timeout=aiohttp.ClientTimeout(total=0.3),
        )
    # The stall (30 s) outlasted the client; it ends once the client has gone.
    await fake.until_in_flight("retrieve_batch", 0)
    assert fake.faults.injected == [("retrieve_batch", None, "stall")]


async def test_short_stall_then_the_real_answer(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.faults.script("list_batches", ["stall:3600"], page=2)
    stalled = asyncio.ensure_future(call(http, fake, "/v1/batches", {"page": "2"}))
    await fake.until_received("list_batches")
    assert (await call(http, fake, "/v1/batches"))[0] == 200  # another request, answered
    assert fake.in_flight("list_batches") == 1  # while the stalled one is still held
    assert not stalled.done()
    fake.clock.advance(3600)  # the stall's hour passes on the fake's clock
    status, body = await stalled
    assert status == 200
    assert len(body["data"]) == 25


async def test_close_does_not_wait_for_a_stall(http: aiohttp.ClientSession) -> None:
    fake = FakePackageX()
    await fake.start()
    fake.faults.script("list_batches", ["stall:3600"])
    request = asyncio.ensure_future(_get(http, fake))
    await fake.until_received("list_batches")
    await fake.close()
    status, body, _ = await request
    # Woken by close, the stall answers at once: aiohttp's shutdown would have cut a
    # handler still waiting (after SHUTDOWN_TIMEOUT) without any response.
    assert status == 503
    assert json.loads(body)["code"] == "shutting_down"


async def test_invalid_json_is_a_200_that_does_not_parse(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.faults.script("list_batches", ["invalid_json"])
    status, body, headers = await _get(http, fake)
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert int(headers["Content-Length"]) == len(body)
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


async def test_redirect_points_at_the_storage_host(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.faults.script("list_batches", ["redirect"])
    status, _, headers = await _get(http, fake, allow_redirects=False)
    assert status == 302
    assert headers["Location"].startswith(fake.storage_url + "/")
    assert fake.key_leaks == 0


async def test_following_a_redirect_with_the_key_leaks_it(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    # aiohttp forwards custom headers across hosts: the fake makes that visible.
    fake.faults.script("list_batches", ["redirect"])
    status, body, _ = await _get(http, fake)
    assert status == 400
    assert b"PX-API-KEY" in body
    assert fake.key_leaks == 1


async def test_storage_faults_use_object_store_bodies(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    added = fake.add_batch(rows=3)
    found = await data(http, fake, f"/v1/batches/{added['id']}", {"include_upload_csv": "true"})
    target = URL(found["_upload_csv_url"], encoded=True)
    fake.faults.script("storage", ["500", "503:3", "redirect"])
    async with http.get(target) as failed:
        assert failed.status == 500
        assert b"<Code>InternalError</Code>" in await failed.read()
    async with http.get(target) as busy:
        assert busy.status == 503
        assert busy.headers["Retry-After"] == "3"
    async with http.get(target) as mirrored:
        assert mirrored.status == 200
        assert len(mirrored.history) == 1
        assert "/mirror/" in str(mirrored.url)
        assert (await mirrored.text()).count("\n") == 4


async def test_storage_truncate(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    added = fake.add_export(rows=1000)
    found = await data(http, fake, f"/v1/exports/{added['id']}", {"include_json": "true"})
    fake.faults.script("storage", ["truncate"])
    async with http.get(URL(found["_json_url"], encoded=True)) as response:
        with pytest.raises(aiohttp.ClientPayloadError):
            await response.read()


async def test_script_entries_are_consumed_in_order(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.faults.script("list_batches", ["500", "ok", "503"])
    statuses = [(await call(http, fake, "/v1/batches"))[0] for _ in range(4)]
    assert statuses == [500, 200, 503, 200]


async def test_script_per_page(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    fake.faults.script("list_batches", ["500"], page=2)
    first, _ = await call(http, fake, "/v1/batches")
    second, _ = await call(http, fake, "/v1/batches", {"page": "2"})
    again, _ = await call(http, fake, "/v1/batches", {"page": "2"})
    other_route, _ = await call(http, fake, "/v1/exports", {"page": "2"})
    assert (first, second, again, other_route) == (200, 500, 200, 200)


async def test_error_rate_is_deterministic_by_seed(http: aiohttp.ClientSession) -> None:
    runs = []
    for _ in range(2):
        async with FakePackageX() as fake:
            fake.faults.error_rate("list_exports", 0.5, kinds=["500", "503"], seed=11)
            runs.append([(await call(http, fake, "/v1/exports"))[0] for _ in range(20)])
    assert runs[0] == runs[1]
    assert set(runs[0]) == {200, 500, 503}


@pytest.mark.parametrize(("rate", "expected"), [(0.0, {200}), (1.0, {502})])
async def test_error_rate_bounds(
    fake: FakePackageX, http: aiohttp.ClientSession, rate: float, expected: set[int]
) -> None:
    fake.faults.error_rate("list_batches", rate, kinds=["502"])
    statuses = set()
    for _ in range(5):
        async with http.get(url(fake, "/v1/batches"), headers={"PX-API-KEY": fake.api_key}) as r:
            statuses.add(r.status)
    assert statuses == expected


async def test_latency(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    fake.faults.latency("list_batches", 3600, page=2)
    slow = asyncio.ensure_future(call(http, fake, "/v1/batches", {"page": "2"}))
    await fake.until_received("list_batches")
    assert (await call(http, fake, "/v1/batches"))[0] == 200  # page 1: no latency
    assert fake.in_flight("list_batches") == 1  # page 2 is still waiting
    assert not slow.done()
    fake.clock.advance(3000)
    assert (await call(http, fake, "/v1/exports", {"page": "2"}))[0] == 200  # other route
    assert fake.in_flight("list_batches") == 1  # 3000 s in: still waiting
    fake.clock.advance(600)
    status, body = await slow
    assert status == 200
    assert body["pagination"]["page"] == 2


async def test_clear_forgets_every_rule(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    fake.faults.script("list_batches", ["500"])
    fake.faults.error_rate("list_batches", 1.0)
    fake.faults.latency("list_batches", 5)
    fake.faults.drift("list_batches", after_page=1, insert=2)
    fake.faults.clear()
    status, body = await call(http, fake, "/v1/batches")
    assert status == 200
    assert body["pagination"]["total_count"] == 60
    assert len(fake.batches) == 60
    assert fake.faults.injected == []


async def test_drift_at_start_shifts_later_pages(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.faults.drift("list_batches", after_page=1, insert=3, position="start")
    _, first = await call(http, fake, "/v1/batches", {"limit": "10"})
    _, second = await call(http, fake, "/v1/batches", {"limit": "10", "page": "2"})
    assert first["pagination"]["total_count"] == 60
    assert second["pagination"]["total_count"] == 63
    assert second["data"][:3] == first["data"][7:]
    batches = fake.batches
    assert len(batches) == 63
    created = [b["created_at"] for b in batches]
    assert created == sorted(set(created))


async def test_drift_at_end_adds_newest_items(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    before = fake.exports
    fake.faults.drift("list_exports", after_page=2, insert=4, position="end")
    await call(http, fake, "/v1/exports", {"page": "1"})
    assert len(fake.exports) == 30
    await call(http, fake, "/v1/exports", {"page": "2"})
    after = fake.exports
    assert after[:30] == before
    assert len(after) == 34
    await call(http, fake, "/v1/exports", {"page": "2"})
    assert len(fake.exports) == 34


@pytest.mark.parametrize("kind", ["418", "stall:soon", "429:later", "truncate:3", ""])
def test_unknown_fault_kinds_are_refused(kind: str) -> None:
    fake = FakePackageX(batches=0, exports=0)
    with pytest.raises(ValueError, match="fault"):
        fake.faults.script("list_batches", [kind])


def test_unknown_routes_are_refused() -> None:
    faults = FakePackageX(batches=0, exports=0).faults
    with pytest.raises(ValueError, match="route"):
        faults.latency("list_shipments", 1)
    with pytest.raises(ValueError, match="route"):
        faults.drift("retrieve_batch", after_page=1, insert=1)
    with pytest.raises(ValueError, match="rate"):
        faults.error_rate("storage", 1.5)


# --- requests in flight: counted by the fake, held until released ---------------------


async def test_a_hold_keeps_requests_in_flight_until_released(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.hold("retrieve_batch")
    ids = [b["id"] for b in fake.batches[:3]]
    held = [asyncio.ensure_future(call(http, fake, f"/v1/batches/{i}")) for i in ids]
    await fake.until_in_flight("retrieve_batch", 3)
    assert (await call(http, fake, "/v1/batches"))[0] == 200  # other routes pass
    assert fake.in_flight("retrieve_batch") == 3
    assert not any(request.done() for request in held)
    fake.release("retrieve_batch")
    assert [(await request)[1]["data"]["id"] for request in held] == ids
    assert fake.in_flight("retrieve_batch") == 0
    assert (await call(http, fake, f"/v1/batches/{ids[0]}"))[0] == 200  # no longer held
    assert fake.peak_in_flight("retrieve_batch") == 3
    assert fake.peak_in_flight("list_batches") == 1
    assert fake.peak_in_flight("retrieve_export") == 0


async def test_a_hold_for_one_page(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    fake.hold("list_batches", page=2)
    second = asyncio.ensure_future(call(http, fake, "/v1/batches", {"page": "2"}))
    await fake.until_received("list_batches")
    assert (await call(http, fake, "/v1/batches", {"page": "3"}))[0] == 200
    await fake.until_received("list_batches", 2)
    assert fake.in_flight("list_batches") == 1
    fake.release("list_batches", page=2)
    status, body = await second
    assert (status, body["pagination"]["page"]) == (200, 2)
    await fake.until_in_flight("list_batches", 0)


async def test_closing_releases_the_held_requests_with_503(http: aiohttp.ClientSession) -> None:
    fake = FakePackageX(batches=1, exports=0)
    await fake.start()
    fake.hold("list_batches")
    held = asyncio.ensure_future(_get(http, fake))
    await fake.until_received("list_batches")
    await fake.close()
    status, body, _ = await held
    assert status == 503
    assert json.loads(body)["code"] == "shutting_down"


def test_holds_name_known_routes() -> None:
    with pytest.raises(ValueError, match="route"):
        FakePackageX(batches=0, exports=0).hold("list_shipments")
