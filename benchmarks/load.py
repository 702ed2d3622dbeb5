"""A closed-loop HTTP/1.1 load generator for scenario 7, when ``wrk`` is not installed.

    python benchmarks/load.py http://127.0.0.1:PORT --prefix /batches/ --ids a,b,c \\
        --connections 100 --seconds 5          # prints one JSON object

``--connections`` keep-alive connections each send a GET, wait for the whole
answer, record its latency and send the next, for ``--seconds``; the paths cycle
through ``--ids``. Prints requests, seconds, req/s, p50/p99/max latency in ms and
the count of answers that were not 200 (or broken).

Two clients, ``--client``:

- ``protocol`` (the default): a bare ``asyncio.Protocol`` per connection, writing a
  fixed request and reading the answer by its ``Content-Length``. About 55 us of CPU
  per request on the 2-core VM of ``benchmarks/README.md`` (30% of a core at
  5,000 req/s), against ~25 us for wrk with its Lua script.
- ``aiohttp``: one ``ClientSession`` with ``--connections`` connections, as a user
  would write it, at about 110 us of CPU per request (60% of a core at 5,000 req/s):
  with the app under test at 100% of one core and the upstream on top, it leaves
  nothing of a 2-core machine and the figures measure that competition.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import aiohttp


class Connection(asyncio.Protocol):
    """One keep-alive connection; ``fetch`` sends a request and waits for its answer."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[int] | None = None
        self.status = 0
        self.length = -1

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("the server closed the connection"))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.length < 0:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end]).lower()
            self.status = int(head[9:12])
            start = head.find(b"content-length:")
            if start < 0 and self.waiter is not None:
                self.waiter.set_exception(RuntimeError("an answer without Content-Length"))
                return
            self.length = end + 4 + int(head[start + 15 : head.find(b"\r\n", start)])
        if len(self.buffer) >= self.length and self.waiter is not None:
            del self.buffer[: self.length]
            self.length = -1
            self.waiter.set_result(self.status)

    async def fetch(self, request: bytes) -> int:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter


async def _protocol_worker(
    host: str, port: int, requests: Iterator[bytes], deadline: float, latencies: list[float]
) -> int:
    """Requests on one connection until the deadline; returns how many were not 200."""
    loop = asyncio.get_running_loop()
    transport, connection = await loop.create_connection(Connection, host, port)
    failed = 0
    try:
        while (started := time.perf_counter()) < deadline:
            status = await connection.fetch(next(requests))
            latencies.append(time.perf_counter() - started)
            failed += status != 200
    finally:
        transport.close()
    return failed


async def _aiohttp_worker(
    session: aiohttp.ClientSession, urls: Iterator[str], deadline: float, latencies: list[float]
) -> int:
    failed = 0
    while (started := time.perf_counter()) < deadline:
        async with session.get(next(urls)) as answer:
            await answer.read()
        latencies.append(time.perf_counter() - started)
        failed += answer.status != 200
    return failed


async def _workers(args: argparse.Namespace, deadline: float, latencies: list[float]) -> int:
    paths = [f"{args.prefix}{batch_id}" for batch_id in args.ids.split(",")]
    host, port = args.url.removeprefix("http://").rsplit(":", 1)
    if args.client == "aiohttp":
        import aiohttp  # only here: importing it costs the protocol client's runs 0.2 s of CPU

        connector = aiohttp.TCPConnector(limit=args.connections)
        async with aiohttp.ClientSession(connector=connector) as session:
            urls = itertools.cycle(f"{args.url}{path}" for path in paths)
            jobs = [
                _aiohttp_worker(session, urls, deadline, latencies) for _ in range(args.connections)
            ]
            return sum(await asyncio.gather(*jobs))
    head = f"Host: {host}:{port}\r\n\r\n"
    requests = itertools.cycle(f"GET {path} HTTP/1.1\r\n{head}".encode() for path in paths)
    jobs = [
        _protocol_worker(host, int(port), requests, deadline, latencies)
        for _ in range(args.connections)
    ]
    return sum(await asyncio.gather(*jobs))


def _percentile(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted values."""
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


async def measure(args: argparse.Namespace) -> dict[str, float]:
    """Load the server for ``args.seconds``; the figures as one JSON-ready dict."""
    latencies: list[float] = []
    started = time.perf_counter()
    failed = await _workers(args, started + args.seconds, latencies)
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "seconds": elapsed,
        "rps": len(ordered) / elapsed,
        "p50_ms": _percentile(ordered, 0.50) * 1000,
        "p99_ms": _percentile(ordered, 0.99) * 1000,
        "max_ms": ordered[-1] * 1000,
        "failed": failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="http://127.0.0.1:PORT")
    parser.add_argument("--prefix", default="/", help="path before each id")
    parser.add_argument("--ids", required=True, help="comma-separated ids, cycled")
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--client", choices=("protocol", "aiohttp"), default="protocol")
    print(json.dumps(asyncio.run(measure(parser.parse_args()))))


if __name__ == "__main__":
    main()
