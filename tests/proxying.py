"""A loopback forward proxy and a self-signed TLS front, for the proxy and TLS tests.

``ForwardProxy`` speaks both ways a client uses a proxy: plain forwarding of an
absolute-form request (``GET http://host/path``, which the proxy reads whole) and a
``CONNECT host:port`` tunnel (after which it only passes bytes on, seeing TLS
records). Everything clients sent it is kept in ``seen``, so a test can look for a
secret there. ``TLSFront`` terminates TLS with a certificate made for the test and
passes the plain bytes on to a server behind it (the fake API).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime
import ipaddress
import ssl
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import yarl

__all__ = ["ForwardProxy", "TLSFront", "self_signed"]

_Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Coroutine[Any, Any, None]]


class _Server:
    """A loopback asyncio server whose connection tasks are all ended on exit."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self._tls = tls
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.port = 0

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError

    async def _tracked(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass  # either side went away
        except asyncio.CancelledError:
            pass  # our own shutdown
        finally:
            writer.close()
            self._tasks.discard(task)

    async def __aenter__(self) -> Any:
        self._server = await asyncio.start_server(self._tracked, "127.0.0.1", 0, ssl=self._tls)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for _ in range(3):
            await asyncio.sleep(0)
        while self._tasks:
            pending = list(self._tasks)
            for task in pending:
                task.cancel()
            await asyncio.wait(pending)
        await self._server.wait_closed()


async def _pipe(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, keep: bytearray | None
) -> None:
    """Copy bytes until end of stream, keeping a copy in ``keep``."""
    try:
        while data := await reader.read(65536):
            if keep is not None:
                keep += data
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _splice(
    client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    keep: bytearray | None,
) -> None:
    await asyncio.gather(_pipe(client[0], upstream[1], keep), _pipe(upstream[0], client[1], None))


class ForwardProxy(_Server):
    """``async with ForwardProxy() as proxy``: ``url``, ``forwarded``, ``tunnels``, ``seen``.

    ``credentials="user:password"`` makes it answer 407 unless the client sends them;
    ``refuse_tunnels=403`` answers every CONNECT with that status, as a proxy whose
    policy forbids the host. It resolves the names in ``hosts`` itself
    (``{"api.packagex.test": "127.0.0.1"}``), as a corporate proxy resolves names the
    client cannot: loopback hosts are never proxied, so the tests name the fake by a
    name only the proxy knows.
    """

    def __init__(
        self,
        credentials: str | None = None,
        hosts: Mapping[str, str] | None = None,
        refuse_tunnels: int | None = None,
    ) -> None:
        super().__init__()
        self._hosts = dict(hosts or {})
        self._refuse_tunnels = refuse_tunnels
        self._expected = (
            None
            if credentials is None
            else "Basic " + base64.b64encode(credentials.encode()).decode()
        )
        self.forwarded: list[str] = []
        """The absolute URLs of the plain requests it forwarded."""
        self.tunnels: list[str] = []
        """The ``host:port`` of each CONNECT tunnel it opened."""
        self.refused = 0
        self.seen = bytearray()
        """Every byte clients sent it, request heads and tunnelled bytes alike."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                return
            self.seen += head
            line, *lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
            method, target, _ = line.split(" ", 2)
            headers = [tuple(part.strip() for part in h.split(":", 1)) for h in lines]
            given = next((v for k, v in headers if k.lower() == "proxy-authorization"), None)
            if self._expected is not None and given != self._expected:
                self.refused += 1
                writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n")
                writer.write(b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n')
                await writer.drain()
                continue
            if method == "CONNECT" and self._refuse_tunnels is not None:
                self.refused += 1
                writer.write(f"HTTP/1.1 {self._refuse_tunnels} Refused\r\n".encode())
                writer.write(b"Content-Length: 0\r\n\r\n")
                await writer.drain()
                continue
            if method == "CONNECT":
                await self._tunnel(target, reader, writer)
                return
            await self._forward(method, target, headers, reader, writer)

    async def _tunnel(
        self, target: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.tunnels.append(target)
        host, port = target.rsplit(":", 1)
        upstream = await asyncio.open_connection(self._hosts.get(host, host), int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await _splice((reader, writer), upstream, self.seen)

    async def _forward(
        self,
        method: str,
        target: str,
        headers: list[tuple[str, ...]],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        """One absolute-form request, sent on in origin form on a fresh connection."""
        self.forwarded.append(target)
        url = yarl.URL(target)
        length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
        body = await reader.readexactly(length)
        self.seen += body
        kept = [
            (k, v)
            for k, v in headers
            if not k.lower().startswith("proxy-") and k.lower() != "connection"
        ]
        head = f"{method} {url.raw_path_qs} HTTP/1.1\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in kept) + "Connection: close\r\n\r\n"
        assert url.host is not None
        up_reader, up_writer = await asyncio.open_connection(
            self._hosts.get(url.host, url.host), url.port
        )
        try:
            up_writer.write(head.encode("latin-1") + body)
            await up_writer.drain()
            writer.write(await up_reader.read())  # "Connection: close": it ends there
            await writer.drain()
        finally:
            up_writer.close()


class TLSFront(_Server):
    """``async with TLSFront(context, port)``: TLS on ``url``, plain bytes to ``port``."""

    def __init__(self, context: ssl.SSLContext, port: int) -> None:
        super().__init__(tls=context)
        self._behind = port

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream = await asyncio.open_connection("127.0.0.1", self._behind)
        await _splice((reader, writer), upstream, None)


def self_signed(directory: Path, *names: str) -> tuple[ssl.SSLContext, Path]:
    """A server context with a certificate for 127.0.0.1 and ``names``, and its CA file."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "packagex test front")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                    *(x509.DNSName(name) for name in names),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file = directory / "front.pem"
    key_file = directory / "front.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    return server, cert_file
