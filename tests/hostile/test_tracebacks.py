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
import sys
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
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
    PackageXValueError,
    RedisPacing,
    WaitTimeoutError,
    to_dict,
)

from ._secrets import CREDENTIAL, KEY, QUERY, SECRETS, SIGNATURE, exception_chain
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


PROXY_PASSWORD = "pr0xySECRET5309"
PROXY = f"http://proxyuser:{PROXY_PASSWORD}@127.0.0.1:3128"
"""A usable proxy URL with credentials: only another argument is wrong."""

REFUSED_CONSTRUCTIONS: dict[str, Callable[[], object]] = {
    "a proxy of another scheme": lambda: PackageX(
        KEY, proxy=f"socks5://proxyuser:{PROXY_PASSWORD}@127.0.0.1:1080"
    ),
    "a proxy URL the parser refuses": lambda: PackageX(
        KEY, proxy=f"http://proxyuser:{PROXY_PASSWORD}@[::1"
    ),
    "a proxy without a host": lambda: PackageX(KEY, proxy=f"http://proxyuser:{PROXY_PASSWORD}@"),
    "a bad timeout beside a good proxy": lambda: PackageX(KEY, proxy=PROXY, timeout=-1),
    "a bad trust_env beside a good proxy": lambda: PackageX(
        KEY,
        proxy=PROXY,
        trust_env="yes",  # type: ignore[arg-type]
    ),
    "a bad pacing beside a good proxy": lambda: PackageX(
        KEY,
        proxy=PROXY,
        pacing="redis://",  # type: ignore[arg-type]
    ),
    "a base URL of another scheme": lambda: PackageX(
        KEY, base_url=f"ftp://user:{PROXY_PASSWORD}@api.example.com"
    ),
    "a Redis URL of another scheme": lambda: RedisPacing(
        f"http://:{PROXY_PASSWORD}@127.0.0.1:6379/0"
    ),
    "a bad Redis timeout beside a good URL": lambda: RedisPacing(
        f"redis://:{PROXY_PASSWORD}@127.0.0.1:6379/0", timeout=-1
    ),
}
"""Each a call that makes ``PackageX(...)`` itself raise (lambdas: no secret in a local)."""


@pytest.mark.parametrize("case", sorted(REFUSED_CONSTRUCTIONS))
def test_a_refused_construction_holds_neither_the_key_nor_a_password(case: str) -> None:
    with pytest.raises((PackageXValueError, PackageXTypeError)) as caught:
        REFUSED_CONSTRUCTIONS[case]()

    _assert_clean(caught.value, PackageXError)
    for error in exception_chain(caught.value):  # suppressed contexts included
        text = _formatted(error) + repr(error)
        assert PROXY_PASSWORD not in text
        assert KEY not in text


def test_an_unknown_keyword_holds_neither_the_key_nor_a_password() -> None:
    """Python itself refuses the call, inside the wrapper that checks the constructor:
    its frame keeps no argument either."""
    with pytest.raises(TypeError, match="unexpected keyword argument 'proxyy'") as caught:
        PackageX(KEY, proxyy=PROXY)  # type: ignore[call-arg]

    text = _formatted(caught.value)
    assert PROXY_PASSWORD not in text
    assert KEY not in text


def test_a_missing_redis_py_is_said_without_the_urls_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)  # as if the extra were not installed
    monkeypatch.setitem(sys.modules, "redis.asyncio", None)
    with pytest.raises(ImportError, match=r"packagex_async\[redis\]") as caught:
        RedisPacing(f"redis://:{PROXY_PASSWORD}@127.0.0.1:6379/0")

    assert PROXY_PASSWORD not in _formatted(caught.value)


class _Client(PackageX):
    """A user's subclass: its ``__init__`` frame, holding ``self``, is in the traceback."""

    def __init__(self) -> None:
        super().__init__(KEY, proxy=f"socks5://proxyuser:{PROXY_PASSWORD}@127.0.0.1:1080")


class _Pacing(RedisPacing):
    def __init__(self) -> None:
        super().__init__(f"redis://:{PROXY_PASSWORD}@127.0.0.1:6379/0", namespace="")


@pytest.mark.parametrize(
    ("subclass", "shown"),
    [(_Client, "<PackageX not constructed>"), (_Pacing, "<RedisPacing not constructed>")],
)
def test_a_subclass_whose_construction_is_refused_shows_an_object_not_constructed(
    subclass: Callable[[], object], shown: str
) -> None:
    with pytest.raises(PackageXValueError) as caught:
        subclass()

    text = _formatted(caught.value)  # the half-built object's repr used to raise
    assert f"self = {shown}" in text
    assert PROXY_PASSWORD not in text


def test_an_environment_proxy_the_constructor_refuses_stays_out_of_the_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"socks5://proxyuser:{PROXY_PASSWORD}@127.0.0.1:1080")
    with pytest.raises(PackageXValueError, match="HTTPS_PROXY") as caught:
        PackageX(KEY)

    _assert_clean(caught.value, PackageXValueError)
    assert PROXY_PASSWORD not in _formatted(caught.value)
