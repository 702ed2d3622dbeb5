"""Undo a presigned file's ``Content-Encoding`` here, so that a cut file cannot pass.

aiohttp inflates gzip bodies without checking that the stream ended: a body cut
inside the gzip stream, with a ``Content-Length`` that matches the cut, is handed
over as if it were whole (the deflate trailer and its CRC are never looked at).
Storage requests therefore ask aiohttp for the raw bytes, which ``Content-Length``
measures, and inflate them with this, which knows where the stream ends: a file is
whole only when every member's end and checksum arrived.

Only ``gzip`` and ``deflate`` are asked for (``ACCEPT_ENCODING``) and read; an
answer in another coding is refused rather than handed over still encoded.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

__all__ = ["ACCEPT_ENCODING", "Inflater", "inflated_excerpt", "inflater"]

ACCEPT_ENCODING = "gzip, deflate"
_PIECE = 256 * 1024
"""The most inflated bytes handed out at a time: a small chunk may inflate a lot."""
_GZIP = 16 + zlib.MAX_WBITS
_ZLIB = zlib.MAX_WBITS
_RAW = -zlib.MAX_WBITS


def inflater(encoding: str | None) -> Inflater | None:
    """The inflater for a ``Content-Encoding``; None for none; ``ValueError`` if unknown."""
    coding = (encoding or "identity").strip().lower()
    if coding == "identity":
        return None
    if coding in ("gzip", "x-gzip", "deflate"):
        return Inflater(coding != "deflate")
    raise ValueError(
        f"came with Content-Encoding {coding!r}, which the SDK does not decode "
        f"(it asks for {ACCEPT_ENCODING})"
    )


class Inflater:
    """Inflates a gzip (one or more members) or deflate stream as its bytes arrive."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._name = "gzip" if gzip else "deflate"
        self._head = b""  # the first bytes of a deflate stream, until its kind is known
        self._stream = zlib.decompressobj(_GZIP) if gzip else None

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The inflated bytes of ``data``; ``ValueError`` when the stream is not valid."""
        try:
            yield from self._feed(data)
        except zlib.error as exc:
            problem = f"is not a valid {self._name} stream ({exc})"
        else:
            return
        raise ValueError(problem)

    def _feed(self, data: bytes) -> Iterator[bytes]:
        stream = self._stream
        if stream is None:  # deflate: zlib-wrapped or raw, told by its first two bytes
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            stream = self._stream = zlib.decompressobj(_ZLIB if _zlib_header(data) else _RAW)
        while data:
            if stream.eof:
                stream = self._stream = self._next_member()
            piece = stream.decompress(data, _PIECE)
            if piece:
                yield piece
            data = stream.unused_data if stream.eof else stream.unconsumed_tail

    def _next_member(self) -> zlib._Decompress:
        """A gzip file may hold several members, one after the other; deflate cannot."""
        if not self._gzip:
            raise ValueError("has data after the end of its deflate stream")
        return zlib.decompressobj(_GZIP)

    def finish(self) -> str | None:
        """What is wrong with the stream's end, or None: every gzip member ended, CRC and all."""
        if self._stream is None or not self._stream.eof:
            return f"ended inside its {self._name} stream (the file was cut short)"
        return None


def inflated_excerpt(body: bytes, encoding: str | None) -> bytes:
    """The start of an error page, inflated (only quoted in a message), else as is.

    One piece at most (``_PIECE``): an error page cannot inflate without bound.
    """
    try:
        inflate = inflater(encoding)
        return body if inflate is None else next(inflate.feed(body), b"")
    except ValueError:
        return body


def _zlib_header(head: bytes) -> bool:
    """Whether a deflate body starts with a zlib header (RFC 1950), not raw deflate."""
    return head[0] & 0x0F == 8 and int.from_bytes(head[:2], "big") % 31 == 0
