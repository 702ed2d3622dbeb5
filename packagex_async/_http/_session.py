"""The HTTP sessions one client (and every client made by ``with_options``) shares.

The aiohttp sessions are created lazily, inside the running loop, on the first
request, so a client can be built at import time or outside any loop. A session
passed in is borrowed: used as is, for API and storage requests alike, and never
closed here (its own ``trust_env``, proxy and TLS settings apply, not ``Network``'s).

A client that makes its own sessions makes two on one connection pool: one for the
API, which carries the key and the other API headers as its defaults (aiohttp then
copies them in one step instead of merging them into every request), and one for
presigned storage URLs, which carries no header of ours. The key cannot reach a
storage host: a storage request is never sent on the API session, and the API
session never follows a redirect (``_pipeline``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from ssl import SSLContext

import aiohttp

from .._params import wrong_type
from ._network import Network

__all__ = ["SharedSession"]


class SharedSession:
    """Hands out the session for each request; closing it closes it for every sharer."""

    def __init__(
        self,
        session: aiohttp.ClientSession | None,
        *,
        connection_limit: int,
        api_headers: Mapping[str, str],
        network: Network,
    ) -> None:
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            wrong_type(f"session must be an aiohttp.ClientSession, got {session!r}")
        self._session = session
        self._storage_session = session
        self._owned = session is None
        self._connection_limit = connection_limit
        self._api_headers = dict(api_headers)
        self.network = network
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False

    @property
    def carries_api_headers(self) -> bool:
        """Whether the API session sends the API headers itself.

        A borrowed one does not, nor one whose requests may go through a proxy:
        aiohttp copies a session's default headers into the ``CONNECT`` request it
        sends the proxy in clear text, key included; a request's own headers travel
        inside the tunnel only.
        """
        return self._owned and not self.network.routes

    def get(self, storage: bool = False) -> aiohttp.ClientSession:
        """The session for this request, created on first use inside the running loop.

        ``storage``: the session for a presigned storage URL, which never carries the key.
        """
        if self.closed:
            raise RuntimeError("this PackageX client is closed; create a new PackageX to go on")
        loop = asyncio.get_running_loop()
        if self._session is None:
            self._session, self._storage_session = _new_sessions(
                self._connection_limit,
                self._api_headers if self.carries_api_headers else {},
                self.network.ssl,
            )
            self._loop = loop
        elif self._loop is not None and self._loop is not loop:
            raise RuntimeError(
                "this PackageX client was first used in another event loop; its connections "
                "belong to that loop. Create one client per event loop."
            )
        if storage:
            assert self._storage_session is not None  # set together with ``_session``
            return self._storage_session
        return self._session

    async def close(self) -> None:
        """Close the sessions if they were created here (a borrowed one is left open)."""
        self.closed = True
        api, storage = self._session, self._storage_session
        self._session = self._storage_session = None
        if self._owned and api is not None and storage is not None:
            await storage.close()  # first: it does not own the connection pool
            await api.close()


def _new_sessions(
    connection_limit: int, api_headers: Mapping[str, str], ssl: SSLContext | None
) -> tuple[aiohttp.ClientSession, aiohttp.ClientSession]:
    """The API session (with the key) and the storage session (without), on one pool.

    Both send each request once per attempt of ours. aiohttp re-sends a GET once on
    its own when a connection drops, which would make the server see twice the
    attempts ``max_retries`` promises. ``_retry_connection`` is the session's switch
    for that (private, but listed in ``ClientSession.ATTRS``); ``tests/hostile``
    counts the requests a server receives, so a change in aiohttp shows up there.
    Both keep aiohttp's ``trust_env=False``: proxies come from ``Network`` per request,
    and ``~/.netrc`` is never read (``_network`` says why).
    """
    connector = aiohttp.TCPConnector(limit=connection_limit, ssl=True if ssl is None else ssl)
    api = aiohttp.ClientSession(connector=connector, headers=api_headers)
    storage = aiohttp.ClientSession(connector=connector, connector_owner=False)
    for session in (api, storage):
        if hasattr(session, "_retry_connection"):
            session._retry_connection = False
    return api, storage
