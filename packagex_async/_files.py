"""``px.files``: read, stream or download a presigned file URL, never with the API key.

A presigned URL carries its own signature, and it points at a storage host, not
the API: sending ``PX-API-KEY`` there would leak the key. Requests here carry no
headers of ours, and logs and errors name the host and path only (the query string
is the signature). The URL is used exactly as given (``encoded=True``), since
re-encoding it would break the signature.

Transient failures are retried with the client's policy: ``read`` and ``download``
start the file again from its first byte; ``stream`` retries until the first chunk
is out (after that, a cut is reported, because chunks already handed over cannot be
taken back). ``download`` writes to a temporary file beside the target and renames
it at the end, so a failure leaves nothing partial behind.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import attrs
import yarl

from ._errors import (
    APIConnectionError,
    APITimeoutError,
    FileDownloadError,
    FileURLExpiredError,
    caused_by,
    describe,
)
from ._retry import (
    RETRY_AFTER_CAP,
    RETRY_STATUSES,
    Retryable,
    RetryPolicy,
    parse_retry_after,
    retry,
)

__all__ = ["Download", "Files", "ProgressCallback"]

ProgressCallback = Callable[[int, "int | None"], object]
"""Called as ``(bytes_done, bytes_total)``; the total is ``None`` without Content-Length."""

_CHUNK = 64 * 1024


@attrs.frozen
class Download:
    """A finished download: where the file is and how many bytes it has."""

    path: Path
    size: int


class Files:
    """Fetches presigned file URLs through the client's session, without its key."""

    def __init__(
        self,
        *,
        get_session: Callable[[], aiohttp.ClientSession],
        timeout: float,
        policy: RetryPolicy,
    ) -> None:
        self._get_session = get_session
        # Files can be large: bound the wait for each read, not the whole transfer.
        self._timeout = aiohttp.ClientTimeout(total=None, sock_connect=timeout, sock_read=timeout)
        self._policy = policy

    async def read(self, url: str, *, on_progress: ProgressCallback | None = None) -> bytes:
        """The whole file, in memory."""

        async def attempt(_: int, __: int) -> bytes:
            response = await self._open(url)
            return b"".join([chunk async for chunk in self._body(url, response, on_progress)])

        return await retry(self._policy, attempt, what=f"GET {_where(url)}")

    async def stream(
        self, url: str, *, on_progress: ProgressCallback | None = None
    ) -> AsyncIterator[bytes]:
        """The file as it arrives, chunk by chunk."""

        async def attempt(_: int, __: int) -> aiohttp.ClientResponse:
            return await self._open(url)

        response = await retry(self._policy, attempt, what=f"GET {_where(url)}")
        try:
            async for chunk in self._body(url, response, on_progress):
                yield chunk
        except Retryable as failure:
            raise failure.error from failure.error.__cause__

    async def download(
        self, url: str, path: str | os.PathLike[str], *, on_progress: ProgressCallback | None = None
    ) -> Download:
        """Stream the file to ``path`` atomically; an existing file is replaced at the end."""
        target = Path(path)
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")

        async def attempt(_: int, __: int) -> int:
            response = await self._open(url)
            return await _write(self._body(url, response, on_progress), partial)

        try:
            size = await retry(self._policy, attempt, what=f"GET {_where(url)}")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return Download(target, size)

    async def _open(self, url: str) -> aiohttp.ClientResponse:
        """A response with status 200, or the failure as an error (``Retryable`` if transient)."""
        session, where = self._get_session(), _where(url)
        try:
            response = await session.get(
                yarl.URL(url, encoded=True),
                timeout=self._timeout,
                max_redirects=5,
                raise_for_status=False,  # a borrowed session may say otherwise
            )
        except (asyncio.TimeoutError, TimeoutError) as exc:
            raise Retryable(caused_by(APITimeoutError(f"GET {where} timed out"), exc)) from None
        except (aiohttp.TooManyRedirects, aiohttp.InvalidURL) as exc:
            raise APIConnectionError(f"GET {where} failed: {describe(exc)}") from None
        except aiohttp.ClientError as exc:
            failed = APIConnectionError(f"GET {where} failed: {describe(exc)}")
            raise Retryable(caused_by(failed, exc)) from None
        if response.status == 200:
            return response
        try:
            excerpt = (await response.content.read(300)).decode("utf-8", "replace")
        except (aiohttp.ClientError, asyncio.TimeoutError):
            excerpt = ""
        finally:
            response.close()
        raise _storage_error(url, response.status, response.headers.get("Retry-After"), excerpt)

    async def _body(
        self, url: str, response: aiohttp.ClientResponse, on_progress: ProgressCallback | None
    ) -> AsyncIterator[bytes]:
        """The chunks of an open response; a cut becomes ``Retryable``. Closes the response.

        A compressed answer (``Content-Encoding``) arrives decompressed, so its
        ``Content-Length`` says nothing about the bytes we count: no total then.
        """
        compressed = response.headers.get("Content-Encoding", "identity") != "identity"
        total = None if compressed else response.content_length
        done, where = 0, _where(url)
        try:
            async for chunk in response.content.iter_chunked(_CHUNK):
                done += len(chunk)
                if on_progress is not None:
                    on_progress(done, total)
                yield chunk
        except (asyncio.TimeoutError, TimeoutError) as exc:
            stalled = APITimeoutError(f"GET {where} stalled after {done} bytes")
            raise Retryable(caused_by(stalled, exc)) from None
        except aiohttp.ClientError as exc:
            cut = APIConnectionError(
                f"GET {where} was cut short after {done} bytes: {describe(exc)}"
            )
            raise Retryable(caused_by(cut, exc)) from None
        finally:
            response.close()
        if total is not None and done != total:
            raise Retryable(APIConnectionError(f"GET {where} ended after {done} of {total} bytes"))


async def _write(chunks: AsyncIterator[bytes], partial: Path) -> int:
    size = 0
    with partial.open("wb") as file:
        async for chunk in chunks:
            file.write(chunk)
            size += len(chunk)
    return size


def _storage_error(url: str, status: int, retry_after: str | None, excerpt: str) -> Exception:
    where = _where(url)
    if status == 403:
        return FileURLExpiredError(
            f"the storage host refused GET {where} (HTTP 403): the presigned URL has expired or "
            "is not valid. Retrieve the batch or export again for a fresh URL.",
            status=status,
        )
    error = FileDownloadError(
        f"the storage host answered GET {where} with HTTP {status}: {excerpt}", status=status
    )
    wait = parse_retry_after(retry_after)
    if status in RETRY_STATUSES and (wait is None or wait <= RETRY_AFTER_CAP):
        return Retryable(error, wait)
    return error


def _where(url: str) -> str:
    """Host and path of a presigned URL: the query string is its signature."""
    parsed = yarl.URL(url, encoded=True)
    return f"{parsed.host}{parsed.raw_path}"
