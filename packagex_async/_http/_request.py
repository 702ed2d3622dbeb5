"""What one request is: everything the pipeline needs to send, read and report it.

API calls and storage downloads differ only in what they send (the key or nothing),
how they treat redirects and how their errors are named; those differences are
fields here, so the pipeline itself has one path for both.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import aiohttp
import attrs
import yarl

from ._inflate import ACCEPT_ENCODING
from ._redact import Redactor, where

__all__ = ["Request", "api_timeout"]


@attrs.define
class Request:
    """One HTTP request, and its ``label`` for messages and logs.

    Treated as immutable once built. Not ``frozen`` on purpose: a frozen attrs
    ``__init__`` sets each field through ``object.__setattr__``, which made building
    one cost a microsecond, paid by every call.
    """

    method: str
    url: yarl.URL
    redactor: Redactor
    timeout: aiohttp.ClientTimeout
    timeout_seconds: float
    storage: bool = False
    """A presigned storage URL: no key, redirects followed, storage error classes."""
    headers: Mapping[str, str] | None = None
    body: bytes | None = None
    if_unsure: str | None = None
    """For a write: what to tell the caller when it failed after it may have acted."""

    def __repr__(self) -> str:
        """``<Request GET /v1/batches?page=2>``: never the headers (the key) nor a signature.

        Error trackers and ``capture_locals`` tracebacks record every frame's locals.
        """
        return f"<Request {self.label}>"

    @property
    def label(self) -> str:
        """``GET /v1/batches?page=2`` for the API; for storage, host and path only.

        Built when a message or log line needs it, not for every request.
        """
        if self.storage:
            return f"{self.method} {where(str(self.url))}"
        return f"{self.method} {self.url.raw_path_qs}"

    @property
    def idempotent(self) -> bool:
        """Whether sending it twice has the effect of sending it once (GET, not POST)."""
        return self.method in ("GET", "HEAD")

    @classmethod
    def api(
        cls,
        method: str,
        url: yarl.URL,
        *,
        headers: Mapping[str, str] | None,
        redactor: Redactor,
        timeout: float,
        body: bytes | None = None,
        if_unsure: str | None = None,
    ) -> Request:
        """A request to the API: it carries the key, so it never follows a redirect."""
        return cls(
            method,
            url,
            redactor,
            api_timeout(timeout),
            timeout,
            headers=headers,
            body=body,
            if_unsure=if_unsure,
        )

    @classmethod
    def presigned(cls, url: yarl.URL, *, redactor: Redactor, timeout: float) -> Request:
        """A GET of a presigned file URL: no key, the query is a secret.

        Files can be large: the timeout bounds each connect and each read, not the
        whole transfer. The only header asks for the codings ``_inflate`` reads;
        the body arrives as sent (not inflated by aiohttp), so that its length and
        its compressed stream can both be checked.
        """
        return cls(
            "GET",
            url,
            redactor.with_url(str(url)),
            aiohttp.ClientTimeout(total=None, sock_connect=timeout, sock_read=timeout),
            timeout,
            storage=True,
            headers=_STORAGE_HEADERS,
        )


_STORAGE_HEADERS = {"Accept-Encoding": ACCEPT_ENCODING}


@functools.lru_cache(maxsize=16)
def api_timeout(seconds: float) -> aiohttp.ClientTimeout:
    """The API timeout of ``seconds``, built once: a client asks for the same one each time.

    ``sock_connect`` makes a connect that times out a ``ConnectionTimeoutError``:
    a request that was certainly not sent, which even a write may resend.
    """
    return aiohttp.ClientTimeout(total=seconds, sock_connect=seconds)
