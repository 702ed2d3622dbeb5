"""The one request pipeline: send, read, classify, retry, for the API and storage alike.

``Pipeline.send`` reads top to bottom: each attempt either returns a result or
ends with a ``Failure``; ``_wait_or_raise`` asks ``retry_delay`` whether and when
to try again, and raises the last failure's error when not. Errors are raised
outside every ``except`` block, by ``Failure.raise_error``, which also cuts what a
pure-Python ``Task`` would chain: no exception of the HTTP library is ever reachable
from ours, not even as the hidden ``__context__`` (its text and ``request_info``
hold URLs and the key), whatever ``Task`` runs the request.

Facts about aiohttp (3.14) this module is built on:
- a custom header such as ``PX-API-KEY`` is forwarded to whatever host a redirect
  names, so API requests never follow redirects (storage requests carry no key and do);
- ``ClientTimeout(total=...)`` raises a bare ``TimeoutError``, not a ``ClientError``;
- a GET is silently re-sent once when the connection drops, under our own retries,
  unless the session's ``_retry_connection`` is off: the client turns it off on the
  session it creates, so the server sees exactly ``max_retries + 1`` requests (a
  borrowed session is left as its owner configured it); a POST is never re-sent;
- bodies are decompressed as they are read, in bounded pieces, so reading chunk by
  chunk and stopping at ``max_response_bytes`` bounds memory even for a gzip bomb.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

import aiohttp
import yarl

from .._errors import RateLimitError
from ._failures import from_exception, from_status, garbled, misshapen, too_large
from ._inflate import inflated_excerpt
from ._pacing import Pacer
from ._parse import Misshapen, NotEnvelope, Parse
from ._request import Request
from ._retry import Failure, RetryPolicy, outcome_unknown, retry_delay, sleep

__all__ = ["Pipeline", "Rejected", "chunks"]

logger = logging.getLogger("packagex_async")

T = TypeVar("T")

ERROR_BODY_LIMIT = 64 * 1024
"""How much of an error answer is read to find its envelope and quote it."""

_MAX_REDIRECTS = 5
_CHUNK = 64 * 1024

ProxyFor = Callable[[yarl.URL], "yarl.URL | None"]
"""The proxy for a request's URL, or ``None`` to connect directly."""


class Rejected(Exception):
    """Raised (never out of the SDK) when reading an answer meets a ``Failure``."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.reach.value)
        self.failure = failure


Read = Callable[[Request, aiohttp.ClientResponse], Awaitable[T]]
"""Turns a success response into the result. The response is closed afterwards,
unless it *is* the result (a stream, which its reader closes)."""


class Pipeline:
    """Sends requests with the client's session, pacing and retry policy."""

    def __init__(
        self,
        *,
        get_session: Callable[[bool], aiohttp.ClientSession],
        policy: RetryPolicy,
        pacer: Pacer,
        max_response_bytes: int,
        proxy_for: ProxyFor | None = None,
    ) -> None:
        """``proxy_for``: the proxy of each request's URL; ``None`` when none is ever used."""
        self._get_session = get_session
        self._proxy_for = proxy_for
        self._policy = policy
        self._pacer = pacer
        self._max_response_bytes = max_response_bytes

    def parsed(self, request: Request, parse: Parse[T]) -> Awaitable[T]:
        """``parse`` of a successful API answer's body, read within ``max_response_bytes``.

        The pipeline knows bytes: ``parse`` (the codec's reader) makes the result, and
        its ``NotEnvelope`` or ``Misshapen`` become the failures that decide a retry
        (see ``_parse``). Returns ``send``'s coroutine rather than awaiting it: one
        frame less for every resumption of the request.
        """
        max_bytes = self._max_response_bytes

        async def read(request: Request, response: aiohttp.ClientResponse) -> T:
            body = await read_body(request, response, max_bytes)
            response.release()
            try:
                return parse(body)
            except NotEnvelope:
                failure = garbled(request, response.status, body)
            except Misshapen as exc:
                failure = misshapen(request, response.status, str(exc))
            raise Rejected(failure)  # outside the handlers: nothing chained

        return self.send(request, read)

    async def send(self, request: Request, read: Read[T]) -> T:
        """``read`` of the first success; the last failure's error once retries run out.

        The attempts are written out here, not in a coroutine of their own: every
        coroutine layer is created for each request and resumed each time it waits.
        """
        number = 0
        response: aiohttp.ClientResponse | None
        while True:
            number += 1
            session = self._get_session(request.storage)  # a closed client raises here, as is
            if not self._pacer.ready():
                await self._pacer.wait_turn()
            debug = logger.isEnabledFor(logging.DEBUG)
            started = time.perf_counter() if debug else 0.0
            try:
                response = await _request(session, request, self._proxy_for)
            except Exception as exc:
                failure = from_exception(request, exc)
                if debug:
                    self._log_attempt(request, type(failure.error).__name__, number, started)
            else:
                if debug:
                    self._log_attempt(request, response.status, number, started)
                result: T | None = None
                try:
                    if 200 <= response.status < 300:
                        result = await read(request, response)
                        return result
                    failure = await self._status_failure(request, response)
                except Rejected as rejected:
                    failure = rejected.failure
                finally:
                    if result is not response and not response.closed:  # a stream stays open
                        response.close()
            response = None  # its repr holds the URL: not a local of the frame that raises
            await self._wait_or_raise(request, failure, number)

    async def _status_failure(self, request: Request, response: aiohttp.ClientResponse) -> Failure:
        try:
            body = await read_body(request, response, ERROR_BODY_LIMIT, cut=True)
        except Rejected:
            body = b""  # the status says enough; a cut error body adds nothing
        if request.storage:
            body = inflated_excerpt(body, response.headers.get("Content-Encoding"))
        return from_status(request, response.status, response.headers, body)

    async def _wait_or_raise(self, request: Request, failure: Failure, number: int) -> None:
        """Wait before attempt ``number + 1``, or raise ``failure``'s error if there is none.

        A 429 throttles the key: its pause holds every request of the client.
        """
        wait = retry_delay(failure, number, self._policy, idempotent=request.idempotent)
        if wait is None:
            if request.if_unsure is not None and outcome_unknown(failure):
                failure.error.outcome_unknown = request.if_unsure
            failure.raise_error()
        if isinstance(failure.error, RateLimitError) and failure.retry_after is not None:
            self._pacer.pause(wait)
        logger.info(
            "%s failed (%s); retry %d of %d in %.2fs",
            request.label,
            failure.error,
            number,
            self._policy.max_retries,
            wait,
        )
        await sleep(wait)

    def _log_attempt(self, request: Request, result: object, number: int, started: float) -> None:
        logger.debug(
            "%s -> %s in %.1f ms (attempt %d of %d)",
            request.label,
            result,
            (time.perf_counter() - started) * 1000,
            number,
            self._policy.max_retries + 1,
        )


