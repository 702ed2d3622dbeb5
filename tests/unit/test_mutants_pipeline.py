"""The request pipeline (``_http._pipeline``), pinned where mutation testing found it loose.

Each test states a behaviour a caller relies on: how many attempts a request gets,
what the debug and retry log lines say, how much of an answer is read, which error
comes out. See ``tests/MUTANTS.md`` and ``python -m tools.mutate``.
"""

from __future__ import annotations

import asyncio
import configparser
import itertools
import logging
import random
import types
from collections.abc import Iterator
from typing import Any

import aiohttp
import orjson
import pytest

from packagex_async import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PackageX,
    ResponseTooLargeError,
)
from packagex_async._http import _pipeline
from packagex_async._http._clock import RecordingClock, set_clock

from ..builders import API, KEY, envelope
from ..conftest import MockAPI
from ..hostile._server import HostileServer, Received, response

PATH = "/v1/batches/b"


class Runaway(BaseException):
    """Raised by the mock at an attempt past the last one that may be made.

    A ``BaseException``, so the pipeline cannot turn it into an error of its own: a
    retry loop that would not end fails the test at once instead of hanging it.
    """


def at_most(attempts: int) -> Any:
    """An aioresponses callback that lets ``attempts`` requests through, then stops all."""
    counter = itertools.count(1)

    def callback(url: Any, **_: Any) -> None:
        if next(counter) > attempts:
            raise Runaway(f"attempt past the {attempts} allowed")

    return callback


@pytest.fixture
def seeded() -> Iterator[RecordingClock]:
    """Seeded jitter (the waits themselves stay zero: testing mode is on)."""
    fake = RecordingClock(seed=3)
    previous = set_clock(fake)
    yield fake
    set_clock(previous)


# -- attempts: exactly max_retries + 1 for a retried failure, one for a final one


@pytest.mark.parametrize(
    ("status", "max_retries", "error_class", "attempts"),
    [
        (500, 2, InternalServerError, 3),
        (500, 0, InternalServerError, 1),
        (404, 2, NotFoundError, 1),
        (400, 3, BadRequestError, 1),
    ],
)
async def test_a_failing_request_gets_exactly_its_attempts(
    mock_api: MockAPI,
    status: int,
    max_retries: int,
    error_class: type[Exception],
    attempts: int,
) -> None:
    guard = at_most(attempts)
    mock_api.get(PATH, status=status, payload=envelope(None), repeat=True, callback=guard)

    async with PackageX(KEY, base_url=API, max_retries=max_retries) as px:
        with pytest.raises(error_class):
            await px.batches.retrieve("b")

    assert len(mock_api.sent()) == attempts


async def test_a_silent_server_is_a_timeout_of_the_client_s_own() -> None:
    async def silent(_: Received, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)

    async with (
        HostileServer(silent) as server,
        PackageX(KEY, base_url=server.url, timeout=0.25, max_retries=0) as px,
    ):
        with pytest.raises(APITimeoutError) as caught:
            # The guard only matters if the client's own timeout is lost.
            await asyncio.wait_for(px.batches.retrieve("b"), 10)

    assert str(caught.value) == "GET /v1/batches/b took longer than the 0.25s timeout"


# -- the log lines of attempts and retries


