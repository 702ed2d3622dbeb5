"""``_inflate``: a compressed file is whole only when its stream ended, checksum and all."""

from __future__ import annotations

import gzip
import zlib

import pytest

from packagex_async._http._inflate import _PIECE, Inflater, _zlib_header, inflated_excerpt, inflater


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def inflate_all(inflate: Inflater, pieces: list[bytes]) -> bytes:
    return b"".join(piece for chunk in pieces for piece in inflate.feed(chunk))


@pytest.mark.parametrize(
    ("head", "wrapped"),
    [(b"\x78\x9c", True), (b"\x78\x01", True), (b"\x08\x00", False), (b"\x00\x00", False)],
    ids=["zlib_default", "zlib_fast", "nibble_8_bad_check", "check_ok_nibble_0"],
)
def test_a_zlib_header_needs_both_the_method_nibble_and_the_check(
    head: bytes, wrapped: bool
) -> None:
    assert _zlib_header(head) is wrapped


@pytest.mark.parametrize("compress", [zlib.compress, raw_deflate], ids=["zlib", "raw"])
def test_deflate_fed_one_byte_at_a_time_inflates_whole(compress: object) -> None:
    data = b"parcel,weight\n" * 500
    inflate = inflater("deflate")
    assert inflate is not None

    out = inflate_all(inflate, [bytes([b]) for b in compress(data)])  # type: ignore[operator]

    assert out == data
    assert inflate.finish() is None


def test_a_two_byte_deflate_stream_of_nothing_is_whole() -> None:
    empty = raw_deflate(b"")
    assert len(empty) == 2
    inflate = inflater("deflate")
    assert inflate is not None

    assert inflate_all(inflate, [empty]) == b""
    assert inflate.finish() is None


def test_a_chunk_that_inflates_a_lot_comes_out_in_bounded_pieces_and_whole() -> None:
    data = bytes(range(256)) * (3 * _PIECE // 256) + b"end"
    inflate = inflater("gzip")
    assert inflate is not None

    pieces = list(inflate.feed(gzip.compress(data)))

    assert b"".join(pieces) == data
    assert max(len(piece) for piece in pieces) <= _PIECE
    assert len(pieces) >= 4
    assert inflate.finish() is None


def test_data_after_a_deflate_stream_is_refused_by_name() -> None:
    inflate = inflater("deflate")
    assert inflate is not None

    with pytest.raises(ValueError, match=r"^has data after the end of its deflate stream$"):
        inflate_all(inflate, [zlib.compress(b"x") + b"more"])


@pytest.mark.parametrize(
    ("coding", "gzip_kind"),
    [(None, None), ("identity", None), (" Identity ", None), ("GZIP", True), ("deflate", False)],
    ids=["none", "identity", "identity_spaced", "gzip_upper", "deflate"],
)
def test_the_codings_read(coding: str | None, gzip_kind: bool | None) -> None:
    got = inflater(coding)

    assert (got is None) == (gzip_kind is None)
    if got is not None:
        body = gzip.compress(b"row") if gzip_kind else zlib.compress(b"row")
        assert inflate_all(got, [body]) == b"row"


def test_an_error_page_is_quoted_inflated_and_an_empty_one_as_nothing() -> None:
    assert inflated_excerpt(gzip.compress(b"<Error/>"), "gzip") == b"<Error/>"
    assert inflated_excerpt(gzip.compress(b""), "gzip") == b""
    assert inflated_excerpt(b"plain", None) == b"plain"
    assert inflated_excerpt(b"not gzip", "gzip") == b"not gzip"
    assert inflated_excerpt(b"\x00", "br") == b"\x00"
