"""Compressed result files: whole (length, stream end and checksum) or an error.

A storage host may send a file with ``Content-Encoding: gzip`` (or deflate). A body
cut inside the compressed stream, with a ``Content-Length`` that matches the cut,
must not pass as a whole file: not through ``read``, ``stream``, ``download`` (which
must leave nothing behind) nor ``rows``.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import zlib
from pathlib import Path

import aiohttp
import pytest

from packagex_async import APIConnectionError, APIResponseValidationError, PackageX

from ._secrets import KEY, QUERY, SECRETS, assert_no_secret
from ._server import Handler, HostileServer, Received, envelope, json_response, response

ROWS = [{"row": i, "name": f"parcel {i}"} for i in range(2000)]
PLAIN = json.dumps(ROWS).encode()


def deflate_zlib(data: bytes) -> bytes:
    return zlib.compress(data)


def deflate_raw(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


ENCODED = {
    "gzip": ("gzip", gzip.compress(PLAIN)),
    "gzip_two_members": ("gzip", gzip.compress(PLAIN[:1000]) + gzip.compress(PLAIN[1000:])),
    "x-gzip": ("x-gzip", gzip.compress(PLAIN)),
    "deflate_zlib": ("deflate", deflate_zlib(PLAIN)),
    "deflate_raw": ("deflate", deflate_raw(PLAIN)),
}


def flip(body: bytes, at: int) -> bytes:
    """``body`` with the byte at ``at`` (a checksum's) changed."""
    return body[:at] + bytes([body[at] ^ 0xFF]) + body[at + 1 :]


BROKEN = {
    # name: (coding, body, what the error says)
    "gzip_cut_in_the_trailer": ("gzip", gzip.compress(PLAIN)[:-4], "cut short"),
    "gzip_cut_mid_stream": ("gzip", gzip.compress(PLAIN)[:-200], "cut short"),
    "gzip_cut_in_the_header": ("gzip", gzip.compress(PLAIN)[:5], "cut short"),
    "gzip_second_member_cut": (
        "gzip",
        gzip.compress(PLAIN[:1000]) + gzip.compress(PLAIN[1000:])[:-3],
        "cut short",
    ),
    "gzip_bad_crc": ("gzip", flip(gzip.compress(PLAIN), -8), "not a valid gzip stream"),
    "gzip_garbage_after": ("gzip", gzip.compress(PLAIN) + b"junk", "not a valid gzip stream"),
    "gzip_empty": ("gzip", b"", "cut short"),
    "deflate_zlib_cut": ("deflate", deflate_zlib(PLAIN)[:-2], "cut short"),
    "deflate_zlib_bad_adler": ("deflate", flip(deflate_zlib(PLAIN), -1), "not a valid deflate"),
    "deflate_raw_cut": ("deflate", deflate_raw(PLAIN)[:-10], "cut short"),
    "deflate_one_byte": ("deflate", b"x", "cut short"),
    "deflate_data_after": ("deflate", deflate_zlib(PLAIN) + b"junk", "after the end"),
    "not_gzip_at_all": ("gzip", PLAIN, "not a valid gzip stream"),
}


def presigned(server: HostileServer, path: str = "/bucket/batch_1/result.json") -> str:
    return f"{server.url}{path}?{QUERY}"


def serving(coding: str, body: bytes, *, headers: dict[str, str] | None = None) -> Handler:
    """A storage host sending ``body`` with this coding and a Content-Length that matches it;
    ``/v1/...`` answers as the API with a batch whose result file is on this host."""

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        if request.path.startswith("/v1/"):
            url = f"http://{request.header('Host')}/bucket/batch_1/result.json?{QUERY}"
            batch = {"id": "batch_1", "status": "completed", "_result_json_url": url}
            writer.write(json_response(envelope(batch)))
            return
        all_headers = {"Content-Encoding": coding, "Content-Type": "application/json"}
        writer.write(response(200, body, {**all_headers, **(headers or {})}))

    return handler


async def fetch(px: PackageX, via: str, url: str, tmp_path: Path) -> bytes | list[object]:
    if via == "read":
        return await px.files.read(url)
    if via == "stream":
        return b"".join([chunk async for chunk in px.files.stream(url)])
    if via == "download":
        done = await px.files.download(url, tmp_path / "result.json")
        return done.path.read_bytes()
    return [row async for row in px.batches.rows("batch_1", "result_json")]


VIAS = ["read", "stream", "download", "rows"]


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("name", list(ENCODED))
async def test_a_whole_compressed_file_arrives_inflated(
    name: str, via: str, tmp_path: Path
) -> None:
    coding, body = ENCODED[name]
    async with (
        HostileServer(serving(coding, body)) as storage,
        PackageX(KEY, base_url=storage.url, timeout=2, max_retries=0) as px,
    ):
        got = await fetch(px, via, presigned(storage), tmp_path)

    assert got == (ROWS if via == "rows" else PLAIN)
    assert storage.requests[-1].header("Accept-Encoding") == "gzip, deflate"


async def test_storage_asks_only_for_the_codings_it_reads_whatever_aiohttp_offers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With brotli or zstandard installed, aiohttp asks for ``br`` and ``zstd`` as well,
    which the SDK cannot check: a storage request names ``gzip, deflate`` itself."""
    offered = "gzip, deflate, br, zstd"
    monkeypatch.setitem(
        aiohttp.ClientRequest.DEFAULT_HEADERS, aiohttp.hdrs.ACCEPT_ENCODING, offered
    )
    async with (
        HostileServer(serving(*ENCODED["gzip"])) as storage,
        PackageX(KEY, base_url=storage.url, timeout=2, max_retries=0) as px,
        aiohttp.ClientSession() as plain,
    ):
        async with plain.get(f"{storage.url}/probe") as probe:
            await probe.read()
        got = await px.files.read(presigned(storage))

    assert got == PLAIN
    assert storage.requests[0].header("Accept-Encoding") == offered, "aiohttp's own default"
    assert storage.requests[1].header("Accept-Encoding") == "gzip, deflate"


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("name", list(BROKEN))
async def test_a_cut_or_garbled_compressed_file_fails_and_leaves_nothing(
    name: str, via: str, tmp_path: Path, records: list[logging.LogRecord]
) -> None:
    coding, body, says = BROKEN[name]
    async with (
        HostileServer(serving(coding, body)) as storage,
        PackageX(KEY, base_url=storage.url, timeout=2, max_retries=1) as px,
    ):
        with pytest.raises(APIConnectionError, match=says) as caught:
            await fetch(px, via, presigned(storage), tmp_path)

    file_requests = [r for r in storage.requests if not r.path.startswith("/v1/")]
    assert len(file_requests) == (1 if via in ("stream", "rows") else 2), "read, download retry"
    assert str(caught.value).startswith(f"GET {storage.url}/bucket/batch_1/result.json ")
    assert not list(tmp_path.iterdir()), "nothing partial is left behind"
    assert_no_secret(caught.value, records, SECRETS)


async def test_a_streamed_cut_file_hands_over_rows_then_fails() -> None:
    """``stream`` cannot take back the chunks it handed over, but it never ends quietly."""
    body = gzip.compress(PLAIN)[:-4]
    async with (
        HostileServer(serving("gzip", body)) as storage,
        PackageX(KEY, base_url=storage.url, timeout=2) as px,
    ):
        got = bytearray()
        with pytest.raises(APIConnectionError, match="ended inside its gzip stream"):
            async for chunk in px.files.stream(presigned(storage)):
                got += chunk
    assert bytes(got) == PLAIN, "every byte arrived; only the checksum did not"


async def test_a_cut_file_is_fetched_again_and_the_whole_one_is_kept(tmp_path: Path) -> None:
    whole = gzip.compress(PLAIN)
    answers = [whole[:-4], whole]

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(200, answers.pop(0), {"Content-Encoding": "gzip"}))

    async with (
        HostileServer(handler) as storage,
        PackageX(KEY, base_url=storage.url, timeout=2, max_retries=1) as px,
    ):
        done = await px.files.download(presigned(storage), tmp_path / "r.json")

    assert done.path.read_bytes() == PLAIN
    assert done.size == len(PLAIN)
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


@pytest.mark.parametrize(
    "coding", ["br", "zstd", "compress", "gzip, gzip"], ids=["br", "zstd", "compress", "twice"]
)
@pytest.mark.parametrize("via", VIAS)
async def test_a_coding_the_sdk_cannot_check_is_refused_not_handed_over_encoded(
    coding: str, via: str, tmp_path: Path
) -> None:
    async with (
        HostileServer(serving(coding, b"\x8b\x00whatever")) as storage,
        PackageX(KEY, base_url=storage.url, timeout=2, max_retries=2) as px,
    ):
        with pytest.raises(APIResponseValidationError, match="does not decode") as caught:
            await fetch(px, via, presigned(storage), tmp_path)

    assert repr(coding) in str(caught.value)
    assert len([r for r in storage.requests if not r.path.startswith("/v1/")]) == 1
    assert not list(tmp_path.iterdir())


async def test_an_identity_file_shorter_than_its_length_still_fails(tmp_path: Path) -> None:
    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        headers = {"Content-Length": str(len(PLAIN) + 10)}
        writer.write(response(200, PLAIN, headers, length=False))
        writer.close()

    async with (
        HostileServer(handler) as storage,
        PackageX(KEY, base_url=storage.url, timeout=2, max_retries=0) as px,
    ):
        with pytest.raises(APIConnectionError):
            await px.files.download(presigned(storage), tmp_path / "r.json")
    assert not list(tmp_path.iterdir())


async def test_progress_of_a_compressed_file_counts_inflated_bytes_without_a_total() -> None:
    seen: list[tuple[int, int | None]] = []
    async with (
        HostileServer(serving("gzip", gzip.compress(PLAIN))) as storage,
        PackageX(KEY, base_url=storage.url, timeout=2) as px,
    ):
        await px.files.read(presigned(storage), on_progress=lambda d, t: seen.append((d, t)))

    assert seen[-1] == (len(PLAIN), None)
    assert all(total is None for _, total in seen)


async def test_a_storage_error_page_sent_gzipped_is_quoted_inflated() -> None:
    page = b"<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>"

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(404, gzip.compress(page), {"Content-Encoding": "gzip"}))

    async with (
        HostileServer(handler) as storage,
        PackageX(KEY, base_url=storage.url, timeout=2) as px,
    ):
        with pytest.raises(Exception, match="NoSuchKey"):
            await px.files.read(presigned(storage))
