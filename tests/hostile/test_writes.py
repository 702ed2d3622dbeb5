"""A create is resent only when the server certainly did not act on it.

PackageX offers no idempotency key, so the server counts the POSTs it received:
exactly one for every failure after the request may have reached it (and the error
says the job may or may not exist), more only for a refused connection, a 429 or a
503 that names a time to come back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from packagex_async import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    BadRequestError,
    InternalServerError,
    PackageX,
    PackageXError,
    RateLimitError,
)

from ._server import HostileServer, Received, envelope, json_response, reset, response, stall

KEY = "pxk_SECRETKEY_writes"
CREATED = json_response(envelope({"id": "exp_new", "status": "queued"}), status=201)
UNSURE = "may or may not have been created"

Step = Callable[[asyncio.StreamWriter], Awaitable[None] | None]


def write(raw: bytes) -> Step:
    def step(writer: asyncio.StreamWriter) -> None:
        writer.write(raw)

    return step


def close(writer: asyncio.StreamWriter) -> None:
    writer.close()


async def hang(writer: asyncio.StreamWriter) -> None:
    await stall()


def script(*steps: Step) -> Callable[[Received, asyncio.StreamWriter], Awaitable[None]]:
    """Answer the n-th request with the n-th step; the last step repeats."""
    calls = 0

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        nonlocal calls
        step = steps[min(calls, len(steps) - 1)]
        calls += 1
        result = step(writer)
        if result is not None:
            await result

    return handler


def posts(server: HostileServer) -> int:
    return sum(1 for r in server.requests if r.method == "POST")


async def create(server: HostileServer) -> None:
    async with PackageX(KEY, base_url=server.url, timeout=0.5, max_retries=2) as px:
        await px.exports.create(resource="shipment")


@pytest.mark.parametrize(
    ("first", "sent"),
    [
        (write(json_response(envelope(None), status=429)), 2),
        (write(json_response(envelope(None), status=429, headers={"Retry-After": "0"})), 2),
        (write(json_response(envelope(None), status=503, headers={"Retry-After": "0"})), 2),
    ],
    ids=["429", "429-retry-after", "503-retry-after"],
)
async def test_a_turned_away_create_is_resent(first: Step, sent: int) -> None:
    async with HostileServer(script(first, write(CREATED))) as server:
        await create(server)

    assert posts(server) == sent


async def test_a_create_turned_away_every_time_stops_after_max_retries() -> None:
    async with HostileServer(script(write(json_response(envelope(None), status=429)))) as server:
        with pytest.raises(RateLimitError) as caught:
            await create(server)

    assert posts(server) == 3
    assert caught.value.outcome_unknown is None
    assert UNSURE not in str(caught.value)


@pytest.mark.parametrize(
    ("step", "error"),
    [
        (write(json_response(envelope(None), status=500)), InternalServerError),
        (write(json_response(envelope(None), status=502)), InternalServerError),
        (write(json_response(envelope(None), status=503)), InternalServerError),
        (write(json_response(envelope(None), status=504)), InternalServerError),
        (write(response(408)), PackageXError),
        (write(response(201, b"<html>created?</html>")), APIResponseValidationError),
        (hang, APITimeoutError),
        (close, APIConnectionError),
        (reset, APIConnectionError),
        (write(b'HTTP/1.1 201 Created\r\nContent-Length: 500\r\n\r\n{"da'), APIConnectionError),
    ],
    ids=[
        "500",
        "502",
        "503-without-retry-after",
        "504",
        "408",
        "garbled-201",
        "timeout",
        "closed",
        "reset",
        "cut-body",
    ],
)
async def test_a_create_that_may_have_acted_is_sent_exactly_once(
    step: Step, error: type[Exception]
) -> None:
    async with HostileServer(script(step)) as server:
        with pytest.raises(error) as caught:
            await create(server)

    assert posts(server) == 1
    assert isinstance(caught.value, PackageXError)
    assert caught.value.outcome_unknown is not None
    assert UNSURE in str(caught.value)
    assert "px.exports.list(order_by='created_at', direction='desc')" in str(caught.value)


async def test_a_refused_create_is_not_a_maybe() -> None:
    answer = json_response(
        envelope(None, errors=[{"property": "resource"}], message="bad"), status=400
    )
    async with HostileServer(script(write(answer))) as server:
        with pytest.raises(BadRequestError) as caught:
            await create(server)

    assert posts(server) == 1
    assert caught.value.outcome_unknown is None


async def test_a_create_that_could_not_connect_is_retried_and_not_a_maybe() -> None:
    async with HostileServer(script(write(CREATED))) as server:
        url = server.url
    async with PackageX(KEY, base_url=url, timeout=0.5, max_retries=1) as px:
        with pytest.raises(APIConnectionError, match="could not connect") as caught:
            await px.exports.create(resource="shipment")

    assert caught.value.outcome_unknown is None


async def test_a_batch_create_says_where_to_look() -> None:
    failing = script(write(json_response(envelope(None), status=500)))
    async with HostileServer(failing) as server, PackageX(KEY, base_url=server.url) as px:
        with pytest.raises(InternalServerError, match="the last page of px.batches.list"):
            await px.batches.create(resource="contact", action="merge", data=[{"name": "A"}])

    assert posts(server) == 1
