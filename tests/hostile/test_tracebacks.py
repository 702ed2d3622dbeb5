"""What an error tracker records: every frame's locals, as reprs, for each kind of failure.

Sentry and similar tools capture frame locals by default, so a repr that holds the
API key or a presigned URL's signature leaves the process with the error. Each test
formats ``traceback.TracebackException(..., capture_locals=True)`` whole and looks
for every secret in it. The secrets live in module constants, never in the test
functions' own locals (whose frame the traceback also shows).
"""

from __future__ import annotations

import asyncio
import socket
import traceback
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from packagex_async import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    Batch,
    FileURLExpiredError,
    NotFoundError,
    PackageX,
    PackageXError,
    PackageXTypeError,
    WaitTimeoutError,
    to_dict,
)

from ._secrets import CREDENTIAL, KEY, QUERY, SECRETS, SIGNATURE
from ._server import HostileServer, Received, envelope, json_response, response, stall

pytestmark = pytest.mark.frame_locals

STORAGE_PATH = "/bucket/batch_1/result.json"


def _batch(storage: str) -> dict[str, Any]:
    return {
        "id": "batch_1",
        "status": "processing",
        "_result_json_url": f"{storage}{STORAGE_PATH}?{QUERY}",
    }


async def _api(request: Received, writer: asyncio.StreamWriter) -> None:
    """The API: answers by the batch id, echoing the key where a hostile server would."""
    if request.path.endswith("/missing"):
        body = {"message": f"no batch for key {KEY}", "code": "not_found", "errors": []}
        writer.write(json_response(body, 404))
    elif request.path.endswith("/garbled"):
        writer.write(response(200, f"<html>{KEY} {QUERY}</html>".encode()))
    elif request.path.endswith("/stalled"):
        await stall()
    else:
        writer.write(json_response(envelope(_batch(STORAGE[0]))))


async def _storage(request: Received, writer: asyncio.StreamWriter) -> None:
    """An S3-like host: a 403 that quotes the signed request back."""
    text = f"<Error>expired: {request.target} {CREDENTIAL} {SIGNATURE}</Error>"
    writer.write(response(403, text.encode(), {"Content-Type": "application/xml"}))


STORAGE = [""]
"""The storage server's URL, once started (a module constant: not a test's local)."""


@pytest.fixture
async def px() -> AsyncIterator[PackageX]:
    async with HostileServer(_api) as api, HostileServer(_storage) as storage:
        STORAGE[0] = storage.url
        async with PackageX(KEY, base_url=api.url, max_retries=0, timeout=5) as client:
            yield client


def _formatted(error: BaseException) -> str:
    """The whole traceback as an error tracker renders it, with every frame's locals."""
    exception = traceback.TracebackException.from_exception(error, capture_locals=True)
    return "".join(exception.format())


async def _failure(call: Awaitable[Any]) -> BaseException:
    try:
        await call
    except Exception as error:  # each test checks the class it expects
        return error
    raise AssertionError("the call did not fail")


def _assert_clean(error: BaseException, cls: type[BaseException]) -> None:
    assert isinstance(error, cls)
    text = _formatted(error)
    assert "Traceback" in text
    assert " = " in text  # the locals are there to look at
    for secret in SECRETS:
        assert secret not in text


async def test_an_api_error_status(px: PackageX) -> None:
    _assert_clean(await _failure(px.batches.retrieve("missing")), NotFoundError)


async def test_a_body_that_is_not_the_envelope(px: PackageX) -> None:
    _assert_clean(await _failure(px.batches.retrieve("garbled")), APIResponseValidationError)


async def test_a_timeout() -> None:
    async with (
        HostileServer(stall) as api,
        PackageX(KEY, base_url=api.url, max_retries=0, timeout=0.2) as px,
    ):
        error = await _failure(px.batches.retrieve("stalled"))
    _assert_clean(error, APITimeoutError)


async def test_a_refused_connection() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    async with PackageX(KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0) as px:
        error = await _failure(px.batches.retrieve("batch_1"))
    _assert_clean(error, APIConnectionError)


async def test_a_refused_presigned_download(px: PackageX, tmp_path: Path) -> None:
    error = await _failure(px.batches.download("batch_1", "result_json", tmp_path / "r.json"))
    _assert_clean(error, FileURLExpiredError)


async def test_a_refused_read_of_a_models_url(px: PackageX) -> None:
    batch = await px.batches.retrieve("batch_1", include_result_json=True)
    error = await _failure(px.files.read(batch.result_json_url or ""))
    _assert_clean(error, FileURLExpiredError)


async def test_rows_of_a_refused_file(px: PackageX) -> None:
    async def consume() -> None:
        async for _ in px.batches.rows("batch_1", "result_json"):
            pass

    _assert_clean(await _failure(consume()), FileURLExpiredError)


async def test_a_wait_that_times_out_holding_the_job(px: PackageX) -> None:
    call = px.batches.wait("batch_1", timeout=0.05, poll_interval=0.01)
    error = await _failure(call)
    _assert_clean(error, WaitTimeoutError)
    assert isinstance(error, WaitTimeoutError)
    assert isinstance(error.last, Batch)


async def test_a_borrowed_session_whose_requests_carry_the_key() -> None:
    async with (
        HostileServer(_api) as api,
        aiohttp.ClientSession() as session,
        PackageX(KEY, base_url=api.url, session=session, max_retries=0) as px,
    ):
        error = await _failure(px.batches.retrieve("missing"))
    _assert_clean(error, NotFoundError)


async def test_to_dict_of_a_list_of_models(px: PackageX) -> None:
    batch = await px.batches.retrieve("batch_1", include_result_json=True)
    assert batch.result_json_url is not None
    assert SIGNATURE in batch.result_json_url
    with pytest.raises(PackageXTypeError) as caught:
        to_dict([batch])  # type: ignore[arg-type]
    _assert_clean(caught.value, PackageXError)


def test_a_models_repr_shows_its_url_without_the_signature() -> None:
    batch = Batch(id="batch_1", result_json_url=f"https://s3.example{STORAGE_PATH}?{QUERY}")
    assert f"result_json_url='https://s3.example{STORAGE_PATH}?[redacted]'" in repr(batch)
    assert batch.result_json_url == f"https://s3.example{STORAGE_PATH}?{QUERY}"
