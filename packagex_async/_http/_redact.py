"""The only place where text about a request is made fit to leave the SDK.

Every exception message, log line and CLI line about a request is built from what
this module returns (a proxy URL's ``user:password@`` is masked too). Two kinds of
secret can reach such text:

- the API key, which a server may echo back in an error body or message;
- the signature of a presigned storage URL, which lives in its query string and which
  a storage host may echo back, or which an aiohttp exception's text may hold.

So: a URL is shown as scheme, host and path only; any URL found inside free text loses
its query string; parameters whose names look like credentials lose their values; and
the literal secrets a request carried (the key, the presigned query's values) are
replaced wherever they appear. This module imports nothing of ours, so any module can
use it without a cycle, and the errors get text that is already redacted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ["MASK", "Redactor", "SecretURL", "shown_url", "where"]

MASK = "[redacted]"

_MIN_SECRET = 6
"""Shorter values (``300``, ``true``) are too common to scrub without mangling text."""

_URL_QUERY = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^\s?#'\"<>]*)\?[^\s#'\"<>]*")
_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^\s/?#@'\"<>]+@")
"""``user:password@`` in a URL (a proxy's, say)."""
_CREDENTIAL = re.compile(
    r"(?i)\b((?:x-(?:amz|goog|px)-)?(?:signature|sig|credential|security-token|token|secret"
    r"|password|passwd|api[-_]?key|access[-_]?key|key-pair-id|policy|px-api-key)"
    r"['\"]?\s*[=:]\s*['\"]?)[^\s&;,'\"<>]+"
)


def where(url: object) -> str:
    """``scheme://host[:port]/path`` of a URL: never its query, fragment or userinfo.

    Never raises: text that is not a URL becomes a placeholder.
    """
    try:
        parts = urlsplit(str(url))
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        return "(an unreadable URL)"
    if not parts.scheme or not host:
        return "(an unreadable URL)"
    return f"{parts.scheme}://{host}{port}{parts.path}"


def shown_url(url: str) -> str:
    """A presigned URL as a repr may show it: ``https://host/path?[redacted]``."""
    return where(url) + (f"?{MASK}" if "?" in url else "")


class SecretURL(str):
    """A presigned URL (the same ``str``) whose ``repr`` hides its query, the signature.

    The SDK keeps such URLs in this form in its own frames, because error trackers and
    ``traceback.TracebackException(capture_locals=True)`` record every local's repr.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(shown_url(self))


class Redactor:
    """Scrubs text of URL queries, credential parameters and the given literal secrets."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        usable = {secret for secret in secrets if len(secret) >= _MIN_SECRET}
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted(usable, key=len, reverse=True)

    def with_url(self, url: str) -> Redactor:
        """A redactor that also knows the query string of ``url`` and each of its values."""
        try:
            query = urlsplit(url).query
        except ValueError:
            query = url.partition("?")[2]
        values = [value for _, value in parse_qsl(query)]  # blanks: too short to be secrets
        return Redactor([*self._secrets, query, *values])

    def text(self, text: str) -> str:
        """``text`` with every secret this redactor knows of replaced by ``[redacted]``."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        text = _URL_QUERY.sub(rf"\1?{MASK}", text)
        text = _USERINFO.sub(rf"\1{MASK}@", text)
        return _CREDENTIAL.sub(rf"\1{MASK}", text)

    def value(self, value: Any) -> Any:
        """A copy of decoded JSON with every string in it redacted (for ``errors`` lists)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {self.text(str(key)): self.value(item) for key, item in value.items()}
        return value

    def exception(self, exc: BaseException) -> str:
        """A transport failure in words: its type and its redacted text."""
        detail = self.text(str(exc))
        return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
