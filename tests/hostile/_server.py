"""A raw loopback HTTP/1.1 server whose answers each test scripts byte by byte.

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nhello")

    async with HostileServer(handler) as server:
        ...  # point a client at server.url
        assert len(server.requests) == 1

The server reads each request (request line and headers; a body by Content-Length)
and hands it to the handler, which may write anything: a malformed status line, a
lying Content-Length, half a body, nothing at all. After the handler returns, the
connection is kept for the next request unless the handler closed it. A handler
that raises (a bug in a test) fails the test when the server exits. On exit every
connection task is cancelled and awaited, so nothing is left behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import http
import json
import socket
import struct
import zlib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = [
    "Handler",
    "HostileServer",
    "Received",
    "envelope",
    "gzip_bomb",
    "json_response",
    "page_body",
    "reset",
    "response",
    "stall",
]


@dataclasses.dataclass(frozen=True)
class Received:
    """One request as it arrived: ``target`` is the raw path and query."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (any case), or None."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


Handler = Callable[[Received, asyncio.StreamWriter], Awaitable[None]]


class HostileServer:
    """``async with HostileServer(handler) as server``: ``url``, ``requests``, ``connections``."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Received] = []
        self.connections = 0
        self.tasks: set[asyncio.Task[Any]] = set()
        self.errors: list[BaseException] = []
        self._server: asyncio.Server | None = None
        self._closing = False
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> HostileServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._closing = True
        self._server.close()
        for _ in range(3):  # connections accepted just now get to start and register
            await asyncio.sleep(0)
        while self.tasks:
            pending = list(self.tasks)
            for task in pending:
                task.cancel()
            await asyncio.wait(pending)
        await self._server.wait_closed()
        if self.errors and exc_type is None:
            raise AssertionError("a HostileServer handler failed") from self.errors[0]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.tasks.add(task)
        self.connections += 1
        try:
            while not writer.is_closing():
                request = await _read_request(reader)
                if request is None:
                    break
                self.requests.append(request)
                await self.handler(request, writer)
                if not writer.is_closing():
                    await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away: that is its right
        except asyncio.CancelledError:
            # Our own shutdown ends the connection normally: Python 3.11's
            # start_server callback calls task.exception(), which a cancelled task raises.
            if not self._closing:
                raise
        except Exception as exc:  # a broken handler fails the test at exit
            self.errors.append(exc)
        finally:
            writer.close()
            self.tasks.discard(task)


async def _read_request(reader: asyncio.StreamReader) -> Received | None:
    """The next request on the connection, or None at a clean end of stream."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if exc.partial:
            raise
        return None
    request_line, *lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
    method, target, _ = request_line.split(" ", 2)
    headers = tuple(tuple(line.split(":", 1)) for line in lines)
    received = Received(method, target, tuple((k.strip(), v.strip()) for k, v in headers))
    length = received.header("Content-Length")
    if not length:
        return received
    body = await reader.readexactly(int(length))
    return dataclasses.replace(received, body=body)


def response(
    status: int = 200,
    body: bytes = b"",
    headers: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]] = (),
    *,
    reason: str | None = None,
    length: bool = True,
) -> bytes:
    """A well-formed answer; ``length=False`` leaves Content-Length to ``headers`` (or out).

    Header values may be bytes, sent as they are (non-ASCII, control characters...).
    """
    pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    if length:
        pairs.append(("Content-Length", str(len(body))))
    if reason is None:
        try:
            reason = http.HTTPStatus(status).phrase
        except ValueError:
            reason = "Whatever"
    head = f"HTTP/1.1 {status} {reason}\r\n".encode()
    for name, value in pairs:
        raw = value if isinstance(value, bytes) else value.encode()
        head += name.encode() + b": " + raw + b"\r\n"
    return head + b"\r\n" + body


def json_response(
    value: Any, status: int = 200, headers: Mapping[str, str | bytes] | None = None
) -> bytes:
    """``value`` as a JSON answer (``Content-Type: application/json``)."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return response(status, json.dumps(value).encode(), all_headers)


def envelope(data: Any, pagination: Any = None, **extra: Any) -> dict[str, Any]:
    """A PackageX success envelope."""
    body = {"message": "ok", "status": 200, "code": None, "errors": [], "endpoint": "/v1/x"}
    return {**body, "data": data, "pagination": pagination, **extra}


def page_body(
    ids: list[str], *, page: int, limit: int, has_more: bool, total_count: Any = None
) -> dict[str, Any]:
    """A list answer holding objects with these ids (``total_count`` left out when None)."""
    pagination: dict[str, Any] = {"page": page, "limit": limit, "has_more": has_more}
    if total_count is not None:
        pagination["total_count"] = total_count
    return envelope([{"id": i, "status": "completed"} for i in ids], pagination)


def reset(writer: asyncio.StreamWriter) -> None:
    """Drop the connection with a TCP RST (SO_LINGER 0), not an orderly close."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def stall(*_: object) -> None:
    """Never answer (until the server exits and cancels the connection)."""
    await asyncio.Event().wait()


def gzip_bomb(inflated: int, *, piece: int = 1 << 20) -> Iterator[bytes]:
    """A valid gzip body inflating to ``{"data": "000..."}`` of about ``inflated`` bytes.

    Generated as it is sent, cheaply: a block of ``piece`` zeros compressed once (a
    full flush makes each block independent, so its bytes can be repeated), then a
    final block and the trailer. 1 GiB of zeros costs about 1 MiB on the wire.
    """
    prefix, suffix, zeros = b'{"data": "', b'"}', b"0" * piece
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: with a gzip header
    yield compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc, size = zlib.crc32(prefix), len(prefix)
    for _ in range(max(1, inflated // piece)):
        crc, size = zlib.crc32(zeros, crc), size + piece
        yield block
    last = zlib.compressobj(9, zlib.DEFLATED, -15)  # -15: a raw deflate stream, final block
    crc, size = zlib.crc32(suffix, crc), size + len(suffix)
    yield last.compress(suffix) + last.flush() + struct.pack("<II", crc, size & 0xFFFFFFFF)
