"""What the fake saw: one immutable record per HTTP request, for tests to assert on.

Headers keep the spelling the client sent (``PX-API-KEY`` stays upper case); use
``RecordedRequest.header`` for a case-insensitive lookup. A request with a body (the
creates) keeps its bytes in ``body`` and, when they are JSON, the decoded value in
``json``, so a test can count the POSTs that reached the fake and see what each sent,
whether or not a fault then stopped it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import orjson
from aiohttp import web

__all__ = ["RecordedRequest", "record"]


@dataclasses.dataclass(frozen=True)
class RecordedRequest:
    """One request as received: ``path`` is the raw (still percent-encoded) path.

    ``json`` is the decoded body (None when there is none or it is not JSON).
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    route: str
    time: float
    body: bytes = b""
    json: Any = None

    def header(self, name: str) -> str | None:
        """The value of header ``name`` whatever its case, or None when absent."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


def _decoded(body: bytes) -> Any:
    try:
        return orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        return None


def record(request: web.Request, route: str, now: float, body: bytes = b"") -> RecordedRequest:
    """Freeze what matters of ``request`` (and its ``body``, already read) into a record."""
    return RecordedRequest(
        method=request.method,
        path=request.rel_url.raw_path,
        query=dict(request.query),
        headers=dict(request.headers),
        route=route,
        time=now,
        body=body,
        json=_decoded(body),
    )
