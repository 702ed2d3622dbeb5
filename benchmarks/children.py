"""Benchmark servers other than the fake, each in its own process: start, announce, stop.

A child script prints one JSON line with at least ``url`` once it listens, then
serves until its stdin closes. ``running_child`` starts it, reads that line and
always stops it (see ``fakeproc.stop_child``); ``start_announced`` is the child's side.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aiohttp import web
from fakeproc import read_announcement, stop_child

HERE = Path(__file__).parent


@dataclasses.dataclass(frozen=True)
class Server:
    """A running child server: where it listens, its pid, what else it announced."""

    url: str
    pid: int
    announced: dict[str, Any]


@contextlib.contextmanager
def running_child(script: str, *args: str) -> Iterator[Server]:
    """``script`` in its own process, announcing itself as one JSON line; always stopped.

    Its own session, so a Ctrl-C reaches only the runner, which stops it (stdin EOF,
    then SIGTERM, then SIGKILL, as ``fakeproc`` does).
    """
    command = [sys.executable, str(HERE / script), *args]
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        announced = read_announcement(process, script)
        yield Server(announced["url"], process.pid, announced)
    finally:
        stop_child(process)


async def start_announced(app: web.Application) -> web.AppRunner:
    """In a child server: serve ``app`` (an ``aiohttp.web.Application``) on a free
    loopback port and print its URL as the one JSON line ``read_announcement`` waits
    for. Returns the started ``web.AppRunner``; the caller cleans it up."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(json.dumps({"url": f"http://127.0.0.1:{port}"}), flush=True)
    return runner
