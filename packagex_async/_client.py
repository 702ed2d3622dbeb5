"""``PackageX``: the client users hold; its settings, its shared session and pipeline.

Settings are read-only: a client is wired from them once (timeouts and retry
policy live in its pipeline), so a later assignment could only lie. For per-call
changes, ``with_options`` returns a client that shares the same connection pool,
pacing and 429 pause, with its own timeout, retries and size cap.
"""

from __future__ import annotations

import os
import ssl as ssl_module
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Never

import aiohttp

from . import _codec  # noqa: F401  # the codec loads with the client: a model it cannot read fails here
from ._http import Api, Pacer, Pipeline, Redactor, RetryPolicy
from ._http._network import Network
from ._http._redis_pacing import RedisPacing
from ._http._session import SharedSession
from ._jobs._files import Files
from ._params import check_flag, keeping_no_secret, wrong_type, wrong_value
from ._settings import (
    API_KEY_ENV_VAR,
    BASE_URL_ENV_VAR,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    Settings,
    resolve_api_key,
)
from ._version import VERSION
from .resources import RESOURCES, Resources

__all__ = ["API_KEY_ENV_VAR", "BASE_URL_ENV_VAR", "DEFAULT_BASE_URL", "PackageX"]


class PackageX(Resources):
    """The PackageX API client: ``async with PackageX() as px: ...``.

    ``api_key`` defaults to the ``PX_API_KEY`` environment variable and ``base_url``
    to ``PX_BASE_URL``, then to the production API. ``timeout`` is seconds per
    attempt; a failed attempt is retried up to ``max_retries`` times with
    exponential backoff between ``retry_initial_delay`` and ``retry_max_delay``.
    ``rate_limit`` caps the requests per second of this client, across all its tasks;
    ``connection_limit`` caps its open connections (for the session it creates).
    ``max_response_bytes`` caps the size of one API answer, measured after
    decompression; a larger one raises ``ResponseTooLargeError``.

    ``proxy`` (``"http://user:pass@proxy:3128"``) is used for every request; without
    it, ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``NO_PROXY`` are honoured unless
    ``trust_env=False`` (``~/.netrc`` is never read). ``ssl`` is the
    ``ssl.SSLContext`` to verify servers with (a corporate CA bundle). Presigned file
    downloads use the same settings. A borrowed ``session`` is used as is. A bad
    argument raises ``PackageXTypeError`` / ``PackageXValueError`` whose traceback and
    chain hold neither the key nor a proxy's credentials.
    ``pacing=RedisPacing(url)`` shares ``rate_limit`` and the 429 pause with every
    client of the same Redis namespace, in any process (see ``RedisPacing``).

    Each resource of the registry (``resources.Resources``: ``batches``, ``exports``,
    ...) is an attribute, wired here from the registry without naming any.
    """

    files: Files

    @keeping_no_secret
    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_initial_delay: float = 0.5,
        retry_max_delay: float = 8.0,
        session: aiohttp.ClientSession | None = None,
        rate_limit: float | None = None,
        connection_limit: int = 100,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        proxy: str | None = None,
        trust_env: bool = True,
        ssl: ssl_module.SSLContext | None = None,
        pacing: RedisPacing | None = None,
    ) -> None:
        key = resolve_api_key(api_key)
        settings = Settings.checked(
            base_url=os.environ.get(BASE_URL_ENV_VAR, DEFAULT_BASE_URL)
            if base_url is None
            else base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_initial_delay=retry_initial_delay,
            retry_max_delay=retry_max_delay,
            rate_limit=rate_limit,
            connection_limit=connection_limit,
            max_response_bytes=max_response_bytes,
        )
        shared = SharedSession(
            session,
            connection_limit=settings.connection_limit,
            api_headers=_headers(key),
            network=_network(session, proxy, trust_env, ssl),
        )
        self._wire(key, settings, shared, _pacer(pacing, settings.rate_limit))

    def _wire(self, key: str, settings: Settings, shared: SharedSession, pacer: Pacer) -> None:
        """Build the pipeline and resources for ``settings`` on a shared session and pacer."""
        network = shared.network
        redactor = Redactor([key, *network.secrets])
        pipeline = Pipeline(
            get_session=shared.get,
            policy=RetryPolicy(
                settings.max_retries, settings.retry_initial_delay, settings.retry_max_delay
            ),
            pacer=pacer,
            max_response_bytes=settings.max_response_bytes,
            proxy_for=network.proxy_for if network.routes else None,
        )
        api = Api(
            pipeline,
            base_url=settings.base_url,
            headers=None if shared.carries_api_headers else _headers(key),
            redactor=redactor,
            timeout=settings.timeout,
        )
        self._key = key
        self._settings = settings
        self._shared = shared
        self._pacer = pacer
        self.files = Files(pipeline=pipeline, redactor=redactor, timeout=settings.timeout)
        for resource in RESOURCES:
            setattr(self, resource.spec.name, resource(api, self.files))

    def with_options(
        self,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
        retry_initial_delay: float | None = None,
        retry_max_delay: float | None = None,
        max_response_bytes: int | None = None,
        **unknown: Never,
    ) -> PackageX:
        """A client for some calls with other ``timeout``, ``max_retries``,
        ``retry_initial_delay``, ``retry_max_delay`` or ``max_response_bytes``.

        An option left out (or None) keeps this client's value. It shares this
        client's connection pool, rate limit and 429 pause, so it is cheap to make per
        call (``await px.with_options(timeout=5).batches.retrieve(id)``) and closing
        either client closes the pool for both. Any other name is a type error for a
        type checker (``**unknown: Never``) and a ``PackageXTypeError`` at run time.
        """
        given = {
            "timeout": timeout,
            "max_retries": max_retries,
            "retry_initial_delay": retry_initial_delay,
            "retry_max_delay": retry_max_delay,
            "max_response_bytes": max_response_bytes,
        }
        changes = {name: value for name, value in given.items() if value is not None}
        settings = self._settings.replace(**changes, **unknown)
        twin = object.__new__(PackageX)
        twin._wire(self._key, settings, self._shared, self._pacer)
        return twin

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(getattr(type(self), name, None), property):
            raise AttributeError(
                f"PackageX settings are read-only ({name} cannot be set); "
                f"use px.with_options({name}=...) for a client with another {name}"
            )
        super().__setattr__(name, value)

    def __repr__(self) -> str:
        if "_shared" not in self.__dict__:  # the constructor raised; trackers still ask
            return "<PackageX not constructed>"
        state = "closed" if self.closed else "open"
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
        """Close the HTTP session this client created (a borrowed one is left open)
        and the Redis connections of its ``pacing``."""
        await self._shared.close()
        await self._pacer.close()

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called; a closed client refuses new requests."""
        return self._shared.closed

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    @property
    def timeout(self) -> float:
        return self._settings.timeout

    @property
    def max_retries(self) -> int:
        return self._settings.max_retries

    @property
    def retry_initial_delay(self) -> float:
        return self._settings.retry_initial_delay

    @property
    def retry_max_delay(self) -> float:
        return self._settings.retry_max_delay

    @property
    def rate_limit(self) -> float | None:
        return self._settings.rate_limit

    @property
    def connection_limit(self) -> int:
        return self._settings.connection_limit

    @property
    def max_response_bytes(self) -> int:
        return self._settings.max_response_bytes


def _network(
    session: aiohttp.ClientSession | None,
    proxy: str | None,
    trust_env: bool,
    ssl: ssl_module.SSLContext | None,
) -> Network:
    """The client's proxies and TLS trust; a borrowed session keeps its own."""
    check_flag("trust_env", trust_env)
    if session is not None and (proxy is not None or ssl is not None):
        wrong_value(
            "proxy= and ssl= configure the session PackageX creates; a session you pass "
            "is used as is: give it its own (ClientSession(trust_env=...), "
            "TCPConnector(ssl=...)) or leave session= out"
        )
    return Network(proxy=proxy, trust_env=trust_env and session is None, ssl=ssl)


def _pacer(pacing: RedisPacing | None, rate_limit: float | None) -> Pacer:
    """The client's pacer: in-process, or shared through Redis (``pacing``)."""
    if pacing is None:
        return Pacer(rate_limit)
    if not isinstance(pacing, RedisPacing):
        wrong_type(f"pacing must be a RedisPacing or None, got {type(pacing).__name__}")
    return pacing._pacer(rate_limit)


def _headers(api_key: str) -> dict[str, str]:
    """The API's headers. The API also accepts ``X-API-KEY``; ``PX-API-KEY`` is the one
    its docs name first, and what the fake checks, so the SDK sends only that."""
    return {"PX-API-KEY": api_key, "Accept": "application/json", "User-Agent": _USER_AGENT}


_USER_AGENT = f"packagex_async/{VERSION} aiohttp/{aiohttp.__version__}"
