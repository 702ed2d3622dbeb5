"""The real entry points in their own processes: the ``packagex`` script and ``-m``.

The fake runs in the test's event loop; the CLI talks to it from a subprocess, as
an operator's shell would.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from packagex_async.testing import FakePackageX

SCRIPT = Path(sys.executable).with_name("packagex")


@pytest.fixture
async def fake() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=300, exports=30, seed=3) as server:
        yield server


async def _start(fake: FakePackageX, *argv: str) -> asyncio.subprocess.Process:
    """``argv`` with the fake's URL and key, as an operator would configure them."""
    return await asyncio.create_subprocess_exec(
        *argv,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PX_API_KEY": fake.api_key, "PX_TEST_URL": fake.url},
    )


async def _run(fake: FakePackageX, *argv: str) -> tuple[int, bytes, bytes]:
    process = await _start(fake, *argv)
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, out, err


async def test_the_packagex_script(fake: FakePackageX) -> None:
    assert SCRIPT.exists(), "pip install -e . creates the packagex script"

    code, out, err = await _run(
        fake, str(SCRIPT), "batches", "list", "--format", "jsonl", "--all", "--base-url", fake.url
    )

    assert (code, err) == (0, b"")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [b["id"] for b in fake.batches]


async def test_python_dash_m(fake: FakePackageX) -> None:
    code, out, err = await _run(
        fake, sys.executable, "-m", "packagex_async", "--base-url", fake.url, "exports", "get", "x"
    )

    assert code == 4
    assert out == b""
    assert err.startswith(b"packagex: error: HTTP 404")


async def test_ctrl_c_stops_cleanly_with_130(fake: FakePackageX) -> None:
    batch = fake.add_batch(status="queued", final_status="completed", step_seconds=60)
    process = await _start(
        fake,
        sys.executable,
        "-m",
        "packagex_async",
        "batches",
        "wait",
        batch["id"],
        "--base-url",
        fake.url,
    )
    polled = asyncio.ensure_future(fake.until_received("retrieve_batch"))  # waiting has begun
    exited = asyncio.ensure_future(process.wait())
    await asyncio.wait({polled, exited}, return_when=asyncio.FIRST_COMPLETED)
    exited.cancel()
    assert polled.done(), f"the CLI exited before its first poll: {await process.communicate()}"

    process.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)

    assert process.returncode == 130
    assert err == b"packagex: interrupted\n"
    assert out == b""


async def test_a_reader_that_stops_early_is_not_an_error(fake: FakePackageX) -> None:
    pipeline = (
        f'"{SCRIPT}" batches list --all --format jsonl --base-url "$PX_TEST_URL" | head -1;'
        ' echo "${PIPESTATUS[0]}" >&2'
    )

    code, out, err = await _run(fake, "bash", "-c", pipeline)

    assert code == 0
    assert json.loads(out)["id"] == fake.batches[0]["id"]
    assert err == b"141\n"  # the exit code of packagex, and nothing else on stderr
