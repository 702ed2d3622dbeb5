"""The README's first command: ``python -m packagex_async demo`` and ``serve-fake``."""

from __future__ import annotations

import asyncio
import io
import os
import re
import subprocess
import sys

from packagex_async import PackageX
from packagex_async._demo import run_demo


async def test_demo_prints_a_readable_summary() -> None:
    out = io.StringIO()

    await run_demo(out)

    text = out.getvalue()
    assert "All batches: 60 in 3 pages of up to 25" in text
    assert "All exports: 30 (10 per page)" in text
    assert re.search(r"by status: completed \d+, expired \d+, failed \d+", text)
    assert "Largest completed export:" in text
    assert re.search(r"result JSON: http://127\.0\.0\.1:\d+/", text)


async def test_demo_runs_as_a_module() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "packagex_async",
        "demo",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)

    assert process.returncode == 0, stderr.decode()
    assert b"All batches: 60" in stdout
    assert stderr == b""


async def test_serve_fake_answers_the_sdk_until_stopped() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "packagex_async",
        "serve-fake",
        "--port",
        "0",
        "--batches",
        "7",
        "--seeded",
        "imports=3",
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        banner = b""
        while b"API key" not in banner:
            banner += await asyncio.wait_for(process.stdout.readline(), timeout=30)
        url = re.search(rb"fake API:\s+(\S+)", banner)
        key = re.search(rb"API key:\s+(\S+)", banner)
        assert url
        assert key
        async with PackageX(key[1].decode(), base_url=url[1].decode()) as px:
            assert len([b async for b in px.batches.list()]) == 7
            assert len([i async for i in px.imports.list()]) == 3
    finally:
        process.terminate()
        await process.wait()


def test_serve_fake_names_the_resources_it_serves_for_an_unknown_one() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "packagex_async", "serve-fake", "--port", "0", "--seeded", "x=1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    assert "no resource 'x' in the fake; known: batches, exports, imports" in done.stderr
    assert "Traceback" not in done.stderr
