"""Presigned storage URLs: an HMAC over path and expiry, checked by the storage server.

Like S3 or GCS query-string auth, the URL alone grants access until it expires, so
clients must fetch it without the API key. The expiry is on the fake clock
(``fake.clock.advance`` makes URLs expire without sleeping); the secret is random per
fake, so a URL from one fake never works on another.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from ._clock import Clock

__all__ = ["EXPIRES", "SIGNATURE", "Signer"]

EXPIRES = "X-Px-Expires"
SIGNATURE = "X-Px-Signature"


class Signer:
    """Makes and checks presigned URLs valid for ``ttl`` fake-clock seconds."""

    def __init__(self, clock: Clock, ttl: float) -> None:
        self._clock = clock
        self._ttl = ttl
        self._secret = secrets.token_bytes(32)

    def _signature(self, segments: Sequence[str], expires: str) -> str:
        message = "\n".join(("GET", *segments, expires)).encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def url(self, base: str, segments: Sequence[str]) -> str:
        """``base`` + the path of (decoded) ``segments``, each quoted, signed with an expiry."""
        expires = f"{self._clock.now() + self._ttl:.3f}"
        path = "".join("/" + quote(segment, safe="") for segment in segments)
        signature = self._signature(segments, expires)
        return f"{base}{path}?{EXPIRES}={expires}&{SIGNATURE}={signature}"

    def problem(self, segments: Sequence[str], query: Mapping[str, str]) -> tuple[str, str] | None:
        """None if a request for decoded path ``segments`` is signed and fresh, else why not."""
        expires, signature = query.get(EXPIRES), query.get(SIGNATURE)
        if expires is None or signature is None:
            return "AccessDenied", f"Query-string authentication requires {EXPIRES} and {SIGNATURE}"
        if not hmac.compare_digest(self._signature(segments, expires), signature):
            return "SignatureDoesNotMatch", "The request signature does not match"
        if float(expires) < self._clock.now():
            return "AccessDenied", "Request has expired"
        return None
