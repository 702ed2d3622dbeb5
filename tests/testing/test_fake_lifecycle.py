"""Starting, stopping, the pytest fixture and ``serve``."""

from __future__ import annotations

import asyncio
import re
import socket
import sys

import aiohttp
import pytest

from packagex_async import testing
from packagex_async.testing import FakePackageX, serve

from ._helpers import call


def test_public_names() -> None:
    assert testing.__all__ == [
        "DEFAULT_API_KEY",
        "FAULT_KINDS",
        "ROUTES",
        "Clock",
        "FakePackageX",
        "Faults",
        "MockJobs",
        "MockPackageX",
        "RecordedRequest",
        "make_batch",
        "make_export",
        "make_import",
        "mock_packagex",
        "serve",
        "set_testing",
    ]
    assert all(hasattr(testing, name) for name in testing.__all__)


async def test_fixture_yields_a_started_fake(
    packagex_fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    status, body = await call(http, packagex_fake, "/v1/batches")
    assert status == 200
    assert body["pagination"]["total_count"] == 60
    assert packagex_fake.api_key == "px_test_key_0123456789"
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", packagex_fake.url)


async def test_urls_need_a_started_fake() -> None:
    fake = FakePackageX(batches=0, exports=0)
    with pytest.raises(RuntimeError, match="not started"):
        _ = fake.url
    with pytest.raises(RuntimeError, match="not started"):
        _ = fake.storage_url


async def test_start_and_close_explicitly_and_close_twice(http: aiohttp.ClientSession) -> None:
    fake = FakePackageX(batches=3, exports=0, api_key="px_custom")
    await fake.start()
    status, _ = await call(http, fake, "/v1/batches")
    await fake.close()
    await fake.close()
    assert status == 200
    assert fake.requests[0].header("PX-API-KEY") == "px_custom"
    with pytest.raises(RuntimeError):
        await fake.start()


async def test_close_with_a_client_still_connected() -> None:
    fake = FakePackageX(batches=1, exports=0)
    await fake.start()
    session = aiohttp.ClientSession()
    try:
        status, _ = await call(session, fake, "/v1/batches")
        await fake.close()
    finally:
        await session.close()
    assert status == 200


@pytest.mark.skipif(sys.platform != "linux", reason="Linux's SO_REUSEADDR semantics")
async def test_fixed_ports(http: aiohttp.ClientSession) -> None:
    # Reserve a port without releasing it: a bound, not listening, SO_REUSEADDR socket
    # keeps the kernel from handing the port to anyone else's bind(0), while a server
    # that also sets SO_REUSEADDR (asyncio's default) may listen on it.
    with socket.socket() as reserved:
        reserved.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        reserved.bind(("127.0.0.1", 0))
        port = reserved.getsockname()[1]
        async with FakePackageX(batches=0, exports=0, port=port) as fake:
            assert fake.url == f"http://127.0.0.1:{port}"
            assert (await call(http, fake, "/v1/exports"))[0] == 200


async def test_a_socket_of_ones_own(http: aiohttp.ClientSession) -> None:
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]  # known before the fake starts
    async with FakePackageX(batches=2, exports=0, sock=listening) as fake:
        assert fake.url == f"http://127.0.0.1:{port}"
        assert (await call(http, fake, "/v1/batches"))[0] == 200
    assert listening.fileno() == -1  # the fake took it over and closed it


async def test_serve_output(capsys: pytest.CaptureFixture[str]) -> None:
    task = asyncio.ensure_future(serve(port=0, batches=0, exports=0, api_key="px_serve"))
    out = ""
    while "API key" not in out:  # serve only prints: read until it has (no time limit here)
        await asyncio.sleep(0.01)
        out += capsys.readouterr().out
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert re.search(r"http://127\.0\.0\.1:\d+", out)
    assert "px_serve" in out
    assert "storage" in out.lower()