def fake_perf_counter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attempt takes 125 ms on the clock the debug line reads."""
    ticks = itertools.count(0.0, 0.125)
    fake_time = types.SimpleNamespace(perf_counter=lambda: next(ticks))
    monkeypatch.setattr(_pipeline, "time", fake_time)


def messages(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == "packagex_async" and r.levelno == level
    ]


async def test_each_attempt_is_logged_with_its_result_duration_and_number(
    mock_api: MockAPI, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG, logger="packagex_async")
    fake_perf_counter(monkeypatch)
    mock_api.get(PATH, exception=aiohttp.ClientConnectionError("refused"))
    mock_api.get(PATH, status=500, payload=envelope(None))
    mock_api.get(PATH, payload=envelope({"id": "b"}))

    async with PackageX(KEY, base_url=API, max_retries=2) as px:
        await px.batches.retrieve("b")

    assert messages(caplog, logging.DEBUG) == [
        "GET /v1/batches/b -> APIConnectionError in 125.0 ms (attempt 1 of 3)",
        "GET /v1/batches/b -> 500 in 125.0 ms (attempt 2 of 3)",
        "GET /v1/batches/b -> 200 in 125.0 ms (attempt 3 of 3)",
    ]


async def test_each_retry_is_logged_with_the_failure_its_number_and_its_wait(
    mock_api: MockAPI, caplog: pytest.LogCaptureFixture, seeded: RecordingClock
) -> None:
    caplog.set_level(logging.INFO, logger="packagex_async")
    mock_api.get(PATH, status=500, payload=envelope(None, message="down"), repeat=True)

    async with PackageX(
        KEY, base_url=API, max_retries=2, retry_initial_delay=0.5, retry_max_delay=8.0
    ) as px:
        with pytest.raises(InternalServerError) as caught:
            await px.batches.retrieve("b")

    rng = random.Random(3)
    waits = [step / 2 + rng.uniform(0, step / 2) for step in (0.5, 1.0)]
    assert messages(caplog, logging.INFO) == [
        f"GET /v1/batches/b failed ({caught.value}); retry {n} of 2 in {wait:.2f}s"
        for n, wait in enumerate(waits, start=1)
    ]
    assert caught.value.message == "down"


# -- error answers: read up to 64 KiB to find the envelope and quote it


async def test_a_large_error_body_is_quoted_from_its_first_64_kib(
    px: PackageX, mock_api: MockAPI
) -> None:
    mock_api.get(PATH, status=400, body=b"x" * 100_000)

    with pytest.raises(BadRequestError) as caught:
        await px.batches.retrieve("b")

    excerpt = repr("x" * 200 + "...")
    assert caught.value.message == f"the answer was not the PackageX JSON envelope: {excerpt}"


def padded_error(size: int) -> bytes:
    """An error envelope of exactly ``size`` bytes."""
    body = {"message": "padded", "code": "c", "pad": ""}
    short = len(orjson.dumps(body))
    body["pad"] = "p" * (size - short)
    raw = orjson.dumps(body)
    assert len(raw) == size
    return raw


async def test_an_error_envelope_of_64_kib_is_read_and_one_past_it_is_not(
    px: PackageX, mock_api: MockAPI
) -> None:
    limit = _pipeline.ERROR_BODY_LIMIT
    mock_api.get(PATH, status=400, body=padded_error(limit))
    mock_api.get(PATH, status=400, body=padded_error(limit + 10))

    with pytest.raises(BadRequestError) as whole:
        await px.batches.retrieve("b")
    with pytest.raises(BadRequestError) as cut:
        await px.batches.retrieve("b")

    assert whole.value.message == "padded"
    assert whole.value.code == "c"
    assert cut.value.message.startswith("the answer was not the PackageX JSON envelope: ")
    assert cut.value.code is None


async def test_an_error_body_cut_short_is_reported_by_its_status() -> None:
    async def cut_short(_: Received, writer: asyncio.StreamWriter) -> None:
        head = response(500, b"", {"Content-Length": "1000"}, length=False)
        writer.write(head + b'{"message": "par')
        await writer.drain()
        writer.close()

    async with (
        HostileServer(cut_short) as server,
        PackageX(KEY, base_url=server.url, timeout=2, max_retries=0) as px,
    ):
        with pytest.raises(InternalServerError) as caught:
            await px.batches.retrieve("b")

    assert caught.value.status == 500
    assert caught.value.message == "the answer was not the PackageX JSON envelope: (empty body)"


# -- success answers: at most max_response_bytes, counted across chunks


async def test_a_body_over_the_cap_in_chunks_each_under_it_is_too_large() -> None:
    limit = 100_000  # more than one read (64 KiB at most), less than two

    async def big(_: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(200, b" " * (limit + 50_000)))

    async with (
        HostileServer(big) as server,
        PackageX(KEY, base_url=server.url, max_response_bytes=limit, max_retries=2) as px,
    ):
        with pytest.raises(ResponseTooLargeError) as caught:
            await px.batches.retrieve("b")

    assert caught.value.status == 200
    assert caught.value.limit == limit
    assert str(caught.value) == (
        "GET /v1/batches/b answered with a body larger than max_response_bytes=100000 "
        "(measured after decompression); it was not read further"
    )
    assert len(server.requests) == 1, "not retried: the same request gets the same answer"


def padded_envelope(size: int) -> bytes:
    """A success envelope of exactly ``size`` bytes."""
    body: dict[str, Any] = {"data": {"id": "b"}, "pad": ""}
    body["pad"] = "p" * (size - len(orjson.dumps(body)))
    raw = orjson.dumps(body)
    assert len(raw) == size
    return raw


async def test_a_body_of_exactly_the_cap_is_read_and_one_byte_more_is_not(
    mock_api: MockAPI,
) -> None:
    limit = 70_000
    mock_api.get(PATH, body=padded_envelope(limit))
    mock_api.get(PATH, body=padded_envelope(limit + 1))

    async with PackageX(KEY, base_url=API, max_response_bytes=limit) as px:
        assert (await px.batches.retrieve("b")).id == "b"
        with pytest.raises(ResponseTooLargeError):
            await px.batches.retrieve("b")


async def test_a_success_body_that_is_not_the_envelope_keeps_an_excerpt(
    mock_api: MockAPI,
) -> None:
    mock_api.get(PATH, body=b"<html>maintenance</html>", repeat=True)

    async with PackageX(KEY, base_url=API, max_retries=0) as px:
        with pytest.raises(APIResponseValidationError) as caught:
            await px.batches.retrieve("b")

    assert caught.value.status == 200
    assert caught.value.body == b"<html>maintenance</html>"
    assert str(caught.value) == (
        "GET /v1/batches/b answered HTTP 200 with a body that is not the PackageX JSON "
        "envelope: '<html>maintenance</html>'"
    )


# -- whatever the HTTP library raises becomes one of ours


@pytest.mark.parametrize(
    ("raised", "named"),
    [
        (configparser.Error("no section"), "configparser.Error: no section"),
        (ValueError("bad: twice: over"), "ValueError: bad: twice: over"),
        (ValueError(), "ValueError: (no message)"),
    ],
    ids=["module_named", "colons_kept", "no_message"],
)
async def test_an_unexpected_exception_is_named_with_its_module_and_whole_message(
    mock_api: MockAPI, raised: Exception, named: str
) -> None:
    """A builtin by its name, anything else with its module; the message as it is."""
    mock_api.get(PATH, exception=raised)

    async with PackageX(KEY, base_url=API, max_retries=0) as px:
        with pytest.raises(APIConnectionError) as caught:
            await px.batches.retrieve("b")

    assert f"with an unexpected {named}; not a network failure" in str(caught.value)


async def test_an_unexpected_exception_of_the_http_client_is_final_and_ours(
    mock_api: MockAPI,
) -> None:
    mock_api.get(PATH, exception=ValueError("no such thing"), repeat=True)

    async with PackageX(KEY, base_url=API, max_retries=2) as px:
        with pytest.raises(APIConnectionError) as caught:
            await px.batches.retrieve("b")

    assert str(caught.value) == (
        "GET /v1/batches/b failed inside the HTTP library "
        f"(aiohttp {aiohttp.__version__}) with an unexpected ValueError: no such thing; "
        "not a network failure, so not retried (a bug, or a mock made for another "
        "aiohttp version)"
    )
    assert len(mock_api.sent()) == 1, "not retried: another attempt cannot help"


async def test_a_connect_timeout_is_named_and_even_a_write_is_resent(
    mock_api: MockAPI,
) -> None:
    for _ in range(2):
        mock_api.post("/v1/exports", exception=aiohttp.ConnectionTimeoutError())
    mock_api.post("/v1/exports", status=201, payload=envelope({"id": "exp_1"}))
    mock_api.get(PATH, exception=aiohttp.ConnectionTimeoutError(), repeat=True)

    async with PackageX(KEY, base_url=API, max_retries=2, timeout=1.5) as px:
        created = await px.exports.create(resource="shipment")
        with pytest.raises(APITimeoutError) as caught:
            await px.batches.retrieve("b")

    assert created.id == "exp_1"
    posts = [url for url, _ in mock_api.sent() if url.path == "/v1/exports"]
    assert len(posts) == 3, "certainly not sent, so resent though it is a write"
    assert str(caught.value) == "GET /v1/batches/b could not connect within 1.5s"
