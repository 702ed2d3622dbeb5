"""What the fake saw: one immutable record per HTTP request, for tests to assert on.

Headers keep the spelling the client sent (``PX-API-KEY`` stays upper case); use
``RecordedRequest.header`` for a case-insensitive lookup.
"""

from __future__ import annotations

import dataclasses

from aiohttp import web

__all__ = ["RecordedRequest", "record"]


@dataclasses.dataclass(frozen=True)
class RecordedRequest:
    """One request as received: ``path`` is the raw (still percent-encoded) path."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    route: str
    time: float

    def header(self, name: str) -> str | None:
        """The value of header ``name`` whatever its case, or None when absent."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


def record(request: web.Request, route: str, now: float) -> RecordedRequest:
    """Freeze what matters of ``request`` into a RecordedRequest."""
    return RecordedRequest(
        method=request.method,
        path=request.rel_url.raw_path,
        query=dict(request.query),
        headers=dict(request.headers),
        route=route,
        time=now,
    )
