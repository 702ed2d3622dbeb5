"""A cheap stand-in for the PackageX API, for scenario 7: canned retrieve answers.

    python benchmarks/web_upstream.py --batches 100   # prints {"url": ..., "ids": [...]}

Scenario 7 measures the web *app* in front of the API, so the API must cost less
than the app per request. ``FakePackageX`` is an aiohttp.web server itself and
costs about as much per request as the app under test (see ``web.py``). This
process therefore asks a seeded fake once for every batch's retrieve answer
(``GET /v1/batches/{id}``, the exact bytes it sends) and for a 404 answer, closes
it, and serves those bytes from a plain ``asyncio.Protocol``: HTTP/1.1 keep-alive,
GET only, no request body, no parsing beyond the request line.

Stops when its stdin reaches end-of-file (the parent closed it or died) or on
SIGTERM / SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
import threading

import aiohttp

from packagex_async.testing import FakePackageX

PREFIX = b"/v1/batches/"
HEAD = b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"


async def canned(batches: int, seed: int) -> tuple[dict[bytes, bytes], bytes]:
    """Whole HTTP answers by id, and the answer for any other id, taken from the fake."""
    async with FakePackageX(batches=batches, seed=seed) as fake:
        ids = [str(batch["id"]) for batch in fake.batches]
        headers = {"PX-API-KEY": fake.api_key}
        async with aiohttp.ClientSession(fake.url, headers=headers) as session:
            bodies = {}
            for batch_id in [*ids, "batch_missing"]:
                async with session.get(f"/v1/batches/{batch_id}") as answer:
                    bodies[batch_id] = (answer.status, await answer.read())
    missing = bodies.pop("batch_missing")
    if missing[0] != 404 or any(status != 200 for status, _ in bodies.values()):
        raise RuntimeError("the fake did not answer 200 for its batches and 404 for others")
    answers = {i.encode(): HEAD % (200, b"OK", len(b)) + b for i, (_, b) in bodies.items()}
    return answers, HEAD % (404, b"Not Found", len(missing[1])) + missing[1]


class Upstream(asyncio.Protocol):
    """Answers every complete request head in the buffer; keeps the connection open."""

    def __init__(self, answers: dict[bytes, bytes], missing: bytes) -> None:
        self.answers, self.missing = answers, missing
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        assert self.transport is not None
        self.buffer += data
        out = []
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            line = self.buffer[: self.buffer.find(b"\r\n")]
            self.buffer = self.buffer[end + 4 :]
            path = line.split(b" ", 2)[1].partition(b"?")[0]
            key = path[len(PREFIX) :] if path.startswith(PREFIX) else b""
            out.append(self.answers.get(key, self.missing))
        if out:
            self.transport.write(b"".join(out))


def _stop_on_eof_or_signal(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    def watch() -> None:
        sys.stdin.buffer.read()  # blocks until EOF
        with contextlib.suppress(RuntimeError):  # the loop may be closed already
            loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch, name="stdin-eof", daemon=True).start()


async def serve(batches: int, seed: int) -> None:
    """Announce the URL and the ids, then answer until stopped."""
    answers, missing = await canned(batches, seed)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    _stop_on_eof_or_signal(loop, stop)
    server = await loop.create_server(lambda: Upstream(answers, missing), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    ids = [key.decode() for key in answers]
    print(json.dumps({"url": f"http://127.0.0.1:{port}", "ids": ids}), flush=True)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(serve(args.batches, args.seed))


if __name__ == "__main__":
    main()
