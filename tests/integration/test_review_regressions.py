"""Edge cases of real HTTP peers the fake does not produce: compressed files, redirect
loops, malformed answers, a borrowed session with raise_for_status."""

from __future__ import annotations

import asyncio
import gzip
import logging
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from packagex_async import APIConnectionError, NotFoundError, PackageX
from packagex_async.testing import FakePackageX

SIGNATURE = "X-Amz-Signature=SECRETSIG"
KEY = "px_live_SECRETKEY123"
BODY = b"[" + b",".join(b'{"n": %d}' % i for i in range(2000)) + b"]"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def serve(routes: dict[str, Handler]) -> tuple[web.AppRunner, str]:
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


async def gzipped(_: web.Request) -> web.Response:
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    return web.Response(body=gzip.compress(BODY), headers=headers)


async def redirect_loop(request: web.Request) -> web.Response:
    raise web.HTTPFound(str(request.url))


async def test_a_gzip_encoded_file_reads_and_downloads(tmp_path: Path) -> None:
    runner, base = await serve({"/f.json": gzipped})
    progress: list[tuple[int, int | None]] = []
    try:
        async with PackageX("px_k", base_url=base) as px:
            url = f"{base}/f.json?{SIGNATURE}"
            assert await px.files.read(url) == BODY
            done = await px.files.download(
                url, tmp_path / "f.json", on_progress=lambda n, t: progress.append((n, t))
            )
    finally:
        await runner.cleanup()

    assert (tmp_path / "f.json").read_bytes() == BODY
    assert done.size == len(BODY)
    assert progress[-1] == (len(BODY), None)


async def test_a_redirect_loop_is_reported_once_without_the_signature(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="packagex_async")
    requests = 0

    async def counted_loop(request: web.Request) -> web.Response:
        nonlocal requests
        requests += 1
        return await redirect_loop(request)

    runner, base = await serve({"/loop": counted_loop})
    try:
        async with PackageX("px_k", base_url=base) as px:
            with pytest.raises(APIConnectionError, match="TooManyRedirects") as caught:
                await px.files.read(f"{base}/loop?{SIGNATURE}")
    finally:
        await runner.cleanup()

    assert "SECRETSIG" not in str(caught.value)
    assert "SECRETSIG" not in "".join(traceback.format_exception(caught.value))
    assert all("SECRETSIG" not in r.getMessage() for r in caplog.records)
    assert requests == 5  # one attempt, cut by max_redirects=5; never retried


async def test_a_malformed_answer_does_not_chain_the_key_into_the_error() -> None:
    async def bad_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nBad Header Without Colon\r\n\r\n{}")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(bad_http, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with PackageX(KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0) as px:
            with pytest.raises(APIConnectionError) as caught:
                await px.batches.retrieve("b1")
    finally:
        server.close()
        await server.wait_closed()

    everything = "".join(traceback.format_exception(caught.value)) + repr(caught.value.__cause__)
    assert KEY not in everything


async def test_a_borrowed_session_that_raises_for_status_keeps_error_classes() -> None:
    async with (
        FakePackageX(batches=3) as fake,
        aiohttp.ClientSession(raise_for_status=True) as session,
        PackageX(fake.api_key, base_url=fake.url, session=session) as px,
    ):
        with pytest.raises(NotFoundError):
            await px.batches.retrieve("batch_missing")
        batch = fake.add_batch(status="completed", rows=5, errors=1)
        rows = [row async for row in px.batches.rows(batch["id"], "errors_json")]

    assert sum(1 for r in fake.requests if r.route == "retrieve_batch") == 2
    assert len(rows) == 1
