"""One of scenario 7's two web apps in its own process: the SDK example or raw aiohttp.

    python benchmarks/web_app.py sdk --upstream http://127.0.0.1:PORT   # prints {"url": ...}
    python benchmarks/web_app.py raw --upstream http://127.0.0.1:PORT

Both answer ``GET /batches/{id}`` with the batch as JSON by asking the upstream
API for it, on one aiohttp session shared by every request:

- ``sdk``: ``examples/aiohttp_app.py``'s ``make_app()``, unchanged: one ``PackageX``
  client, ``retrieve`` + ``to_json``; a 404 upstream is a 404.
- ``raw``: the same proxying written against aiohttp alone, as fair as it can be:
  one shared ``ClientSession`` (default pool of 100 connections, as the SDK's), the
  id percent-encoded into the path, ``orjson.loads`` of the upstream body and
  ``orjson.dumps`` of its ``data``; a 404 upstream is a 404, any other non-200 an
  error (the SDK raises, which aiohttp answers with a 500).

Both also answer ``GET /_gc`` (added here, not part of either app) with the full
garbage collections of the process since the last ``/_gc``: how many, and the
longest pause, which ``web.py`` reads around each run (p99 follows those pauses);
and ``POST /_freeze``, which runs ``gc.collect(); gc.freeze()`` in the app, for the
runs ``web.py`` makes after it.

Both run under ``web.AppRunner(app, access_log=None)`` on 127.0.0.1. The process
stops when its stdin reaches end-of-file or on SIGTERM / SIGINT. ``--profile FILE``
runs the server under cProfile and writes the statistics to FILE when it stops.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import importlib.util
import os
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import aiohttp
import orjson
from aiohttp import web
from children import start_announced

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "aiohttp_app.py"
API_KEY = "px_benchmark_key_0123456789"
SESSION = web.AppKey("upstream", aiohttp.ClientSession)


def sdk_app(upstream: str, key: str) -> web.Application:
    """The example app as users would run it: key and base URL from the environment."""
    os.environ["PX_API_KEY"], os.environ["PX_BASE_URL"] = key, upstream
    spec = importlib.util.spec_from_file_location("aiohttp_app", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app: web.Application = module.make_app()
    return app


def raw_app(upstream: str, key: str) -> web.Application:
    """The same endpoint with aiohttp and orjson only."""

    async def session(app: web.Application) -> AsyncIterator[None]:
        headers = {"PX-API-KEY": key, "Accept": "application/json"}
        async with aiohttp.ClientSession(headers=headers) as shared:
            app[SESSION] = shared
            yield

    async def one_batch(request: web.Request) -> web.Response:
        url = f"{upstream}/v1/batches/{quote(request.match_info['batch_id'], safe='')}"
        async with request.app[SESSION].get(url) as answer:
            if answer.status == 404:
                raise web.HTTPNotFound(text="no such batch")
            if answer.status != 200:
                raise RuntimeError(f"upstream answered {answer.status}")
            body = await answer.read()
        data = orjson.loads(body)["data"]
        return web.Response(body=orjson.dumps(data), content_type="application/json")

    app = web.Application()
    app.cleanup_ctx.append(session)
    app.router.add_get("/batches/{batch_id}", one_batch)
    return app


def _stop_event() -> asyncio.Event:
    """Set on SIGTERM / SIGINT or when stdin reaches end-of-file (the parent is done)."""
    loop, stop = asyncio.get_running_loop(), asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    def watch() -> None:
        sys.stdin.buffer.read()
        if not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch, name="stdin-eof", daemon=True).start()
    return stop


class FullCollections:
    """Counts the collector's full passes (generation 2) and times their pauses."""

    def __init__(self) -> None:
        self.count = 0
        self.longest = 0.0
        self._started = 0.0
        gc.callbacks.append(self._observe)

    def _observe(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
            return
        self.count += 1
        self.longest = max(self.longest, time.perf_counter() - self._started)

    async def report(self, request: web.Request) -> web.Response:
        """``{"count": N, "longest_ms": M}`` since the last report, then start over."""
        figures = {"count": self.count, "longest_ms": self.longest * 1000}
        self.count, self.longest = 0, 0.0
        return web.Response(body=orjson.dumps(figures), content_type="application/json")

    async def freeze(self, request: web.Request) -> web.Response:
        """``gc.collect(); gc.freeze()``: what a latency-sensitive service does once
        warmed up. Later full collections skip every object alive now."""
        gc.collect()
        gc.freeze()
        frozen = {"frozen": gc.get_freeze_count()}
        return web.Response(body=orjson.dumps(frozen), content_type="application/json")


async def serve(kind: str, upstream: str, key: str) -> None:
    """Start the app, announce its URL, serve until told to stop."""
    stop = _stop_event()
    app = (sdk_app if kind == "sdk" else raw_app)(upstream, key)
    collections = FullCollections()
    app.router.add_get("/_gc", collections.report)
    app.router.add_post("/_freeze", collections.freeze)
    runner = await start_announced(app)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("sdk", "raw"))
    parser.add_argument("--upstream", required=True, help="base URL of the API stand-in")
    parser.add_argument("--key", default=API_KEY, help="API key the upstream accepts")
    parser.add_argument("--profile", metavar="FILE", help="write cProfile statistics here")
    args = parser.parse_args()
    serving = serve(args.kind, args.upstream, args.key)
    if not args.profile:
        asyncio.run(serving)
        return
    profiler = cProfile.Profile()
    profiler.runcall(asyncio.run, serving)
    profiler.dump_stats(args.profile)


if __name__ == "__main__":
    main()
