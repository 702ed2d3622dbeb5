"""The storage host behind presigned URLs: errors, echoes, redirects, bad URLs, the key.

A presigned URL's query string is its signature: it may be quoted back by a storage
host but must never surface in an error, a traceback or a log record. The API key is
never sent to a storage host, nor to whatever host it redirects to.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from packagex_async import (
    APIConnectionError,
    APITimeoutError,
    FileDownloadError,
    FileURLExpiredError,
    PackageX,
    PackageXError,
)

from ._secrets import CREDENTIAL, KEY, QUERY, SECRETS, SIGNATURE, assert_no_secret
from ._server import Handler, HostileServer, Received, envelope, json_response, response, stall

FILE_BODY = b'[{"row": 1}, {"row": 2}]'


def presigned(server: HostileServer, path: str = "/bucket/batch_1/result.json") -> str:
    return f"{server.url}{path}?{QUERY}"


def s3_error(status: int, url: str) -> bytes:
    """An S3-style error page quoting the request back, signature and all."""
    body = (
        "<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code>"
        f"<Message>Request has expired or is invalid: {url}</Message>"
        f"<X-Amz-Credential>{CREDENTIAL}</X-Amz-Credential>"
        f"<SignatureProvided>{SIGNATURE}</SignatureProvided>"
        f"<CanonicalQueryString>{QUERY}</CanonicalQueryString>"
        f"<RequestURL>{url}</RequestURL></Error>"
    ).encode()
    return response(status, body, {"Content-Type": "application/xml"})


def storage_answering(status: int) -> Handler:
    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        if status == 200:
            writer.write(response(200, FILE_BODY, {"Content-Type": "application/json"}))
        else:
            writer.write(s3_error(status, f"http://storage{request.target}"))

    return handler


# -- error statuses from storage


@pytest.mark.parametrize("max_retries", [0, 2])
@pytest.mark.parametrize(
    ("status", "error_class", "retried"),
    [
        (403, FileURLExpiredError, False),
        (400, FileDownloadError, False),
        (404, FileDownloadError, False),
        (410, FileDownloadError, False),
        (500, FileDownloadError, True),
        (503, FileDownloadError, True),
    ],
)
async def test_a_storage_error_echoing_the_query_is_reported_without_it(
    status: int,
    error_class: type[FileDownloadError],
    retried: bool,
    max_retries: int,
    records: list[logging.LogRecord],
) -> None:
    async with (
        HostileServer(storage_answering(status)) as storage,
        PackageX(KEY, base_url=storage.url, timeout=0.5, max_retries=max_retries) as px,
    ):
        url = presigned(storage)
        with pytest.raises(FileDownloadError) as caught:
            await px.files.read(url)

    assert isinstance(caught.value, error_class)
    if error_class is FileDownloadError:
        assert not isinstance(caught.value, FileURLExpiredError)
    assert caught.value.status == status
    assert len(storage.requests) == (max_retries + 1 if retried else 1)
    assert storage.requests[0].target == f"/bucket/batch_1/result.json?{QUERY}", "sent as given"
    assert_no_secret(caught.value, records, SECRETS)


# -- redirects from storage: followed (no key to leak), but never forever


async def test_a_storage_redirect_loop_is_a_connection_error(
    records: list[logging.LogRecord],
) -> None:
    async def loop_to_itself(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(302, b"", {"Location": request.target}))

    async with (
        HostileServer(loop_to_itself) as storage,
        PackageX(KEY, base_url=storage.url, timeout=0.5, max_retries=2) as px,
    ):
        url = presigned(storage)
        with pytest.raises(APIConnectionError) as caught:
            await px.files.read(url)

    assert 2 <= len(storage.requests) <= 3 * 21, "followed, but not forever"
    assert_no_secret(caught.value, records, SECRETS)


async def test_a_ping_pong_redirect_between_two_hosts_is_a_connection_error(
    records: list[logging.LogRecord],
) -> None:
    hosts: dict[str, HostileServer] = {}

    def bouncer(to: str) -> Handler:
        async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
            target = f"{hosts[to].url}{request.path}?{QUERY}&hop={len(hosts[to].requests)}"
            writer.write(response(307, b"", {"Location": target}))

        return handler

    async with HostileServer(bouncer("b")) as a, HostileServer(bouncer("a")) as b:
        hosts.update(a=a, b=b)
        async with PackageX(KEY, base_url=a.url, timeout=0.5, max_retries=0) as px:
            url = presigned(a)
            with pytest.raises(APIConnectionError) as caught:
                await px.files.read(url)

    assert 2 <= len(a.requests) + len(b.requests) <= 21
    assert_no_secret(caught.value, records, SECRETS)


@pytest.mark.parametrize(
    "location",
    [
        b"http://[::1/x?" + QUERY.encode(),
        b"ftp://storage.example/x?" + QUERY.encode(),
        b"http://a b/x?" + QUERY.encode(),
        b"http://\xff\xfe/x?" + QUERY.encode(),
    ],
    ids=["unparsable_ipv6", "not_http", "space_in_host", "non_utf8"],
)
async def test_an_unusable_storage_redirect_is_a_packagex_error(
    location: bytes, records: list[logging.LogRecord]
) -> None:
    async def redirect(_: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(302, b"", {"Location": location}))

    async with (
        HostileServer(redirect) as storage,
        PackageX(KEY, base_url=storage.url, timeout=0.5, max_retries=2) as px,
    ):
        url = presigned(storage)
        with pytest.raises(PackageXError) as caught:
            await px.files.read(url)

    assert 1 <= len(storage.requests) <= 3
    assert_no_secret(caught.value, records, SECRETS)


# -- a storage host that cannot even be connected to


@contextlib.contextmanager
def full_listener() -> Iterator[int | None]:
    """A port whose accept queue is full (listen(0), never accepted), or None if it won't fill.

    On Linux, connections past the backlog get their SYN dropped, so a connect there
    hangs until the client's connect timeout.
    """
    with contextlib.ExitStack() as stack:
        listener = stack.enter_context(socket.socket())
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        for _ in range(64):
            filler = stack.enter_context(socket.socket())
            filler.settimeout(0.2)
            try:
                filler.connect(("127.0.0.1", port))
            except OSError:  # TimeoutError included: the queue is full
                yield port
                return
        yield None


@pytest.mark.parametrize("max_retries", [0, 2])
async def test_a_storage_host_that_never_accepts_is_a_timeout(
    max_retries: int, records: list[logging.LogRecord]
) -> None:
    with full_listener() as port:
        if port is None:
            pytest.skip("this system accepts every loopback connection; cannot stall a connect")
        url = f"http://127.0.0.1:{port}/bucket/batch_1/result.json?{QUERY}"
        started = asyncio.get_running_loop().time()
        async with PackageX(
            KEY, base_url="http://127.0.0.1:1", timeout=0.3, max_retries=max_retries
        ) as px:
            with pytest.raises(APITimeoutError) as caught:
                await px.files.read(url)
        elapsed = asyncio.get_running_loop().time() - started

    assert elapsed < (max_retries + 1) * 0.3 + 2.0
    assert_no_secret(caught.value, records, SECRETS)


# -- URLs the caller passes: checked before anything is sent

BAD_URLS = {
    "ftp": f"ftp://storage.example/file.json?{QUERY}",
    "file": f"file:///etc/passwd?{QUERY}",
    "javascript": f"javascript:alert(1)?{QUERY}",
    "no_scheme": f"storage.example/file.json?{QUERY}",
    "no_host": f"https:///file.json?{QUERY}",
    "unparsable_host": f"https://[bad/x?{QUERY}",
    "unparsable_host_signature_only": f"https://[bad/x?X-Amz-Signature={SIGNATURE}",
    "space_in_host": f"https://a b/x?{QUERY}",
    "empty": "",
    "only_a_query": f"?{QUERY}",
}


async def call_files(px: PackageX, method: str, url: Any, tmp_path: Path) -> Any:
    if method == "read":
        return await px.files.read(url)
    if method == "download":
        return await px.files.download(url, tmp_path / "file.json")
    return px.files.stream(url)


@pytest.mark.parametrize("method", ["read", "download", "stream"])
@pytest.mark.parametrize("url", list(BAD_URLS))
async def test_a_bad_url_is_a_value_error_naming_url_without_its_query(
    url: str, method: str, tmp_path: Path, records: list[logging.LogRecord]
) -> None:
    async with (
        HostileServer(storage_answering(200)) as api,
        PackageX(KEY, base_url=api.url, timeout=0.5) as px,
    ):
        with pytest.raises(ValueError, match="url") as caught:
            await call_files(px, method, BAD_URLS[url], tmp_path)

    assert api.connections == 0
    assert_no_secret(caught.value, records, SECRETS)
    assert not list(tmp_path.iterdir()), "nothing was written"


@pytest.mark.parametrize("method", ["read", "download", "stream"])
@pytest.mark.parametrize("url", [None, 123, b"https://storage.example/x"], ids=repr)
async def test_a_url_that_is_not_a_string_is_a_type_error_naming_url(
    url: object, method: str, tmp_path: Path
) -> None:
    async with PackageX(KEY, base_url="http://127.0.0.1:1", timeout=0.5) as px:
        with pytest.raises(TypeError, match="url"):
            await call_files(px, method, url, tmp_path)


# -- the key stays with the API host


def api_with_file_url(url_of: dict[str, str]) -> Handler:
    """An API host serving one batch whose result_json URL is ``url_of["url"]``."""

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        batch = {"id": "batch_1", "status": "completed", "_result_json_url": url_of["url"]}
        writer.write(json_response(envelope(batch)))

    return handler


def carries_key(request: Received) -> bool:
    return any(
        name.lower() == "px-api-key" or KEY in value or KEY in name
        for name, value in request.headers
    ) or (KEY in request.target)


@pytest.mark.parametrize("via", ["download", "rows", "read"])
async def test_the_key_is_never_sent_to_storage_nor_where_it_redirects(
    via: str, tmp_path: Path, records: list[logging.LogRecord]
) -> None:
    url_of: dict[str, str] = {}

    async def hop(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(302, b"", {"Location": presigned(final, "/moved/result.json")}))

    async with (
        HostileServer(storage_answering(200)) as final,
        HostileServer(hop) as storage,
        HostileServer(api_with_file_url(url_of)) as api,
    ):
        url_of["url"] = presigned(storage)
        async with PackageX(KEY, base_url=api.url, timeout=0.5) as px:
            if via == "download":
                done = await px.batches.download("batch_1", "result_json", tmp_path / "r.json")
                assert done.path.read_bytes() == FILE_BODY
            elif via == "rows":
                rows = [row async for row in px.batches.rows("batch_1", "result_json")]
                assert rows == [{"row": 1}, {"row": 2}]
            else:
                assert await px.files.read(url_of["url"]) == FILE_BODY

    assert all(r.header("PX-API-KEY") == KEY for r in api.requests)
    assert len(storage.requests) == len(final.requests) == 1
    assert not any(carries_key(r) for r in [*storage.requests, *final.requests])
    assert_no_secret(None, records, SECRETS)


@pytest.mark.parametrize("status", [403, 404, 500])
@pytest.mark.parametrize("via", ["download", "rows"])
async def test_a_failed_job_file_fetch_leaks_neither_key_nor_signature(
    status: int, via: str, tmp_path: Path, records: list[logging.LogRecord]
) -> None:
    url_of: dict[str, str] = {}
    async with (
        HostileServer(storage_answering(status)) as storage,
        HostileServer(api_with_file_url(url_of)) as api,
    ):
        url_of["url"] = presigned(storage)
        async with PackageX(KEY, base_url=api.url, timeout=0.5, max_retries=1) as px:
            with pytest.raises(FileDownloadError) as caught:
                if via == "download":
                    await px.batches.download("batch_1", "result_json", tmp_path / "r.json")
                else:
                    _ = [row async for row in px.batches.rows("batch_1", "result_json")]

    assert caught.value.status == status
    assert isinstance(caught.value, FileURLExpiredError) == (status == 403)
    assert not any(carries_key(r) for r in storage.requests)
    assert not list(tmp_path.iterdir()), "a failed download leaves nothing behind"
    assert_no_secret(caught.value, records, SECRETS)


async def test_a_signature_quoted_bare_in_a_short_error_body_is_redacted(
    records: list[logging.LogRecord],
) -> None:
    """The error quotes the body, so the values of the URL's query are scrubbed from it
    even where no ``name=`` or URL gives them away."""
    quoted = f"<SignatureProvided>{SIGNATURE}</SignatureProvided>".encode()

    async def handler(_: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(404, quoted, {"Content-Type": "application/xml"}))

    async with (
        HostileServer(handler) as storage,
        PackageX(KEY, base_url=storage.url, max_retries=0) as px,
    ):
        with pytest.raises(FileDownloadError) as caught:
            await px.files.read(presigned(storage))

    assert str(caught.value).endswith("'<SignatureProvided>[redacted]</SignatureProvided>'")
    assert_no_secret(caught.value, records, SECRETS)


# -- timeouts of a download: each read is bounded, the whole transfer is not

FILE_PIECES = [
    b"[" * (n == 0) + b'{"row": %d}' % n + (b"]" if n == 11 else b",") for n in range(12)
]


def sending(pieces: list[bytes], *, every: float, then_stall: bool = False) -> Handler:
    """A 200 with Content-Length of every piece, sent one piece per ``every`` seconds."""

    async def handler(_: Received, writer: asyncio.StreamWriter) -> None:
        length = str(sum(map(len, pieces)) + then_stall)  # one byte more than sent: stalls
        writer.write(response(200, headers={"Content-Length": length}, length=False))
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(every)
        if then_stall:
            await stall()

    return handler


SILENCES = {
    "before_the_head": stall,
    "mid_file": sending(FILE_PIECES[:2], every=0, then_stall=True),
}


@pytest.mark.parametrize("when", list(SILENCES))
async def test_a_storage_host_that_goes_silent_is_a_timeout(
    when: str, records: list[logging.LogRecord]
) -> None:
    async with (
        HostileServer(SILENCES[when]) as storage,
        PackageX(KEY, base_url=storage.url, timeout=0.2, max_retries=0) as px,
    ):
        with pytest.raises(APITimeoutError) as caught:
            # wait_for is a guard: without a read timeout the download waits forever
            await asyncio.wait_for(px.files.read(presigned(storage)), 10)

    assert str(caught.value) == (
        f"GET {storage.url}/bucket/batch_1/result.json sent nothing for 0.2s, the timeout"
    )
    assert_no_secret(caught.value, records, SECRETS)


async def test_a_storage_host_silent_once_is_asked_again() -> None:
    """A read timeout leaves it unknown whether the host is slow or gone: a GET of a
    file is safe to send again, so it is retried."""
    answers = [stall, sending(FILE_PIECES, every=0)]

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        await answers.pop(0)(request, writer)

    async with (
        HostileServer(handler) as storage,
        PackageX(KEY, base_url=storage.url, timeout=0.2, max_retries=1) as px,
    ):
        got = await asyncio.wait_for(px.files.read(presigned(storage)), 10)

    assert got == b"".join(FILE_PIECES)
    assert len(storage.requests) == 2


async def test_a_download_longer_than_the_timeout_goes_on_while_bytes_keep_coming() -> None:
    """``timeout`` bounds each read of a file, not the whole transfer: a large file on a
    slow link takes as long as it takes."""
    async with (
        HostileServer(sending(FILE_PIECES, every=0.05)) as storage,
        PackageX(KEY, base_url=storage.url, timeout=0.25, max_retries=0) as px,
    ):
        started = asyncio.get_running_loop().time()
        rows = await px.files.read(presigned(storage))
        took = asyncio.get_running_loop().time() - started

    assert rows == b"".join(FILE_PIECES)
    assert took > 0.25 * 2, "the transfer outlasted the timeout (else this shows nothing)"
