"""``px.files``: read, stream or download a presigned file URL, never with the API key.

A presigned URL carries its own signature, and it points at a storage host, not
the API: sending ``PX-API-KEY`` there would leak the key. These requests go through
the one request pipeline as *presigned* requests: no headers of ours, and every
message and log line names the host and path only (the query string is the
signature). The URL is used exactly as given (``encoded=True``), since re-encoding
it would break the signature.

Transient failures are retried with the client's policy: ``read`` and ``download``
start the file again from its first byte; ``stream`` retries until the first chunk
is out (after that, a cut is reported, because chunks already handed over cannot be
taken back). ``download`` writes to a temporary file beside the target and renames
it at the end, so a failure leaves nothing partial behind.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import aiohttp
import attrs
import yarl

from .._errors import APIConnectionError, APIResponseValidationError, PackageXValueError
from .._http import Pipeline, Redactor, Rejected, Request, chunks, where
from .._http._inflate import Inflater, inflater
from .._http._retry import Failure, Reach
from .._params import check_callback, check_path, check_text

__all__ = ["Download", "Files", "ProgressCallback", "presigned_url_problem"]

ProgressCallback = Callable[[int, "int | None"], object]
"""Called as ``(bytes_done, bytes_total)``; the total is ``None`` without Content-Length."""


@attrs.frozen
class Download:
    """A finished download: where the file is and how many bytes it has."""

    path: Path
    size: int


class Files:
    """Fetches presigned file URLs through the client's pipeline, without its key."""

    def __init__(self, *, pipeline: Pipeline, redactor: Redactor, timeout: float) -> None:
        self._pipeline = pipeline
        self._redactor = redactor
        self._timeout = timeout

    async def read(self, url: str, *, on_progress: ProgressCallback | None = None) -> bytes:
        """The whole file, in memory."""
        request = self._request(url)
        del url  # its signature must not sit in this frame's locals (Request hides it)
        check_callback("on_progress", on_progress)

        async def read(request: Request, response: aiohttp.ClientResponse) -> bytes:
            return b"".join([chunk async for chunk in _body(request, response, on_progress)])

        return await self._pipeline.send(request, read)

    def stream(
        self, url: str, *, on_progress: ProgressCallback | None = None
    ) -> AsyncIterator[bytes]:
        """The file as it arrives, chunk by chunk (arguments are checked at the call)."""
        request = self._request(url)
        del url  # its signature must not sit in this frame's locals (Request hides it)
        check_callback("on_progress", on_progress)
        return self._stream(request, on_progress)

    async def download(
        self, url: str, path: str | os.PathLike[str], *, on_progress: ProgressCallback | None = None
    ) -> Download:
        """Stream the file to ``path`` atomically; an existing file is replaced at the end."""
        request = self._request(url)
        del url  # its signature must not sit in this frame's locals (Request hides it)
        target = check_path("path", path)
        check_callback("on_progress", on_progress)
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")

        async def write(request: Request, response: aiohttp.ClientResponse) -> int:
            size = 0
            with partial.open("wb") as file:
                async for chunk in _body(request, response, on_progress):
                    file.write(chunk)
                    size += len(chunk)
            return size

        try:
            size = await self._pipeline.send(request, write)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return Download(target, size)

    def _request(self, url: object) -> Request:
        """The request for a caller's URL, checked before anything is sent."""
        text = check_text("url", url)
        problem = presigned_url_problem(text)
        if problem is not None:
            raise PackageXValueError(f"url {where(text)} {problem}")
        return Request.presigned(
            yarl.URL(text, encoded=True), redactor=self._redactor, timeout=self._timeout
        )

    async def _stream(
        self, request: Request, on_progress: ProgressCallback | None
    ) -> AsyncIterator[bytes]:
        response = await self._pipeline.send(request, _hand_over)
        failure = None
        try:
            async for chunk in _body(request, response, on_progress):
                yield chunk
        except Rejected as rejected:
            failure = rejected.failure
        finally:
            response.close()
        del response  # its repr holds the signed URL; tracebacks with locals show it
        if failure is not None:
            failure.raise_error()  # nothing of the library is chained


def presigned_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched as a presigned URL, or None if it can."""
    if any(char.isspace() for char in url):
        return "contains white space"
    try:
        parsed = yarl.URL(url, encoded=True)
    except (ValueError, UnicodeError):
        return "is not a valid URL"
    if parsed.scheme not in ("https", "http"):
        return "must be an https:// (or http://) URL"
    if not parsed.raw_host:
        return "has no host"
    return None


async def _hand_over(request: Request, response: aiohttp.ClientResponse) -> aiohttp.ClientResponse:
    return response


async def _body(
    request: Request, response: aiohttp.ClientResponse, on_progress: ProgressCallback | None
) -> AsyncIterator[bytes]:
    """The chunks of a response, inflated and counted; a short or cut body is ``Rejected``.

    Storage answers arrive as sent (``Request.presigned``): ``Content-Length``
    measures those bytes, and a compressed file is whole only when its stream ended
    too (``_inflate``). Progress counts the bytes handed over, so a compressed file
    has no total.
    """
    try:
        inflate = inflater(response.headers.get("Content-Encoding"))
    except ValueError as exc:
        refused = APIResponseValidationError(
            f"{request.label} {request.redactor.text(str(exc))}", status=response.status
        )
        raise Rejected(Failure(refused, Reach.FINAL, response.status)) from None
    total = response.content_length
    received = done = 0
    async for chunk in chunks(request, response):
        received += len(chunk)
        for piece in (chunk,) if inflate is None else _inflated(request, inflate, chunk):
            done += len(piece)
            if on_progress is not None:
                on_progress(done, None if inflate else total)
            yield piece
    if total is not None and received != total:
        raise _cut(request, f"ended after {received} of {total} bytes")
    if inflate is not None and (problem := inflate.finish()) is not None:
        raise _cut(request, problem)


def _inflated(request: Request, inflate: Inflater, chunk: bytes) -> Iterator[bytes]:
    """The inflated pieces of ``chunk``; a stream that is not valid is ``Rejected``."""
    pieces = inflate.feed(chunk)
    problem = None
    while problem is None:
        try:
            piece = next(pieces)
        except StopIteration:
            return
        except ValueError as exc:
            problem = str(exc)
        else:
            yield piece
    raise _cut(request, problem)  # outside the except: nothing is chained


def _cut(request: Request, problem: str) -> Rejected:
    """A file that arrived cut or garbled: the next attempt may get it whole."""
    return Rejected(Failure(APIConnectionError(f"{request.label} {problem}"), Reach.UNKNOWN))
