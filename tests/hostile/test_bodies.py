"""Bodies the API host should never send: not JSON, not the envelope, too big, lying headers.

``ResponseTooLargeError`` is part of the reworked surface; it is looked up when a
test runs, so this module imports on an SDK that does not have it yet.
"""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import importlib
import json
import logging
import math
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import packagex_async
from packagex_async import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PackageX,
    PackageXError,
    PermissionDeniedError,
    RateLimitError,
)
from packagex_async.testing import set_testing

from ._secrets import KEY, assert_no_secret
from ._server import HostileServer, Received, json_response, response

ENVELOPE = {"data": {"id": "batch_1", "status": "completed"}}


def response_too_large_error() -> type[Exception]:
    cls = getattr(packagex_async, "ResponseTooLargeError", None)
    if cls is None:
        pytest.fail("packagex_async.ResponseTooLargeError does not exist")
    assert issubclass(cls, APIResponseValidationError)
    return cls  # type: ignore[no-any-return]


def always(raw: bytes) -> Callable[[Received, asyncio.StreamWriter], Any]:
    async def handler(_: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(raw)

    return handler


async def retrieve_error(
    server: HostileServer, *, max_retries: int = 2, **options: Any
) -> BaseException:
    async with PackageX(
        KEY, base_url=server.url, timeout=0.5, max_retries=max_retries, **options
    ) as px:
        with pytest.raises(Exception) as caught:  # noqa: PT011 - the class is asserted after
            await px.batches.retrieve("batch_1")
    return caught.value


# -- 200 with a body that is not the envelope: retried, then APIResponseValidationError

NOT_ENVELOPES = {
    "html": b"<html><body>Service temporarily unavailable</body></html>",
    "empty": b"",
    "binary": bytes(range(256)),
    "truncated_json": b'{"data": {"id": "bat',
    "json_null": b"null",
    "json_array": b"[]",
    "json_string": b'"data"',
    "json_number": b"42",
    "object_without_data": b'{"message": "ok", "status": 200}',
    "empty_object": b"{}",
    "data_with_other_case": b'{"Data": {"id": "batch_1"}}',
    "nan_literal": b'{"data": NaN}',
    "deeply_nested": b'{"data": ' + b"[" * 100_000,
    "html_echoing_key": b"<html>the key " + KEY.encode() + b" is not valid here</html>",
}


@pytest.mark.parametrize("max_retries", [0, 2])
@pytest.mark.parametrize("body", list(NOT_ENVELOPES))
async def test_a_success_status_without_the_envelope_is_a_validation_error_retried(
    body: str, max_retries: int, records: list[logging.LogRecord]
) -> None:
    raw = response(200, NOT_ENVELOPES[body], {"Content-Type": "application/json"})
    async with HostileServer(always(raw)) as server:
        error = await retrieve_error(server, max_retries=max_retries)

    assert isinstance(error, APIResponseValidationError), repr(error)
    assert len(server.requests) == max_retries + 1
    assert_no_secret(error, records, [KEY])


# -- error statuses whose body echoes the key back

ECHOING_ENVELOPE = {
    "message": f"invalid API key {KEY}",
    "code": f"bad_key_{KEY}",
    "errors": [{"field": "PX-API-KEY", "value": KEY}, f"header PX-API-KEY: {KEY}"],
    "endpoint": f"/v1/batches/batch_1?PX-API-KEY={KEY}",
    "data": None,
}


@pytest.mark.parametrize(
    ("status", "error_class", "attempts"),
    [
        (400, BadRequestError, 1),
        (401, AuthenticationError, 1),
        (403, PermissionDeniedError, 1),
        (404, NotFoundError, 1),
        (409, APIStatusError, 1),
        (500, InternalServerError, 3),
        (502, InternalServerError, 3),
        (503, InternalServerError, 3),
        (504, InternalServerError, 3),
    ],
)
@pytest.mark.parametrize("shape", ["envelope", "html"])
async def test_an_error_body_echoing_the_key_does_not_leak_it(
    status: int,
    error_class: type[APIStatusError],
    attempts: int,
    shape: str,
    records: list[logging.LogRecord],
) -> None:
    if shape == "envelope":
        raw = json_response(ECHOING_ENVELOPE, status)
    else:
        page = f"<html><pre>PX-API-KEY: {KEY}\nGET /v1/batches/batch_1</pre></html>".encode()
        raw = response(status, page, {"Content-Type": "text/html"})
    async with HostileServer(always(raw)) as server:
        error = await retrieve_error(server, max_retries=2)

    assert isinstance(error, error_class), repr(error)
    assert error.status == status
    assert len(server.requests) == attempts
    assert_no_secret(error, records, [KEY])


@pytest.mark.parametrize("max_retries", [0, 2])
@pytest.mark.parametrize(
    ("status", "error_class"),
    [(429, RateLimitError), (500, InternalServerError), (503, InternalServerError)],
)
async def test_retried_statuses_are_sent_exactly_n_plus_1_times(
    status: int, error_class: type[APIStatusError], max_retries: int
) -> None:
    raw = json_response({"message": "try later", "data": None}, status)
    async with HostileServer(always(raw)) as server:
        error = await retrieve_error(server, max_retries=max_retries)

    assert isinstance(error, error_class), repr(error)
    assert len(server.requests) == max_retries + 1
    if status == 429:
        assert hasattr(error, "retry_after")


# -- Retry-After: any garbage is "no hint", never a crash and never an endless wait

GARBAGE_RETRY_AFTER = [
    "",
    "soon",
    "1e400",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "-5",
    "0x10",
    "1_000",
    "5 seconds",
    "99999999999999999999999",
    "9" * 5000,
    "Fri, 31 Dec 99999 23:59:59 GMT",
    "Mon, 32 Foo 2024 99:99:99 GMT",
    "Wed, 21 Oct 2015 07:28:00 +9999",
    "Mon, 01 Jan 0001 00:00:00 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "☃",
    "1.5.5",
]
CONTROL_RETRY_AFTER = ["\x00", "1\x002", "\x7f\x01"]


def header_value(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def check_retry_after(value: object) -> None:
    assert value is None or (
        isinstance(value, (int, float)) and math.isfinite(value) and value >= 0
    ), f"retry_after should be None or finite seconds >= 0, got {value!r}"


@pytest.mark.parametrize(
    ("status", "error_class"), [(429, RateLimitError), (503, InternalServerError)]
)
@pytest.mark.parametrize("value", GARBAGE_RETRY_AFTER)
async def test_garbage_retry_after_keeps_the_status_error(
    value: str, status: int, error_class: type[APIStatusError], records: list[logging.LogRecord]
) -> None:
    raw = json_response({"message": "slow down", "data": None}, status)
    raw = raw.replace(b"\r\n\r\n", b"\r\nRetry-After: " + header_value(value) + b"\r\n\r\n", 1)
    async with HostileServer(always(raw)) as server:
        error = await retrieve_error(server, max_retries=2)

    assert isinstance(error, error_class), repr(error)
    assert 1 <= len(server.requests) <= 3
    check_retry_after(getattr(error, "retry_after", None))
    assert_no_secret(error, records, [KEY])


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("value", CONTROL_RETRY_AFTER)
async def test_control_characters_in_retry_after_are_still_a_packagex_error(
    value: str, status: int, records: list[logging.LogRecord]
) -> None:
    raw = json_response({"message": "slow down", "data": None}, status)
    raw = raw.replace(b"\r\n\r\n", b"\r\nRetry-After: " + header_value(value) + b"\r\n\r\n", 1)
    async with HostileServer(always(raw)) as server:
        error = await retrieve_error(server, max_retries=2)

    assert isinstance(error, PackageXError), repr(error)
    assert 1 <= len(server.requests) <= 3
    assert_no_secret(error, records, [KEY])


@pytest.fixture
def real_waits() -> Iterator[None]:
    set_testing(False)
    yield
    set_testing(True)


@pytest.mark.parametrize("value", GARBAGE_RETRY_AFTER)
async def test_garbage_retry_after_never_makes_the_client_wait_long(
    value: str, real_waits: None
) -> None:
    raw = json_response({"message": "slow down", "data": None}, 429)
    raw = raw.replace(b"\r\n\r\n", b"\r\nRetry-After: " + header_value(value) + b"\r\n\r\n", 1)
    waits = {"retry_initial_delay": 0.01, "retry_max_delay": 0.02}
    async with (
        HostileServer(always(raw)) as server,
        PackageX(KEY, base_url=server.url, timeout=0.5, **waits) as px,
    ):
        with pytest.raises(RateLimitError):
            await asyncio.wait_for(px.batches.retrieve("batch_1"), timeout=5)

    assert 1 <= len(server.requests) <= 3


def parse_retry_after() -> Callable[..., float | None]:
    module = importlib.import_module("packagex_async._http._retry")
    return module.parse_retry_after  # type: ignore[no-any-return]


@pytest.mark.parametrize("value", [*GARBAGE_RETRY_AFTER, *CONTROL_RETRY_AFTER, "\ud800"])
def test_parse_retry_after_never_raises_and_returns_finite_seconds(value: str) -> None:
    check_retry_after(parse_retry_after()(value))
    check_retry_after(parse_retry_after()(value, now=0.0))


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("5", 5.0), ("0", 0.0), ("120", 120.0), (None, None), ("Thu, 01 Jan 1970 00:00:30 GMT", 30.0)],
)
def test_parse_retry_after_reads_seconds_and_dates(value: str | None, seconds: float) -> None:
    assert parse_retry_after()(value, now=0.0) == seconds


