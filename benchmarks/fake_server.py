"""Run one FakePackageX in its own process, for the benchmarks.

The benchmarks measure a client, so the server must not share the client's CPU core
or event loop: ``benchmarks/_server.py`` starts this script as a subprocess, reads
the one JSON line it prints (``{"url": ..., "api_key": ...}``) and reuses the fake
for every run of a scenario.

Two things keep the server's own cost flat across a long scenario, so late runs
are not slower than early ones: the seeded data is moved out of the garbage
collector's reach (``gc.freeze``; 100,000 batches are ~10^6 containers to traverse
on every full collection), and the request log the fake keeps for tests is
cleared every second (nothing here reads it).

The fake stops when its stdin reaches end-of-file (the parent closed the pipe or
died, even by SIGKILL), or on SIGTERM / SIGINT, so it can never outlive the run.

    python benchmarks/fake_server.py --batches 20000 --latency list_batches=0.05
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import signal
import sys
import threading

from packagex_async.testing import FakePackageX

CLEAR_EVERY = 1.0  # seconds between clearing the request log


def parse_latency(text: str) -> tuple[str, float]:
    """``"list_batches=0.05"`` -> ``("list_batches", 0.05)``."""
    route, sep, seconds = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected ROUTE=SECONDS, got {text!r}")
    return route, float(seconds)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The fake's size, seed, port and injected latencies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=60)
    parser.add_argument("--exports", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument(
        "--latency", type=parse_latency, action="append", default=[], metavar="ROUTE=SECONDS"
    )
    return parser.parse_args(argv)


def stop_on_stdin_eof(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    """Set ``stop`` once stdin closes: the parent's way of saying "done" (or its death)."""

    def watch() -> None:
        sys.stdin.buffer.read()  # blocks until EOF
        with contextlib.suppress(RuntimeError):  # the loop may be closed already (SIGTERM)
            loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch, name="stdin-eof", daemon=True).start()


async def forget_requests(fake: FakePackageX, stop: asyncio.Event) -> None:
    """Clear the fake's request log every second until ``stop`` is set."""
    while not stop.is_set():
        fake.requests.clear()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), CLEAR_EVERY)


async def serve(args: argparse.Namespace) -> None:
    """Start the fake, announce where it listens, wait for the stop signal, close it."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    stop_on_stdin_eof(loop, stop)
    fake = FakePackageX(batches=args.batches, exports=args.exports, seed=args.seed, port=args.port)
    for route, seconds in args.latency:
        fake.faults.latency(route, seconds)
    async with fake:
        gc.collect()
        gc.freeze()
        print(json.dumps({"url": fake.url, "api_key": fake.api_key}), flush=True)
        await forget_requests(fake, stop)


def main() -> None:
    """Entry point: serve until stopped."""
    asyncio.run(serve(parse_args()))


if __name__ == "__main__":
    main()
