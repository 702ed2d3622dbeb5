"""``PackageX``: the client users hold; owns (or borrows) the HTTP session and policies.

The aiohttp session is created lazily, inside the running loop, on the first
request, so a client can be built at import time or outside any loop. A session
passed in is borrowed: used as is and never closed here.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import os
from importlib.metadata import PackageNotFoundError, version
from types import TracebackType
from typing import Any

import aiohttp
import yarl

from ._files import Files
from ._http import Api, Pacer, Pipeline, Redactor, RetryPolicy, where
from ._params import check_positive_int, check_text
from .resources import Batches, Exports

__all__ = ["API_KEY_ENV_VAR", "DEFAULT_BASE_URL", "PackageX"]

DEFAULT_BASE_URL = "https://api.packagex.io"
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
API_KEY_ENV_VAR = "PX_API_KEY"


class PackageX:
    """The PackageX API client: ``async with PackageX() as px: ...``.

    ``api_key`` defaults to the ``PX_API_KEY`` environment variable. ``timeout`` is
    seconds per attempt; a failed attempt is retried up to ``max_retries`` times
    with exponential backoff between ``retry_initial_delay`` and ``retry_max_delay``.
    ``rate_limit`` caps the requests per second of this client, across all its tasks;
    ``connection_limit`` caps its open connections (for the session it creates).
    ``max_response_bytes`` caps the size of one API answer, measured after
    decompression; a larger one raises ``ResponseTooLargeError``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 60.0,
        max_retries: int = 2,
        retry_initial_delay: float = 0.5,
        retry_max_delay: float = 8.0,
        session: aiohttp.ClientSession | None = None,
        rate_limit: float | None = None,
        connection_limit: int = 100,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        key = _resolve_api_key(api_key)
        self.base_url = _check_base_url(base_url)
        self.timeout = _check_seconds("timeout", timeout, allow_zero=False)
        self.max_retries = _check_retries(max_retries)
        self.retry_initial_delay = _check_seconds("retry_initial_delay", retry_initial_delay)
        self.retry_max_delay = _check_seconds("retry_max_delay", retry_max_delay)
        self.rate_limit = _check_rate_limit(rate_limit)
        self.connection_limit = _check_connection_limit(connection_limit)
        self.max_response_bytes = check_positive_int("max_response_bytes", max_response_bytes)
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError(f"session must be an aiohttp.ClientSession, got {session!r}")
        self._session = session
        self._owns_session = session is None
        self._session_loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        redactor = Redactor([key])
        pipeline = Pipeline(
            get_session=self._http_session,
            policy=RetryPolicy(self.max_retries, self.retry_initial_delay, self.retry_max_delay),
            pacer=Pacer(self.rate_limit),
            max_response_bytes=self.max_response_bytes,
        )
        api = Api(
            pipeline,
            base_url=self.base_url,
            headers=_headers(key),
            redactor=redactor,
            timeout=self.timeout,
        )
        self.files = Files(pipeline=pipeline, redactor=redactor, timeout=self.timeout)
        self.batches = Batches(api, self.files)
        self.exports = Exports(api, self.files)

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<PackageX base_url={self.base_url!r} {state}>"

    async def __aenter__(self) -> PackageX:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session this client created (a borrowed one is left open)."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session:
            await session.close()

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called; a closed client refuses new requests."""
        return self._closed

    def _http_session(self) -> aiohttp.ClientSession:
        """The session for this request, created on first use inside the running loop."""
        if self._closed:
            raise RuntimeError("this PackageX client is closed; create a new PackageX to go on")
        loop = asyncio.get_running_loop()
        if self._session is None:
            self._session = _new_session(self.connection_limit)
            self._session_loop = loop
        elif self._session_loop is not None and self._session_loop is not loop:
            raise RuntimeError(
                "this PackageX client was first used in another event loop; its connections "
                "belong to that loop. Create one client per event loop."
            )
        return self._session


def _new_session(connection_limit: int) -> aiohttp.ClientSession:
    """A session that sends each request once per attempt of ours.

    aiohttp re-sends a GET once on its own when a connection drops, which would make
    the server see twice the attempts ``max_retries`` promises. ``_retry_connection``
    is the session's switch for that (private, but listed in ``ClientSession.ATTRS``);
    ``tests/hostile`` counts the requests a server receives, so a change in aiohttp
    shows up there.
    """
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connection_limit))
    if hasattr(session, "_retry_connection"):
        session._retry_connection = False
    return session


def _resolve_api_key(api_key: str | None) -> str:
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV_VAR)
    if key is None:
        raise ValueError(
            f"no API key: pass PackageX(api_key=...) or set the {API_KEY_ENV_VAR} "
            "environment variable"
        )
    if not isinstance(key, str):
        raise TypeError(f"api_key must be a string, got {type(key).__name__}")
    if not key or key != key.strip() or any(ch.isspace() or ord(ch) < 32 for ch in key):
        # The key itself is never echoed back: it would end up in logs.
        raise ValueError("api_key is empty or contains whitespace or control characters")
    return key


def _check_base_url(base_url: str) -> str:
    """The API's root URL; messages show it only as ``where()`` does (no credentials)."""
    if not isinstance(base_url, str):
        raise TypeError(f"base_url must be a string, got {type(base_url).__name__}")
    check_text("base_url", base_url)
    if "?" in base_url or "#" in base_url:
        raise ValueError(
            f"base_url must not carry a query or a fragment, got {where(base_url)} with one"
        )
    try:
        url = yarl.URL(base_url)
    except ValueError:
        raise ValueError("base_url is not a valid URL") from None
    if url.scheme not in ("https", "http") or not url.host:
        raise ValueError(f"base_url must be an https:// URL with a host, got {where(base_url)}")
    if url.user or url.password:
        raise ValueError("base_url must not carry credentials")
    if url.scheme == "http" and not _is_loopback(url.host):
        raise ValueError(
            f"base_url {where(base_url)} uses plain http://, which would send the API key "
            "unencrypted; use https:// (http:// is allowed only for loopback hosts)"
        )
    return base_url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_seconds(name: str, value: Any, *, allow_zero: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise TypeError(f"{name} must be a number of seconds, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero) or math.isinf(value):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number of seconds {bound}, got {value!r}")
    return float(value)


def _check_rate_limit(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"rate_limit must be requests per second (a number) or None, got {value!r}")
    if not (0 < value < math.inf):
        raise ValueError(
            f"rate_limit must be a finite number of requests per second > 0, got {value!r}"
        )
    return float(value)


def _check_connection_limit(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"connection_limit must be an integer >= 1, got {value!r}")
    return value


def _check_retries(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_retries must be an integer >= 0, got {value!r}")
    if value < 0:
        raise ValueError(f"max_retries must be an integer >= 0, got {value!r}")
    return value


def _headers(api_key: str) -> dict[str, str]:
    return {
        "PX-API-KEY": api_key,
        "Accept": "application/json",
        "User-Agent": f"packagex_async/{_package_version()} aiohttp/{aiohttp.__version__}",
    }


def _package_version() -> str:
    try:
        return version("packagex_async")
    except PackageNotFoundError:
        return "0+unknown"
