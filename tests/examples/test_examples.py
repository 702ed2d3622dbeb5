"""The runnable examples, each driven against the fake PackageX over loopback."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import socket
import struct
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

import aiohttp
import orjson
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from packagex_async import PackageX
from packagex_async.testing import FakePackageX

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"examples_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=60, exports=30, seed=9) as server:
        monkeypatch.setenv("PX_API_KEY", server.api_key)
        monkeypatch.setenv("PX_BASE_URL", server.url)
        yield server


async def test_aiohttp_app_streams_every_batch_as_json_lines(fake: FakePackageX) -> None:
    app = load("aiohttp_app").make_app()

    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        answer = await client.get("/batches.jsonl")
        lines = (await answer.read()).splitlines()
        one = await (await client.get(f"/batches/{fake.batches[3]['id']}")).json()
        missing = await client.get("/batches/batch_missing")
        failed = await client.get("/batches.jsonl", params={"status": "failed"})
        failed_lines = (await failed.read()).splitlines()

    assert answer.headers["Content-Type"] == "application/x-ndjson"
    assert [orjson.loads(line)["id"] for line in lines] == [b["id"] for b in fake.batches]
    assert one["id"] == fake.batches[3]["id"]
    assert missing.status == 404
    assert {orjson.loads(line)["status"] for line in failed_lines} == {"failed"}


async def test_fastapi_app_on_a_real_server(fake: FakePackageX) -> None:
    uvicorn = pytest.importorskip("uvicorn")
    app = load("fastapi_app").app
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 (uvicorn exposes a flag, not an event)
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as http:
            async with http.get("/exports") as answer:
                exports = await answer.json()
            async with http.get(f"/exports/{exports[0]['id']}") as answer:
                first = await answer.json()
            async with http.get("/exports/exp_missing") as answer:
                missing_status = answer.status
    finally:
        server.should_exit = True
        await serving

    completed = [e for e in fake.exports if e["status"] == "completed"]
    assert len(exports) == len(completed)
    counts = [e["count_total"] for e in exports]
    assert counts == sorted(counts, reverse=True)
    assert first["csv_url"].startswith(fake.storage_url)
    assert missing_status == 404


@pytest.mark.skipif(sys.version_info < (3, 11), reason="the worker uses asyncio.TaskGroup")
async def test_worker_fans_out_with_a_limit(fake: FakePackageX) -> None:
    worker = load("worker")
    fake.hold("retrieve_batch")  # until four are in flight at once
    ids = [b["id"] for b in fake.batches[:20]] + ["batch_missing"]

    async with PackageX(fake.api_key, base_url=fake.url) as px:
        fetching = asyncio.ensure_future(worker.fetch_all(px, ids, limit=4))
        waiting = asyncio.ensure_future(fake.until_in_flight("retrieve_batch", 4))
        await asyncio.wait({fetching, waiting}, return_when=asyncio.FIRST_COMPLETED)
        if not waiting.done():
            waiting.cancel()
            pytest.fail("the worker finished without ever having four requests out")
        fake.release("retrieve_batch")
        found = await fetching

    assert list(found) == ids
    assert found["batch_missing"] is None
    assert all(found[i] is not None and found[i].id == i for i in ids[:-1])
    assert fake.peak_in_flight("retrieve_batch") == 4  # counted by the server as it served


async def test_aiohttp_app_answers_a_bad_status_with_400_json(fake: FakePackageX) -> None:
    """The query is checked before the answer starts: a 400 in JSON, not a cut stream."""
    app = load("aiohttp_app").make_app()

    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        answer = await client.get("/batches.jsonl", params={"status": "complete"})
        body = await answer.json()

    assert answer.status == 400
    assert answer.content_type == "application/json"
    assert "status must be one of" in body["error"]
    assert [r for r in fake.requests if r.route == "list_batches"] == []


async def test_aiohttp_app_lets_a_client_leave_a_stream_without_an_error_log(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A client that hangs up mid-stream is normal: no ERROR, and the paging stops."""
    caplog.set_level(logging.DEBUG)
    async with FakePackageX(batches=1000, seed=9) as fake:
        monkeypatch.setenv("PX_API_KEY", fake.api_key)
        monkeypatch.setenv("PX_BASE_URL", fake.url)
        runner = web.AppRunner(load("aiohttp_app").make_app())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        fake.hold("list_batches", page=2)
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET /batches.jsonl HTTP/1.1\r\nHost: app\r\n\r\n")
            await reader.readuntil(b'"id"')  # the stream has begun
            await fake.until_received("list_batches", 2)
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()  # gone, with a reset
        finally:
            fake.release("list_batches", page=2)
            await runner.cleanup()  # waits for the handler to finish
        pages = len([r for r in fake.requests if r.route == "list_batches"])

    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert pages < 40  # 1000 batches in pages of 25: it stopped, not streamed to no one
