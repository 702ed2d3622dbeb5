"""One API request: send, classify the answer, retry what is worth retrying.

Every request goes through ``Transport.get``. It never follows redirects (aiohttp
would forward the ``PX-API-KEY`` header to whatever host a redirect names), applies
the timeout per attempt, and turns every failure into an exception from
``_errors``. What is retried and for how long is decided by ``_retry``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

import aiohttp
import orjson
import yarl

from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    RateLimitError,
    caused_by,
    describe,
    status_error_class,
)
from ._pacing import Pacer
from ._retry import (
    RETRY_AFTER_CAP,
    RETRY_STATUSES,
    Retryable,
    RetryPolicy,
    parse_retry_after,
    retry,
)

__all__ = ["Transport"]

logger = logging.getLogger("packagex_async")

_BODY_EXCERPT = 200


class Transport:
    """Sends authenticated GETs to the API and returns decoded envelopes."""

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str],
        timeout: float,
        policy: RetryPolicy,
        pacer: Pacer,
        get_session: Callable[[], aiohttp.ClientSession],
    ) -> None:
        self._base_url = base_url
        self._headers = dict(headers)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._timeout_seconds = timeout
        self._policy = policy
        self._pacer = pacer
        self._get_session = get_session

    async def get(self, path: str, query: Mapping[str, str]) -> dict[str, Any]:
        """GET ``path`` (already percent-encoded) and return the success envelope."""
        url = yarl.URL(self._base_url + path, encoded=True).with_query(query)

        async def attempt(number: int, attempts: int) -> dict[str, Any]:
            return await self._attempt(url, number, attempts)

        return await retry(
            self._policy, attempt, what=f"GET {url.path_qs}", before_wait=self._pause_on_429
        )

    def _pause_on_429(self, failure: Retryable, wait: float) -> None:
        """A 429 throttles the key: hold every request of the client, not only this one."""
        if isinstance(failure.error, RateLimitError) and failure.retry_after is not None:
            self._pacer.pause(wait)

    async def _attempt(self, url: yarl.URL, attempt: int, attempts: int) -> dict[str, Any]:
        session = self._get_session()
        await self._pacer.wait_turn()
        started = time.perf_counter()
        try:
            async with session.get(
                url,
                headers=self._headers,
                timeout=self._timeout,
                allow_redirects=False,
                raise_for_status=False,  # a borrowed session may say otherwise
            ) as response:
                body = await response.read()
        except (asyncio.TimeoutError, TimeoutError) as exc:
            timed_out = APITimeoutError(
                f"GET {url.path_qs} took longer than the {self._timeout_seconds:g}s timeout"
            )
            raise Retryable(caused_by(timed_out, exc)) from None
        except aiohttp.ClientError as exc:
            failed = APIConnectionError(f"GET {url.path_qs} failed: {describe(exc)}")
            raise Retryable(caused_by(failed, exc)) from None
        logger.debug(
            "GET %s -> %d in %.1f ms (attempt %d of %d)",
            url.path_qs,
            response.status,
            (time.perf_counter() - started) * 1000,
            attempt,
            attempts,
        )
        return _interpret(url, response.status, response.headers, body)


def _interpret(
    url: yarl.URL, status: int, headers: Mapping[str, str], body: bytes
) -> dict[str, Any]:
    """The envelope of a success; otherwise raise the matching error."""
    if 300 <= status < 400:
        _refuse_redirect(url, status, headers)
    envelope = _parse(body)
    if status >= 400:
        _raise_status_error(url, status, headers, body, envelope)
    if envelope is None or "data" not in envelope:
        error = APIResponseValidationError(
            f"GET {url.path_qs} answered HTTP {status} with a body that is not the "
            f"PackageX JSON envelope: {_excerpt(body)}",
            status=status,
            body=body[:_BODY_EXCERPT],
        )
        raise Retryable(error)
    return envelope


def _parse(body: bytes) -> dict[str, Any] | None:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _refuse_redirect(url: yarl.URL, status: int, headers: Mapping[str, str]) -> NoReturn:
    target = yarl.URL(headers.get("Location", ""))
    where = target.origin() if target.is_absolute() else "the same host"
    raise APIStatusError(
        f"the API redirected to {where}; redirects are not followed so that the API key "
        "is never sent to another host. Check base_url.",
        status=status,
        endpoint=url.path_qs,
    )


def _raise_status_error(
    url: yarl.URL,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    envelope: dict[str, Any] | None,
) -> NoReturn:
    retry_after = parse_retry_after(headers.get("Retry-After"))
    error = _status_error(url, status, body, envelope, retry_after)
    if status not in RETRY_STATUSES:
        raise error
    if retry_after is not None and retry_after > RETRY_AFTER_CAP:
        raise error
    raise Retryable(error, retry_after)


def _status_error(
    url: yarl.URL,
    status: int,
    body: bytes,
    envelope: dict[str, Any] | None,
    retry_after: float | None,
) -> APIStatusError:
    fields: dict[str, Any] = {"status": status, "endpoint": url.path_qs}
    if envelope is not None:
        message = str(envelope.get("message") or f"HTTP {status}")
        fields["code"] = envelope.get("code") or envelope.get("error_code")
        errors = envelope.get("errors")
        fields["errors"] = errors if isinstance(errors, list) else None
        fields["endpoint"] = envelope.get("endpoint") or url.path_qs
    else:
        message = f"the answer was not the PackageX JSON envelope: {_excerpt(body)}"
    if retry_after is not None and status in RETRY_STATUSES:
        message += f" (the server asked to wait {retry_after:g}s"
        if retry_after > RETRY_AFTER_CAP:
            message += f", longer than the {RETRY_AFTER_CAP:g}s the SDK waits on its own"
        message += ")"
    cls = status_error_class(status)
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=retry_after, **fields)
    return cls(message, **fields)


def _excerpt(body: bytes) -> str:
    if not body:
        return "(empty body)"
    text = body[:_BODY_EXCERPT].decode("utf-8", "replace")
    more = "..." if len(body) > _BODY_EXCERPT else ""
    return repr(text + more)
