"""Streamed rows equal a whole-file parse, whatever the content and wherever chunks end."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import AsyncIterator
from typing import Any

import orjson
from hypothesis import given, settings
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
