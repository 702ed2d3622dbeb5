"""A gzip bomb (about 1 MiB on the wire, 1 GiB inflated) must not inflate the process.

Peak RSS is only measurable per process, so the SDK meets the bomb in a child
process: it serves the bomb from a loopback server generated on the fly, calls the
SDK with the default ``max_response_bytes`` (64 MiB), and prints its outcome and its
peak RSS growth. As a safety net the child's address space is capped, so an SDK
that reads the whole body fails with MemoryError instead of swapping the machine.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

from ._server import gzip_bomb

ROOT = Path(__file__).resolve().parents[2]
RSS_BUDGET_MIB = 256

CHILD = r"""
import asyncio, json, resource, sys

from packagex_async import PackageX
from packagex_async.testing import set_testing
from tests.hostile._secrets import KEY
from tests.hostile._server import HostileServer, gzip_bomb, response


def peak_mib():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def cap_address_space(extra_mib):
    # Lower the soft RLIMIT_AS to the current size plus extra_mib (Linux only).
    try:
        with open("/proc/self/status") as status:
            vm = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration):
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = (vm + extra_mib * 1024) * 1024
    if hard == resource.RLIM_INFINITY or limit < hard:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


async def bomb(request, writer):
    headers = {
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
        "Transfer-Encoding": "chunked",
    }
    writer.write(response(200, b"", headers, length=False))
    for piece in gzip_bomb(1 << 30):
        writer.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
        await writer.drain()
    writer.write(b"0\r\n\r\n")


async def main():
    set_testing(True)
    async with HostileServer(bomb) as server:
        async with PackageX(KEY, base_url=server.url, timeout=30.0) as px:
            saved = resource.getrlimit(resource.RLIMIT_AS)
            before = peak_mib()
            cap_address_space(1536)
            outcome, limit = "no error", None
            try:
                await px.batches.retrieve("batch_1")
            except BaseException as exc:
                outcome, limit = type(exc).__name__, getattr(exc, "limit", None)
            growth = peak_mib() - before
            resource.setrlimit(resource.RLIMIT_AS, saved)
    report = {
        "outcome": outcome,
        "limit": limit,
        "requests": len(server.requests),
        "growth_mib": round(growth, 1),
    }
    print(json.dumps(report))


asyncio.run(main())
"""


def test_the_bomb_is_what_it_claims() -> None:
    """The generator itself: valid gzip, inflating to the size asked (checked small)."""
    body = b"".join(gzip_bomb(4 << 20, piece=1 << 20))
    assert gzip.decompress(body) == b'{"data": "' + b"0" * (4 << 20) + b'"}'
    assert sum(len(part) for part in gzip_bomb(1 << 30)) < 2 << 20, "1 GiB costs ~1 MiB"


def test_a_1_gib_gzip_bomb_is_refused_without_growing_rss_past_256_mib() -> None:
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert child.returncode == 0, child.stderr[-3000:]
    report = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"gzip bomb: {report} in {elapsed:.1f}s")

    assert report["outcome"] == "ResponseTooLargeError", report
    assert report["limit"] == 64 * 1024 * 1024
    assert report["requests"] == 1
    assert report["growth_mib"] < RSS_BUDGET_MIB, report
