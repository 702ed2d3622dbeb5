"""The HTTP session one client (and every client made by ``with_options``) shares.

The aiohttp session is created lazily, inside the running loop, on the first
request, so a client can be built at import time or outside any loop. A session
passed in is borrowed: used as is and never closed here.
"""

from __future__ import annotations

import asyncio

import aiohttp

from ._params import wrong_type

__all__ = ["SharedSession"]


class SharedSession:
    """Hands out the session for each request; closing it closes it for every sharer."""

    def __init__(self, session: aiohttp.ClientSession | None, *, connection_limit: int) -> None:
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            wrong_type(f"session must be an aiohttp.ClientSession, got {session!r}")
        self._session = session
        self._owned = session is None
        self._connection_limit = connection_limit
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False

    def get(self) -> aiohttp.ClientSession:
        """The session for this request, created on first use inside the running loop."""
        if self.closed:
            raise RuntimeError("this PackageX client is closed; create a new PackageX to go on")
        loop = asyncio.get_running_loop()
        if self._session is None:
            self._session = _new_session(self._connection_limit)
            self._loop = loop
        elif self._loop is not None and self._loop is not loop:
            raise RuntimeError(
                "this PackageX client was first used in another event loop; its connections "
                "belong to that loop. Create one client per event loop."
            )
        return self._session

    async def close(self) -> None:
        """Close the session if it was created here (a borrowed one is left open)."""
        self.closed = True
        session, self._session = self._session, None
        if session is not None and self._owned:
            await session.close()


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