def _request(
    session: aiohttp.ClientSession, request: Request, proxy_for: ProxyFor | None
) -> Awaitable[aiohttp.ClientResponse]:
    """The session's request for ``request``, not yet sent (awaiting it sends it)."""
    return session.request(
        request.method,
        request.url,
        headers=request.headers,
        data=request.body,
        timeout=request.timeout,
        allow_redirects=request.storage,
        max_redirects=_MAX_REDIRECTS,
        auto_decompress=not request.storage,  # a file's stream is checked whole (_files)
        raise_for_status=False,  # a borrowed session may say otherwise
        proxy=None if proxy_for is None else proxy_for(request.url),
    )


def read_body(
    request: Request, response: aiohttp.ClientResponse, limit: int, *, cut: bool = False
) -> Awaitable[bytes]:
    """The whole body, or ``Rejected`` (too large) once it passes ``limit`` bytes.

    With ``cut``, a body past the limit is cut there instead (for error excerpts).
    An answer that declares its length, uncompressed and within the limit, is read
    in one call; any other is read chunk by chunk (plain awaits, not ``chunks``: an
    async generator's machinery costs more than the read of a small answer).
    Returns the reading coroutine, not a coroutine of its own: one frame less.
    """
    length = response.content_length
    if length is not None and length <= limit and "Content-Encoding" not in response.headers:
        return _read_whole(request, response)  # its size is known and allowed
    return _read_in_chunks(request, response, limit, cut)


async def _read_in_chunks(
    request: Request, response: aiohttp.ClientResponse, limit: int, cut: bool
) -> bytes:
    """``read_body`` for an answer of unknown, compressed or too large a size."""
    parts: list[bytes] = []
    size = 0
    while chunk := await _read_chunk(request, response.content):
        size += len(chunk)
        if size > limit:
            if cut:
                parts.append(chunk[: limit - size])
                break
            raise Rejected(too_large(request, response.status, limit))
        parts.append(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


async def chunks(request: Request, response: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    """The body as it arrives; a failure of the library becomes ``Rejected``, raised clean."""
    while chunk := await _read_chunk(request, response.content):
        yield chunk


async def _read_whole(request: Request, response: aiohttp.ClientResponse) -> bytes:
    """The whole body in one read, or ``Rejected``, raised clean."""
    try:
        return await response.read()
    except Exception as exc:
        failure = from_exception(request, exc, reading=True)
    raise Rejected(failure)


async def _read_chunk(request: Request, content: aiohttp.StreamReader) -> bytes:
    """The next piece of the body (empty at its end), or ``Rejected``, raised clean."""
    try:
        return await content.read(_CHUNK)
    except Exception as exc:
        failure = from_exception(request, exc, reading=True)
    raise Rejected(failure)
