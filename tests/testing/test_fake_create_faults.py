"""Faults on the creates: before the job exists, or after it was stored, POSTs counted."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from packagex_async.testing import FakePackageX

from ._helpers import ENVELOPE_KEYS, post

ROUTES = {
    "create_export": ("/v1/exports", {"resource": "shipment", "options": {"limit": 3}}),
    "create_batch": (
        "/v1/batches",
        {"resource": "contact", "action": "merge", "data": [{"name": "A"}]},
    ),
}
QUICK = aiohttp.ClientTimeout(total=0.3)


def _created(fake: FakePackageX, route: str) -> list[dict[str, Any]]:
    return fake.created_exports if route == "create_export" else fake.created_batches


def _posts(fake: FakePackageX, route: str) -> list[Any]:
    return [r.json for r in fake.requests if r.method == "POST" and r.route == route]


async def _attempt(
    http: aiohttp.ClientSession, fake: FakePackageX, route: str, **kwargs: Any
) -> int | str:
    """POST the route's body once: the HTTP status, or the name of the client error."""
    path, body = ROUTES[route]
    try:
        status, envelope = await post(http, fake, path, body, **kwargs)
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        return type(exc).__name__
    assert set(envelope) == ENVELOPE_KEYS
    return status


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("kind", "seen"),
    [("503", 503), ("429:2", 429), ("500", 500), ("reset", "ServerDisconnectedError")],
)
async def test_faults_before_the_handler_create_nothing(
    fake: FakePackageX, http: aiohttp.ClientSession, route: str, kind: str, seen: int | str
) -> None:
    fake.faults.script(route, [kind, "ok"])
    assert await _attempt(http, fake, route) == seen
    assert _created(fake, route) == []
    assert await _attempt(http, fake, route) == 201
    assert len(_created(fake, route)) == 1
    assert _posts(fake, route) == [ROUTES[route][1]] * 2
    assert fake.faults.injected == [(route, None, kind)]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("kind", "seen"),
    [
        ("500_after", 500),
        ("502_after", "ContentTypeError"),
        ("503_after", 503),
        ("reset_after", "ServerDisconnectedError"),
        ("stall_after", "TimeoutError"),
    ],
)
async def test_faults_after_the_handler_leave_the_job_stored(
    fake: FakePackageX, http: aiohttp.ClientSession, route: str, kind: str, seen: int | str
) -> None:
    fake.faults.script(route, [kind])
    outcome = await _attempt(http, fake, route, timeout=QUICK)
    assert outcome == seen or (seen == "TimeoutError" and outcome == "ServerTimeoutError")
    created = _created(fake, route)
    assert len(created) == 1
    assert created[0]["status"] in ("requested", "queued")
    assert len(_posts(fake, route)) == 1


async def test_503_after_says_retry_though_the_job_exists(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.faults.script("create_export", ["503_after:7"])
    path, body = ROUTES["create_export"]
    headers = {"PX-API-KEY": fake.api_key}
    async with http.post(fake.url + path, json=body, headers=headers) as response:
        assert response.status == 503
        assert response.headers["Retry-After"] == "7"
    assert len(fake.created_exports) == 1


async def test_a_short_stall_after_still_answers_201(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.faults.script("create_batch", ["stall_after:0.1"])
    assert await _attempt(http, fake, "create_batch") == 201
    assert len(fake.created_batches) == 1


async def test_truncated_answers_come_after_the_job_was_stored(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    fake.faults.script("create_export", ["truncate"])
    assert await _attempt(http, fake, "create_export") == "ClientPayloadError"
    assert len(fake.created_exports) == 1


async def test_error_rate_on_creates(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    fake.faults.error_rate("create_batch", 0.5, kinds=["503", "500_after"], seed=3)
    outcomes = [await _attempt(http, fake, "create_batch") for _ in range(12)]
    after = [kind for _, _, kind in fake.faults.injected].count("500_after")
    assert len(fake.created_batches) == outcomes.count(201) + after
    assert len(_posts(fake, "create_batch")) == 12
    assert set(outcomes) == {201, 500, 503}


@pytest.mark.parametrize("kind", ["418_after", "reset_after:1", "truncate_after", "stall_after:x"])
def test_unknown_after_kinds_are_refused(kind: str) -> None:
    fake = FakePackageX(batches=0, exports=0)
    with pytest.raises(ValueError, match="fault"):
        fake.faults.script("create_export", [kind])
