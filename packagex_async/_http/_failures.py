"""From what went wrong on the wire to a ``Failure``: the one mapping, for both hosts.

Two sources of failure: an exception from the HTTP library (``from_exception``) and an
answer with an error status (``from_status``). Either way the error carries only
text that went through the request's redactor, and never the library's exception
(its text holds full URLs, its ``request_info`` the request headers, the key included).
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Mapping
from typing import Any

import aiohttp
import orjson

from .._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    PackageXError,
    RateLimitError,
    ResponseTooLargeError,
    status_error_class,
    storage_error_class,
)
from ._redact import where
from ._request import Request
from ._retry import RETRY_AFTER_CAP, RETRY_STATUSES, Failure, Reach, parse_retry_after

__all__ = ["from_exception", "from_status", "garbled", "misshapen", "too_large"]

_EXCERPT = 200
_REDACTED = 64 * 1024
"""How much of a body is redacted before an excerpt is cut from its start."""

# Failures where retrying cannot help: the URL or a redirect is unusable.
_FINAL_CLIENT_ERRORS = (
    aiohttp.TooManyRedirects,
    aiohttp.InvalidURL,
    aiohttp.ClientConnectorCertificateError,
    aiohttp.ClientConnectorSSLError,
)


def from_exception(request: Request, exc: BaseException, *, reading: bool = False) -> Failure:
    """The failure behind an exception raised while sending ``request`` or ``reading`` it."""
    detail = request.redactor.exception(exc)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        error: PackageXError = APITimeoutError(
            f"{request.label} could not connect within {request.timeout_seconds:g}s"
        )
        return Failure(error, Reach.NOT_SENT)
    # A file download's per-read timeout (sock_read) is a ClientError: before ``reading``.
    if isinstance(exc, aiohttp.ServerTimeoutError):
        error = APITimeoutError(
            f"{request.label} sent nothing for {request.timeout_seconds:g}s, the timeout"
        )
        return Failure(error, Reach.UNKNOWN)
    if reading and isinstance(exc, aiohttp.ClientError):
        cut = APIConnectionError(f"{request.label} was cut short while reading: {detail}")
        return Failure(cut, Reach.UNKNOWN)
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        error = APITimeoutError(
            f"{request.label} took longer than the {request.timeout_seconds:g}s timeout"
        )
        return Failure(error, Reach.UNKNOWN)
    if isinstance(exc, aiohttp.ClientHttpProxyError):  # the proxy refused the tunnel
        return Failure(_proxy_refused(request, exc.status))
    if isinstance(exc, _FINAL_CLIENT_ERRORS):
        return Failure(APIConnectionError(f"{request.label} failed: {detail}"))
    if isinstance(exc, aiohttp.ClientConnectorError):
        error = APIConnectionError(f"{request.label} could not connect {_connect_detail(exc)}")
        return Failure(error, Reach.NOT_SENT)
    if isinstance(exc, aiohttp.ClientError):
        return Failure(APIConnectionError(f"{request.label} failed: {detail}"), Reach.UNKNOWN)
    # Anything else from inside the HTTP library (a ValueError from a URL it could
    # not parse, a TypeError from a mock built for another aiohttp) is a failure of
    # this request, never a raw exception, and never retried: it is no network fault.
    return Failure(APIConnectionError(_unexpected(request, exc, detail)))


def _unexpected(request: Request, exc: BaseException, detail: str) -> str:
    kind = type(exc)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    text = detail.partition(": ")[2] or "(no message)"
    return (
        f"{request.label} failed inside the HTTP library (aiohttp {aiohttp.__version__}) with "
        f"an unexpected {name}: {text}; not a network failure, so not retried (a bug, or a "
        "mock made for another aiohttp version)"
    )


def _connect_detail(exc: aiohttp.ClientConnectorError) -> str:
    """``to HOST:PORT: reason``, from the parts, not aiohttp's text (``ssl:default [...]``).

    Host and port come from the URL, which holds no secret (the base URL may not
    carry credentials, and a storage URL's secret is its query string).
    """
    error = exc.os_error
    if error.errno and not isinstance(error, socket.gaierror):
        reason = os.strerror(error.errno)  # asyncio's own text repeats the address
    else:
        reason = error.strerror or str(error) or type(error).__name__
    return f"to {exc.host}:{exc.port}: {reason}"


def from_status(request: Request, status: int, headers: Mapping[str, str], body: bytes) -> Failure:
    """The failure behind an answer with a status that is not a success."""
    if 300 <= status < 400:
        return Failure(_redirect_error(request, status, headers))
    if status == 407:  # from a proxy forwarding plain http: the host never saw it
        return Failure(_proxy_refused(request, status))
    retry_after = parse_retry_after(headers.get("Retry-After"))
    if request.storage:
        error: PackageXError = storage_error_class(status)(
            _storage_message(request, status, body), status=status
        )
    else:
        error = _api_error(request, status, body, retry_after)
    return Failure(error, Reach.ANSWERED, status, retry_after)


def garbled(request: Request, status: int, body: bytes) -> Failure:
    """A success status whose body is not the PackageX JSON envelope."""
    error = APIResponseValidationError(
        f"{request.label} answered HTTP {status} with a body that is not the PackageX JSON "
        f"envelope: {_excerpt(request, body)}",
        status=status,
        body=_redacted(request, body)[:_EXCERPT].encode(),
    )
    return Failure(error, Reach.UNKNOWN)


def misshapen(request: Request, status: int, problem: str) -> Failure:
    """A success envelope without the documented shape (``data`` of the wrong kind,
    an ``id`` missing): final, as the same answer would come again. A write that got
    it *was* acted on, so its error says how to find what it made."""
    error = APIResponseValidationError(
        f"{request.method} {request.url.raw_path}: the answer does not have the documented "
        f"shape: {request.redactor.text(problem)}",
        status=status,
    )
    return Failure(error)


def too_large(request: Request, status: int, limit: int) -> Failure:
    """A body that grew past the size cap while it was read."""
    error = ResponseTooLargeError(
        f"{request.label} answered with a body larger than max_response_bytes={limit} "
        "(measured after decompression); it was not read further",
        status=status,
        limit=limit,
    )
    return Failure(error)


def _proxy_refused(request: Request, status: int) -> APIConnectionError:
    """A proxy's refusal, 407 above all, which no retry can fix."""
    hint = ": check the user and password of proxy= or HTTP(S)_PROXY" if status == 407 else ""
    return APIConnectionError(f"{request.label}: the proxy refused it with HTTP {status}{hint}")


def _redirect_error(request: Request, status: int, headers: Mapping[str, str]) -> PackageXError:
    location = headers.get("Location")
    target = "the same host" if location is None else request.redactor.text(where(location))
    if request.storage:
        return APIConnectionError(f"{request.label} redirected to {target} (HTTP {status})")
    return APIStatusError(
        f"the API redirected to {target}; redirects are not followed so that the API key "
        "is never sent to another host. Check base_url.",
        status=status,
        endpoint=request.url.raw_path_qs,
    )


def _storage_message(request: Request, status: int, body: bytes) -> str:
    if status == 403:
        return (
            f"the storage host refused {request.label} (HTTP 403): the presigned URL has "
            "expired or is not valid. Retrieve the batch or export again for a fresh URL."
        )
    return (
        f"the storage host answered {request.label} with HTTP {status}: {_excerpt(request, body)}"
    )


def _api_error(
    request: Request, status: int, body: bytes, retry_after: float | None
) -> APIStatusError:
    redact = request.redactor
    envelope = _envelope(body)
    fields: dict[str, Any] = {"status": status, "endpoint": request.url.raw_path_qs}
    if envelope is None:
        message = f"the answer was not the PackageX JSON envelope: {_excerpt(request, body)}"
    else:
        message = redact.text(str(envelope.get("message") or f"HTTP {status}"))
        code = envelope.get("code") or envelope.get("error_code")
        fields["code"] = redact.text(str(code)) if code is not None else None
        errors = envelope.get("errors")
        fields["errors"] = redact.value(errors) if isinstance(errors, list) else None
        endpoint = envelope.get("endpoint")
        if isinstance(endpoint, str) and endpoint:
            fields["endpoint"] = redact.text(endpoint)
    message += _wait_note(status, retry_after)
    cls = status_error_class(status)
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=retry_after, **fields)
    return cls(message, **fields)


def _wait_note(status: int, retry_after: float | None) -> str:
    if retry_after is None or status not in RETRY_STATUSES:
        return ""
    if retry_after > RETRY_AFTER_CAP:
        return (
            f" (the server asked to wait {retry_after:g}s, longer than the "
            f"{RETRY_AFTER_CAP:g}s the SDK waits on its own)"
        )
    return f" (the server asked to wait {retry_after:g}s)"


def _envelope(body: bytes) -> dict[str, Any] | None:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _redacted(request: Request, body: bytes) -> str:
    """The whole body, redacted before it is cut, so no secret is left half-shown."""
    return request.redactor.text(body[:_REDACTED].decode("utf-8", "replace"))


def _excerpt(request: Request, body: bytes) -> str:
    if not body:
        return "(empty body)"
    text = _redacted(request, body)
    return repr(text[:_EXCERPT] + ("..." if len(text) > _EXCERPT else ""))