def test_parse_retry_after_reads_a_date_relative_to_now() -> None:
    now = 1_700_000_000.0
    value = email.utils.formatdate(now + 42, usegmt=True)
    assert parse_retry_after()(value, now=now) == pytest.approx(42.0)
    assert parse_retry_after()(email.utils.formatdate(now - 42, usegmt=True), now=now) == 0


@given(st.text(max_size=60))
def test_parse_retry_after_never_raises_for_any_text(value: str) -> None:
    check_retry_after(parse_retry_after()(value))


# -- bodies over max_response_bytes: ResponseTooLargeError, one request

LIMIT = 4096


def padded_envelope(size: int) -> bytes:
    """A valid envelope of exactly ``size`` bytes (JSON allows trailing white space)."""
    body = json.dumps(ENVELOPE).encode()
    assert len(body) <= size
    return body + b" " * (size - len(body))


def chunked(body: bytes, piece: int = 1000) -> bytes:
    parts = [
        b"%x\r\n" % len(body[i : i + piece]) + body[i : i + piece] + b"\r\n"
        for i in range(0, len(body), piece)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def deflated(body: bytes) -> bytes:
    return zlib.compress(body, 9)


def too_large_answers(size: int) -> dict[str, bytes]:
    """The same ``size``-byte envelope, framed and encoded every way HTTP allows."""
    body = padded_envelope(size)
    json_type = ("Content-Type", "application/json")
    return {
        "plain_with_length": response(200, body, [json_type]),
        "plain_chunked": response(
            200, chunked(body), [json_type, ("Transfer-Encoding", "chunked")], length=False
        ),
        "plain_until_close": response(
            200, body, [json_type, ("Connection", "close")], length=False
        ),
        "gzip_with_length": response(
            200, gzip.compress(body, 9), [json_type, ("Content-Encoding", "gzip")]
        ),
        "gzip_chunked": response(
            200,
            chunked(gzip.compress(body, 9), piece=7),
            [json_type, ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
            length=False,
        ),
        "deflate_with_length": response(
            200, deflated(body), [json_type, ("Content-Encoding", "deflate")]
        ),
    }


FRAMINGS = list(too_large_answers(LIMIT))


def answer_once(raw: bytes, *, close: bool) -> Callable[[Received, asyncio.StreamWriter], Any]:
    async def handler(_: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(raw)
        if close:
            await writer.drain()
            writer.close()

    return handler


@pytest.mark.parametrize("framing", FRAMINGS)
@pytest.mark.parametrize("size", [LIMIT + 1, 64 * LIMIT, 1024 * LIMIT])
async def test_a_body_over_max_response_bytes_is_too_large_and_not_retried(
    framing: str, size: int, records: list[logging.LogRecord]
) -> None:
    too_large = response_too_large_error()
    raw = too_large_answers(size)[framing]
    async with HostileServer(answer_once(raw, close=framing == "plain_until_close")) as server:
        error = await retrieve_error(server, max_retries=2, max_response_bytes=LIMIT)

    assert isinstance(error, too_large), repr(error)
    assert error.limit == LIMIT  # type: ignore[attr-defined]
    assert len(server.requests) == 1, "the same request would get the same answer"
    assert_no_secret(error, records, [KEY])


@pytest.mark.parametrize("framing", FRAMINGS)
async def test_a_body_of_exactly_max_response_bytes_is_read(framing: str) -> None:
    raw = too_large_answers(LIMIT)[framing]
    async with (
        HostileServer(answer_once(raw, close=framing == "plain_until_close")) as server,
        PackageX(KEY, base_url=server.url, timeout=0.5, max_response_bytes=LIMIT) as px,
    ):
        batch = await px.batches.retrieve("batch_1")

    assert batch.id == "batch_1"
    assert len(server.requests) == 1


async def test_a_gzip_body_that_lies_about_its_length_is_too_large_not_short() -> None:
    """Content-Length counts the compressed bytes: the limit applies after decompression."""
    too_large = response_too_large_error()
    compressed = gzip.compress(padded_envelope(100 * LIMIT), 9)
    assert len(compressed) < LIMIT
    raw = response(200, compressed, {"Content-Encoding": "gzip"})
    async with HostileServer(always(raw)) as server:
        error = await retrieve_error(server, max_retries=2, max_response_bytes=LIMIT)

    assert isinstance(error, too_large), repr(error)
    assert len(server.requests) == 1
