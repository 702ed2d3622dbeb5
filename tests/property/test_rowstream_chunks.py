"""Streamed rows equal a whole-file parse, whatever the content and wherever chunks end."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import AsyncIterator
from typing import Any

import orjson
from hypothesis import example, given, settings
from hypothesis import strategies as st

from packagex_async._jobs._rowstream import csv_rows, json_rows

# Text that stresses the splitters: brackets, braces, quotes, escapes, commas, newlines.
tricky_text = st.text(
    st.sampled_from(list('{}[],:"\\\n\r ab\u00e9\u2713')) | st.characters(codec="utf-8"),
    max_size=12,
)
json_scalars = (
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False)
) | tricky_text
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky_text, inner, max_size=3),
    max_leaves=8,
)
rows_of_objects = st.lists(st.dictionaries(tricky_text, json_values, max_size=4), max_size=12)
any_rows = st.lists(json_values, max_size=8)


async def chunked(data: bytes, cuts: list[int]) -> AsyncIterator[bytes]:
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    for start, end in itertools.pairwise(points):
        yield data[start:end]


@settings(max_examples=300, deadline=None)
@given(rows_of_objects | any_rows, st.lists(st.integers(0, 10_000), max_size=8), st.booleans())
async def test_json_rows_equal_a_whole_parse(
    rows: list[Any], cuts: list[int], indent: bool
) -> None:
    data = orjson.dumps(rows, option=orjson.OPT_INDENT_2 if indent else 0)

    streamed = [row async for row in json_rows(chunked(data, cuts))]

    assert streamed == orjson.loads(data)


csv_cells = st.text(st.sampled_from(list('a,"\n\r b\u00e9')), max_size=6)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.tuples(
            st.lists(st.text("abcdefgh", min_size=1, max_size=4), min_size=width, max_size=width,
                     unique=True),
            st.lists(st.lists(csv_cells, min_size=width, max_size=width), max_size=10),
        )
    ),
    st.lists(st.integers(0, 10_000), max_size=8),
)  # fmt: skip
async def test_csv_rows_equal_a_whole_parse(
    table: tuple[list[str], list[list[str]]], cuts: list[int]
) -> None:
    header, records = table
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(records)
    data = buffer.getvalue().encode()

    streamed = [row async for row in csv_rows(chunked(data, cuts))]

    expected = list(csv.DictReader(io.StringIO(buffer.getvalue(), newline="")))
    assert streamed == [dict(row) for row in expected]


async def streamed_until_error(rows: AsyncIterator[Any]) -> tuple[list[Any], Exception | None]:
    got: list[Any] = []
    try:
        async for row in rows:
            got.append(row)
    except ValueError as exc:
        return got, exc
    return got, None


raw_csv = st.text(st.sampled_from(list('ab,"\n\r \u00e9')), max_size=40)


@settings(max_examples=400, deadline=None)
@given(raw_csv, st.lists(st.integers(0, 10_000), max_size=8))
@example('id,name\n1,a"b\n2,c\n', [])
@example('id,name\n1,a"b\n2,"c\n', [12])
@example("\nid\n1\n", [])
async def test_csv_rows_of_any_text_are_dictreaders_or_an_error_never_a_wrong_row(
    text: str, cuts: list[int]
) -> None:
    """Stray quotes, bare CRs, blank lines, ragged records: whatever the text, each row
    handed out is ``DictReader``'s row at that place, and a file it cannot match fails."""
    expected = [dict(row) for row in csv.DictReader(io.StringIO(text, newline=""))]

    got, error = await streamed_until_error(csv_rows(chunked(text.encode(), cuts)))

    assert got == expected[: len(got)], "no wrong row, even before an error"
    if error is None:
        assert got == expected


json_ish = st.text(st.sampled_from(list('[]{},:"\\ 01-.aetrufnl\t\n\r\x0c\x0b')), max_size=30)


@settings(max_examples=400, deadline=None)
@given(json_ish, st.lists(st.integers(0, 10_000), max_size=8))
@example("a[1]", [])
@example("1[1]", [1])
@example('"x"[1]', [2])
@example("\x0c[1]", [])
@example("[1]\x0c", [])
@example("[\x0b1]", [])
@example('[{"a": 1}\x0c, {"a": 2}]', [])
@example("[1}2]", [])
@example('[{"a": 1}}, 2]', [3])
async def test_json_rows_refuse_whatever_a_whole_parse_refuses(text: str, cuts: list[int]) -> None:
    data = text.encode()
    try:
        whole = orjson.loads(data)
    except orjson.JSONDecodeError:
        whole = None

    got, error = await streamed_until_error(json_rows(chunked(data, cuts)))

    if isinstance(whole, list):
        assert (got, error) == (whole, None)
    else:
        assert error is not None, f"{text!r} is not a JSON array, yet gave {got!r}"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers() | st.dictionaries(st.sampled_from("ab"), st.integers()), max_size=6),
    st.lists(st.integers(0, 10_000), max_size=8),
    st.booleans(),
)
async def test_json_integers_of_any_size_stay_exact(
    rows: list[Any], cuts: list[int], spaced: bool
) -> None:
    data = json.dumps(rows, separators=(", ", ": ") if spaced else (",", ":")).encode()

    streamed = [row async for row in json_rows(chunked(data, cuts))]

    assert streamed == rows
    assert repr(streamed) == repr(rows), "ints stay ints"
