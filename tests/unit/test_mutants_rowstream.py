"""``_rowstream``'s promises that the equal-to-a-whole-parse tests cannot see.

The JSON splitter has a fast path (a run of whole objects in one ``orjson`` call)
over an exact scan; either alone gives the same rows, so the property tests pass
with the fast path broken. Its promise is speed and memory: whole objects in a
chunk are decoded in one call, a run the parse refuses is tried at most three
times per file, and a huge element is not rescanned with every chunk. These tests
count the calls. The exact scan is then tested alone, at every chunk boundary.
"""

from __future__ import annotations

import itertools
import json
import types
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest

from packagex_async._jobs import _rowstream
from packagex_async._jobs._rowstream import _JSONArraySplitter, csv_rows, json_rows


@pytest.fixture
def loads_calls(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every text ``_rowstream`` decodes, in order."""
    calls: list[bytes] = []
    real = _rowstream._loads

    def counting(text: bytes) -> Any:
        calls.append(bytes(text))
        return real(text)

    monkeypatch.setattr(_rowstream, "_loads", counting)
    return calls


@pytest.fixture
def cut_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The buffer length at every attempt of a fast run (``_balanced_cut``)."""
    calls: list[int] = []
    real = _rowstream._balanced_cut

    def counting(buffer: bytearray) -> int:
        calls.append(len(buffer))
        return real(buffer)

    monkeypatch.setattr(_rowstream, "_balanced_cut", counting)
    return calls


def test_whole_objects_of_each_chunk_are_decoded_in_one_call(loads_calls: list[bytes]) -> None:
    splitter = _JSONArraySplitter()

    first = splitter.feed(b'[{"a": [1, {"b": "x"}]}, {"c": 2}, {"d"')
    second = splitter.feed(b": 3}]")
    splitter.finish()

    assert first == [{"a": [1, {"b": "x"}]}, {"c": 2}]
    assert second == [{"d": 3}]
    assert loads_calls == [b'[{"a": [1, {"b": "x"}]}, {"c": 2}]', b'[ {"d": 3}]']


def test_a_run_the_parse_refuses_is_tried_three_times_per_file_then_no_more(
    cut_calls: list[int], loads_calls: list[bytes]
) -> None:
    """A chunk that ends in a string just after ``},`` misleads the counts into a cut
    inside the string, which the parse refuses."""
    splitter = _JSONArraySplitter()
    rows: list[Any] = splitter.feed(b"[")
    for _ in range(6):
        rows += splitter.feed(b'{"s": "x},')
        rows += splitter.feed(b' y"}, ')
    rows += splitter.feed(b'{"end": true}]')
    splitter.finish()

    refused = [text for text in loads_calls if text.startswith(b"[") and b"y" not in text]
    assert len(refused) == 3
    assert rows == [{"s": "x}, y"}] * 6 + [{"end": True}]
    assert len(cut_calls) == 4, "one on the empty array, then the three refused"


@pytest.mark.parametrize(("size", "tries"), [(65_536, 6), (65_537, 5)])
def test_a_huge_element_is_not_rescanned_with_every_chunk(
    cut_calls: list[int], size: int, tries: int
) -> None:
    """Runs are tried while at most 64 KiB of the element waits, not after."""
    text = b'{"s": "' + b"x" * (size - 9) + b'"}'
    splitter = _JSONArraySplitter()
    splitter.feed(b"[")
    rows: list[Any] = []
    for start in range(0, size, size // 4 + 1):
        rows += splitter.feed(text[start : start + size // 4 + 1])
    rows += splitter.feed(b"]")

    assert rows == [orjson.loads(text)]
    assert len(cut_calls) == tries, "the last try had at most 64 KiB waiting before it"


def test_a_closed_array_takes_nothing_more_not_even_whole_objects() -> None:
    splitter = _JSONArraySplitter()
    assert splitter.feed(b'[{"a": 1}]') == [{"a": 1}]

    with pytest.raises(ValueError, match=r"^the file holds more than one JSON array$"):
        splitter.feed(b'{"b": 2}, {"c": 3}]')


TRICKY = (
    b'["a\\"b", "\\\\", {"k": "v\\\\\\"w", "l": [1, {"m": "]}"}]}, "\\u005d", 2, '
    b'{"x": "},"}, [[]], "", "\\"", "\\\\\\\\\\"", {"":""},"tail"]'
)


async def pieces(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


@pytest.mark.parametrize("fast", [True, False], ids=["with_fast_runs", "exact_scan_only"])
def test_every_two_and_three_chunk_split_gives_the_whole_parse(fast: bool) -> None:
    expected = orjson.loads(TRICKY)
    points = range(1, len(TRICKY))
    splits = [(a,) for a in points] + list(itertools.combinations(points, 2))[::7]
    for cuts in splits:
        splitter = _JSONArraySplitter()
        if not fast:
            splitter._fast_failures = _rowstream._FAST_FAILURES
        rows: list[Any] = []
        for start, end in itertools.pairwise((0, *cuts, len(TRICKY))):
            rows += splitter.feed(TRICKY[start:end])
        splitter.finish()
        assert rows == expected, cuts


def test_a_string_with_an_escaped_quote_right_after_a_chunk_starts() -> None:
    splitter = _JSONArraySplitter()

    rows = splitter.feed(b'["a",') + splitter.feed(b'"\\"x", "y"]')
    splitter.finish()

    assert rows == ["a", '"x', "y"]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((b"[1, 2] [3]",), "the file holds more than one JSON array"),
        ((b"[1, 2]", b" x"), "the file holds more than one JSON array"),
        ((b"[1, 2", b" "), r"the JSON array ended early \(the file was cut short\)"),
        ((b"[,1]",), "the JSON array has an empty element"),
        ((b"[1,,2]",), "the JSON array has an empty element"),
        ((b'[{"a": 1}', b",]"), "the JSON array has an empty element"),
        ((b"[1,]",), "the JSON array has an empty element"),
        ((b" x[1]",), "the file is not a JSON array"),
    ],
    ids=["two_arrays", "text_after", "cut", "leading_comma", "double_comma", "trailing_object",
         "trailing_comma", "text_before"],
)  # fmt: skip
async def test_json_mistakes_are_named(parts: tuple[bytes, ...], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        _ = [row async for row in json_rows(pieces(*parts))]


async def test_an_empty_array_has_no_rows() -> None:
    assert [row async for row in json_rows(pieces(b" [ ", b"] "))] == []


async def test_a_long_integer_nested_deeper_than_the_standard_library_goes_fails_by_name() -> None:
    """Never rounded: exact where the standard library reads that deep (3.12 and later
    read 1,000 levels), else an error that says why."""
    depth = 1000
    text = b"[" * depth + b"18446744073709551616" + b"]" * depth
    try:
        exact = json.loads(b"[" + text + b"]")
    except RecursionError:
        with pytest.raises(ValueError, match="^a value is nested too deep to keep its long"):
            _ = [row async for row in json_rows(pieces(b"[" + text + b"]"))]
    else:
        assert [row async for row in json_rows(pieces(b"[" + text + b"]"))] == exact


@pytest.mark.parametrize(
    ("text", "exact"),
    [
        (b"[18446744073709551616]", 2**64),
        (b'[{"n": -18446744073709551617}]', {"n": -(2**64) - 1}),
        (b"[ 1, 99999999999999999999 ]", 99999999999999999999),
        (b'[{"n":\n  18446744073709551616}]', {"n": 2**64}),
    ],
    ids=["alone", "negative_in_object", "after_a_comma", "after_blanks"],
)
async def test_long_integers_are_exact_wherever_they_stand(text: bytes, exact: object) -> None:
    rows = [row async for row in json_rows(pieces(text))]

    assert exact in rows


async def test_csv_rows_after_a_bom_and_a_record_across_chunks() -> None:
    data = '\ufeffid,note\r\n1,"two\r\nlines"\r\n2,x'.encode()

    rows = [row async for row in csv_rows(pieces(data[:12], data[12:20], data[20:]))]

    assert rows == [{"id": "1", "note": "two\r\nlines"}, {"id": "2", "note": "x"}]


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        (b'{"a": [1]}, {"b": 2}, 3', 20),  # objects, then a scalar
        (b"[1, 2", 0),  # no object
        (b'{"a":1},{"b":2},', 15),  # the last balanced one, not the first
        (b'{"a":1},{"b":{"c":1},', 7),  # an unbalanced last one: the one before
        (b'{"a":1},{"b":[{"c":1},', 7),
        (b'{"a":1}]', 7),  # the end of the array
        (b'[[{"a":1},', 0),  # never balanced
        (b"", 0),
        (b"},1", 0),  # a `}` that closes nothing
        (b'{"a":[1,2]},', 11),
        (b'{"a":1}, {', 7),
        (b'{"a":1},{"b":{"c":1},{"d"', 7),  # the steps back count only their own part
        (b'{"a":{}},{"b":[{"c":[1]}],{"d":[', 8),
        (b'{"a":[1]}],{"b":{"c":1},{', 23),
        (b'{"a":1}}],{"x":{"y":[', 0),
    ],
    ids=["objects_then_a_scalar", "no_object", "last", "step_back", "step_back_list",
         "array_end", "never", "empty", "closes_nothing", "nested_list", "partial_after",
         "steps_count_their_part", "steps_nested", "steps_after_array_end", "steps_never"],
)  # fmt: skip
def test_the_balanced_cut_is_after_the_last_balanced_object(text: bytes, cut: int) -> None:
    """The buffer starts at an element (the splitter drops what came before); 0: no cut."""
    assert _rowstream._balanced_cut(bytearray(text)) == cut


async def csv_chunks_seen(chunks: list[bytes], seen: list[int], rows: list[Any]) -> Any:
    for chunk in chunks:
        seen.append(len(rows))
        yield chunk


async def test_csv_rows_come_out_as_their_chunk_arrives_not_at_the_end() -> None:
    """The file is not held: each chunk's whole records are rows before the next chunk."""
    chunks = [b"id,n\r\n1,a\r\n2,b\r\n3,c\r\n4,", b"d\r\n5,e\r\n", b"6,f"]
    seen: list[int] = []
    rows: list[Any] = []

    async for row in csv_rows(csv_chunks_seen(chunks, seen, rows)):
        rows.append(row)

    assert seen == [0, 3, 5]
    assert len(rows) == 6


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((b"id,n\r\n1,\xc3",), "'utf-8' codec can't decode byte 0xc3"),
        ((b'id,n\r\n1,"open', b"ed"),
         r"^the CSV file ended inside a quoted field \(the file was cut short\)$"),
    ],
    ids=["cut_utf8", "cut_quote"],
)  # fmt: skip
async def test_csv_cut_short_is_an_error(parts: tuple[bytes, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _ = [row async for row in csv_rows(pieces(*parts))]


async def test_csv_with_bare_cr_line_ends_reads_as_the_csv_module_reads_it() -> None:
    """Old Mac line ends: a bare CR ends a record, as ``newline=""`` reads it."""
    data = b"id,n\r1,a\r2,b\r"

    rows = [row async for row in csv_rows(pieces(data[:7], data[7:]))]

    assert rows == [{"id": "1", "n": "a"}, {"id": "2", "n": "b"}]


@pytest.mark.parametrize(
    ("chunks", "decoded"),
    [
        ((b"[{}, {}]",), [b"[{}, {}]"]),
        ((b'[{"a":[{}]}]',), [b'[{"a":[{}]}]']),
        ((b'[{"a":[{},{}]', b"}]"), [b'[{"a":[{},{}]}]']),
        ((b'[{"a":1},{"a":[{}]}', b"]"), [b'[{"a":1}]', b'[{"a":[{}]}]']),
    ],
    ids=["empty_objects", "ends_in_a_list_of_objects", "list_of_objects_across_chunks",
         "a_nested_end_waiting"],
)  # fmt: skip
def test_objects_ending_in_nested_objects_still_go_in_one_call(
    loads_calls: list[bytes], chunks: tuple[bytes, ...], decoded: list[bytes]
) -> None:
    """A ``}`` just before a ``}`` or ``]`` (``{}``, ``[{...}]``) is counted once, so
    the whole objects of each chunk are still one decode, not one each."""
    splitter = _JSONArraySplitter()
    rows: list[Any] = []
    for chunk in chunks:
        rows += splitter.feed(chunk)
    splitter.finish()

    assert rows == orjson.loads(b"".join(chunks))
    assert loads_calls == decoded


def test_blanks_before_the_array_are_not_counted_as_rescanned(loads_calls: list[bytes]) -> None:
    """The 64 KiB rescan limit is about the element waiting, not where the array starts."""
    splitter = _JSONArraySplitter()

    rows = splitter.feed(b" " * 40_000 + b'[{"a": 1}, {"b": 2}, {"c"')

    assert rows == [{"a": 1}, {"b": 2}]
    assert loads_calls == [b'[{"a": 1}, {"b": 2}]']


@pytest.mark.parametrize(
    ("text", "second_decodes"),
    [
        (b"[123456789012345678, -123456789012345678]", 0),
        (b'[{"n": 999999999999999999}]', 0),
        (b"[1234567890123456789]", 1),
        (b'[{"n": 1234567890123456789}]', 1),
    ],
    ids=["18_digits_alone", "18_digits_in_an_object", "19_digits_alone", "19_digits_in_an_object"],
)
async def test_only_19_digits_or_more_cost_a_second_decode(
    monkeypatch: pytest.MonkeyPatch, text: bytes, second_decodes: int
) -> None:
    """Up to 18 digits an integer fits 64 bits and orjson's value stands; the standard
    library decodes again only where one of 19 digits or more may be."""
    calls: list[bytes] = []
    real = _rowstream.json.loads

    def counting(text: bytes) -> Any:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(_rowstream, "json", types.SimpleNamespace(loads=counting))

    rows = [row async for row in json_rows(pieces(text))]

    assert rows == real(text)
    assert len(calls) == second_decodes
