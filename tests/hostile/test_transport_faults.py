"""The API host breaks HTTP itself: every fault is a retried ``APIConnectionError``.

The server counts the requests it received, so "retried" means exactly
``max_retries + 1`` attempts (aiohttp's own hidden re-send of a GET must not add any).
Several faults echo the API key back in the broken bytes: it must not leak either.
"""

from __future__ import annotations

import asyncio
import gzip
import logging

import pytest

from packagex_async import APIConnectionError, APITimeoutError, PackageX

from ._secrets import KEY, assert_no_secret
from ._server import Handler, HostileServer, Received, reset, response, stall

ENVELOPE = b'{"data": {"id": "batch_1", "status": "completed"}}'
K = KEY.encode()


def writes(raw: bytes, *, then: str = "close") -> Handler:
    """A handler writing ``raw``, then closing (``"close"``), resetting or stalling."""

    async def handler(_: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(raw)
        await writer.drain()
        if then == "close":
            writer.close()
        elif then == "reset":
            reset(writer)
        else:
            await stall()

    return handler


async def close_at_once(_: Received, writer: asyncio.StreamWriter) -> None:
    writer.close()


async def reset_at_once(_: Received, writer: asyncio.StreamWriter) -> None:
    reset(writer)


async def trickle(_: Received, writer: asyncio.StreamWriter) -> None:
    """A valid head, then one byte of body every 50 ms: the attempt never completes in time."""
    writer.write(response(200, headers={"Content-Length": "100000"}, length=False))
    while True:
        writer.write(b" ")
        await writer.drain()
        await asyncio.sleep(0.05)


HEAD_OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"

CONNECTION_FAULTS = {
    "closed_without_answer": close_at_once,
    "reset_without_answer": reset_at_once,
    "reset_mid_body": writes(
        HEAD_OK + b"Content-Length: 500\r\n\r\n" + ENVELOPE[:20], then="reset"
    ),
    "closed_mid_head": writes(b"HTTP/1.1 200 OK\r\nContent-Ty"),
    "malformed_status_line_echoing_key": writes(
        b"HTTP/1.1 TWO-HUNDRED " + K + b"\r\nContent-Length: 2\r\n\r\n{}"
    ),
    "not_http_at_all": writes(b"SSH-2.0-OpenSSH_9.6 " + K + b"\r\n\r\n"),
    "status_code_with_letters": writes(b"HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\n{}"),
    "status_code_out_of_range": writes(b"HTTP/1.1 99999 Odd\r\nContent-Length: 2\r\n\r\n{}"),
    "oversized_header_line": writes(
        HEAD_OK + b"X-Padding: " + b"a" * 100_000 + b"\r\nContent-Length: 2\r\n\r\n{}"
    ),
    "garbage_header_line_echoing_key": writes(
        HEAD_OK + b"this line has no colon " + K + b"\r\nContent-Length: 2\r\n\r\n{}"
    ),
    "control_characters_in_header": writes(
        HEAD_OK + b"X-Bad: a\x00b\x01" + K + b"\r\nContent-Length: 2\r\n\r\n{}"
    ),
    "lying_content_length": writes(HEAD_OK + b"Content-Length: 10000\r\n\r\n" + ENVELOPE),
    "garbage_content_length": writes(HEAD_OK + b"Content-Length: 12abc\r\n\r\n" + ENVELOPE),
    "conflicting_content_lengths": writes(
        HEAD_OK + b"Content-Length: 2\r\nContent-Length: 70\r\n\r\n" + ENVELOPE
    ),
    "bad_chunk_size": writes(HEAD_OK + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
    "chunked_cut_short": writes(
        HEAD_OK + b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % 200 + ENVELOPE
    ),
    "bogus_gzip_encoding": writes(
        HEAD_OK + b"Content-Encoding: gzip\r\nContent-Length: 23\r\n\r\nthis is not gzip at all"
    ),
    "bogus_deflate_encoding": writes(
        HEAD_OK + b"Content-Encoding: deflate\r\nContent-Length: 23\r\n\r\nthis is not zlib at all"
    ),
}

TIMEOUT_FAULTS = {
    "never_answers": stall,
    "stalls_after_the_head": writes(HEAD_OK + b"Content-Length: 500\r\n\r\n", then="stall"),
    "stalls_mid_body": writes(
        HEAD_OK + b"Content-Length: 500\r\n\r\n" + ENVELOPE[:20], then="stall"
    ),
    "trickles_forever": trickle,
}


async def fail(server: HostileServer, max_retries: int) -> BaseException:
    """Retrieve one batch against ``server``; the exception it raised."""
    async with PackageX(KEY, base_url=server.url, timeout=0.3, max_retries=max_retries) as px:
        with pytest.raises(Exception) as caught:  # noqa: PT011 - the class is asserted after
            await px.batches.retrieve("batch_1")
    return caught.value


@pytest.mark.parametrize("max_retries", [0, 2])
@pytest.mark.parametrize("fault", list(CONNECTION_FAULTS))
async def test_a_broken_answer_is_a_connection_error_after_exactly_n_plus_1_attempts(
    fault: str, max_retries: int, records: list[logging.LogRecord]
) -> None:
    async with HostileServer(CONNECTION_FAULTS[fault]) as server:
        error = await fail(server, max_retries)

    assert isinstance(error, APIConnectionError), repr(error)
    assert len(server.requests) == max_retries + 1
    assert all(r.header("PX-API-KEY") == KEY for r in server.requests)
    assert_no_secret(error, records, [KEY])


@pytest.mark.parametrize("max_retries", [0, 2])
@pytest.mark.parametrize("fault", list(TIMEOUT_FAULTS))
async def test_a_silent_server_is_a_timeout_after_exactly_n_plus_1_attempts(
    fault: str, max_retries: int, records: list[logging.LogRecord]
) -> None:
    async with HostileServer(TIMEOUT_FAULTS[fault]) as server:
        started = asyncio.get_running_loop().time()
        error = await fail(server, max_retries)
        elapsed = asyncio.get_running_loop().time() - started

    assert isinstance(error, APITimeoutError), repr(error)
    assert len(server.requests) == max_retries + 1
    assert elapsed < (max_retries + 1) * 0.3 + 2.0, "each attempt is bounded by timeout"
    assert_no_secret(error, records, [KEY])


async def test_the_server_sees_the_key_on_a_healthy_answer() -> None:
    """The control case: the same server and client, with a well-formed answer."""

    async def healthy(_: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(200, ENVELOPE, {"Content-Type": "application/json"}))

    async with (
        HostileServer(healthy) as server,
        PackageX(KEY, base_url=server.url, timeout=0.3) as px,
    ):
        batch = await px.batches.retrieve("batch_1")
        again = await px.batches.retrieve("batch_1")

    assert batch.id == again.id == "batch_1"
    assert len(server.requests) == 2
    assert server.connections == 1, "a healthy answer keeps the connection for the next one"
    assert server.requests[0].target == "/v1/batches/batch_1"


@pytest.mark.parametrize("encoding", ["gzip", "identity-chunks"])
async def test_an_answer_read_in_many_pieces_is_put_back_together_whole(encoding: str) -> None:
    """Bodies larger than one read (64 KiB), compressed or without a length, are joined
    in order: nothing lost, nothing added between the pieces."""
    reason = "r" * 300_000  # decompresses to several reads
    body = b'{"data": {"id": "batch_1", "status": "failed", "reason": "%s"}}' % reason.encode()
    if encoding == "gzip":
        raw = response(200, gzip.compress(body), {"Content-Encoding": "gzip"})
    else:  # no Content-Length: read until the connection closes
        raw = response(200, body, {"Connection": "close"}, length=False)

    async with HostileServer(writes(raw)) as server, PackageX(KEY, base_url=server.url) as px:
        batch = await px.batches.retrieve("batch_1")

    assert batch.reason == reason


@pytest.mark.parametrize("fault", ["lying_content_length", "chunked_cut_short"])
async def test_a_body_cut_short_says_so(fault: str) -> None:
    """Whether its length was declared or not, a body that ends early was cut short."""
    async with HostileServer(CONNECTION_FAULTS[fault]) as server:
        error = await fail(server, 0)

    assert "GET /v1/batches/batch_1 was cut short while reading" in str(error)
