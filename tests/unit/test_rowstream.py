"""Streaming row parsers: right at every chunk boundary, loud on a cut or a wrong shape."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest

from packagex_async._jobs._rowstream import csv_rows, json_rows
from packagex_async.resources._jobs import _json_objects

CHUNK_SIZES = [1, 2, 3, 7, 64, 1 << 20]

TRICKY_JSON: list[Any] = [
    {"text": 'quote " and backslash \\', "nested": [1, {"x": "]},["}], "n": 0},
    {"escapes": '\\\\"', "unicode": "é ✓", "empty": [], "none": None},
    "a top-level string with , and ]",
    12.5,
    [],
    {},
]


async def chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


@pytest.mark.parametrize("size", CHUNK_SIZES)
@pytest.mark.parametrize("indent", [False, True])
async def test_json_elements_survive_every_chunk_boundary(size: int, indent: bool) -> None:
    data = orjson.dumps(TRICKY_JSON, option=orjson.OPT_INDENT_2 if indent else 0)

    got = [row async for row in json_rows(chunks(data, size))]

    assert got == TRICKY_JSON


async def test_an_empty_json_array_has_no_rows() -> None:
    assert [row async for row in json_rows(chunks(b" [ ] ", 1))] == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"a": 1}, {"b": ', "the JSON array ended early"),
        (b'{"a": 1}', "the file is not a JSON array"),
        (b"", "the JSON array ended early"),
    ],
)
async def test_bad_json_files_raise(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        [row async for row in json_rows(chunks(data, 4))]


def csv_bytes(rows: list[list[str]], *, bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


@pytest.mark.parametrize("size", CHUNK_SIZES)
async def test_csv_records_with_quotes_newlines_and_utf8(size: int) -> None:
    header = ["id", "note"]
    records = [[str(n), f'line one\nline "two", {n} é'] for n in range(20)] + [["last", ""]]
    data = csv_bytes([header, *records], bom=True)

    got = [row async for row in csv_rows(chunks(data, size))]

    assert got == [dict(zip(header, record, strict=True)) for record in records]


async def test_csv_without_a_final_newline() -> None:
    got = [row async for row in csv_rows(chunks(b"a,b\r\n1,2\r\n3,4", 3))]

    assert got == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]


async def test_csv_cut_inside_a_quoted_field_raises() -> None:
    with pytest.raises(ValueError, match="ended inside a quoted field"):
        [row async for row in csv_rows(chunks(b'a,b\n1,"unfinished\nmore', 5))]


async def test_csv_record_with_the_wrong_field_count_raises() -> None:
    with pytest.raises(
        ValueError, match=r"a CSV record has 3 fields where the header \(the first line\) has 2"
    ):
        [row async for row in csv_rows(chunks(b"a,b\n1,2,3\n", 5))]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[1,,2]", "the JSON array has an empty element"),
        (b"[1,]", "the JSON array has an empty element"),
        (b"[1] [2]", "the file holds more than one JSON array"),
        (b"[1] x", "the file holds more than one JSON array"),
    ],
)
async def test_corrupt_json_arrays_are_not_silently_accepted(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        [row async for row in json_rows(chunks(data, 2))]


async def test_csv_that_starts_with_a_blank_line_has_an_empty_header_and_fails() -> None:
    """``csv.DictReader`` takes the blank first line as the header (no names) and gives
    rows keyed by ``None``: an error is the honest answer, not rows keyed otherwise."""
    with pytest.raises(ValueError, match=r"2 fields where the header \(the first line\) has 0"):
        _ = [row async for row in csv_rows(chunks(b"\r\nid,name\r\n1,a\r\n", 4))]


@pytest.mark.parametrize(("element", "kind"), [(b"5", "int"), (b"null", "null"), (b"[1]", "list")])
async def test_rows_of_a_json_file_are_objects_or_an_error_naming_the_element(
    element: bytes, kind: str
) -> None:
    """``rows()`` is typed to yield ``dict[str, Any]`` for JSON files: it keeps that promise."""
    data = b'[{"a": 1}, ' + element + b"]"
    rows = _json_objects(chunks(data, 3))

    assert await rows.__anext__() == {"a": 1}
    with pytest.raises(ValueError, match=f"^element 2 of the array is {kind}, not an object$"):
        await rows.__anext__()
