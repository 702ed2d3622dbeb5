"""``rows()`` against result files that lie: the whole file's rows, or a ``PackageXError``.

A JSON file's rows are what a whole-file parse gives (integers of any size exact),
and a file that parse refuses is refused. A CSV file's rows are what
``csv.DictReader`` gives for the whole file, never a wrong row before an error.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from typing import Any

import pytest

from packagex_async import APIResponseValidationError, PackageX

from ._secrets import KEY, QUERY, SECRETS, assert_no_secret
from ._server import Handler, HostileServer, Received, envelope, json_response, response


def export_files(body: bytes) -> Handler:
    """The API (``/v1/...``: a completed export whose files are here) and its storage."""

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        if request.path.startswith("/v1/"):
            url = f"http://{request.header('Host')}/bucket/export_1/file?{QUERY}"
            export = {"id": "export_1", "status": "completed", "_csv_url": url, "_json_url": url}
            writer.write(json_response(envelope(export)))
        else:
            writer.write(response(200, body))

    return handler


async def rows_until_error(
    body: bytes, file: str, records: list[logging.LogRecord]
) -> tuple[list[Any], APIResponseValidationError | None]:
    got: list[Any] = []
    async with (
        HostileServer(export_files(body)) as server,
        PackageX(KEY, base_url=server.url, timeout=2, max_retries=0) as px,
    ):
        try:
            async for row in px.exports.rows("export_1", format=file):  # type: ignore[arg-type]
                got.append(row)
        except APIResponseValidationError as exc:
            assert_no_secret(exc, records, SECRETS)
            return got, exc
    return got, None


@pytest.mark.parametrize(
    "body",
    [b'abc[{"a": 1}]', b'42[{"a": 1}]', b'"x"[{"a": 1}]', b'\xef\xbb\xbf[{"a": 1}]',
     b'\x0c[{"a": 1}]', b'[{"a": 1}]\x0c', b'[{"a": 1}\x0b]', b'[{"a": 1}] [{"a": 2}]',
     b'{"a": 1}', b'[{"a": 1}, {"a": NaN}]', b'[{"a": 1}'],
    ids=["letters_before", "number_before", "string_before", "bom_before", "formfeed_before",
         "formfeed_after", "vtab_inside", "two_arrays", "an_object", "nan", "cut"],
)  # fmt: skip
async def test_json_a_whole_parse_refuses_is_refused(
    body: bytes, records: list[logging.LogRecord]
) -> None:
    _, error = await rows_until_error(body, "json", records)

    assert error is not None
    assert str(error).startswith("the json file of export_1 could not be read: ")


async def test_json_integers_past_64_bits_stay_exact(records: list[logging.LogRecord]) -> None:
    body = b'[{"id": 18446744073709551616, "n": -9223372036854775809, "s": "18446744073709551616"}]'

    got, error = await rows_until_error(body, "json", records)

    assert error is None
    assert got == [{"id": 2**64, "n": -(2**63) - 1, "s": "18446744073709551616"}]
    assert isinstance(got[0]["id"], int)


CSV_STRAY_QUOTES = [
    'id,name\r\n1,a"b\r\n2,c\r\n',  # a quote inside an unquoted field is text
    'id,name\r\n1,a"b\r\n2,"c\r\nd"\r\n',
    'id,name\r\n1,"a"b,x\r\n',  # text after a closing quote
    "id,name\r\n1,a\rb\r\n",  # a bare CR ends a line
]


@pytest.mark.parametrize(
    "text",
    CSV_STRAY_QUOTES,
    ids=["stray_quote", "stray_quote_then_multiline", "text_after_closing_quote", "bare_cr"],
)
async def test_csv_rows_are_dictreaders_for_the_whole_file_or_an_error(
    text: str, records: list[logging.LogRecord]
) -> None:
    expected = [dict(row) for row in csv.DictReader(io.StringIO(text, newline=""))]

    got, error = await rows_until_error(text.encode(), "csv", records)

    assert got == expected[: len(got)], "never a wrong row"
    assert error is not None or got == expected


async def test_csv_with_a_stray_quote_gives_every_row() -> None:
    got, error = await rows_until_error(CSV_STRAY_QUOTES[0].encode(), "csv", [])

    assert (got, error) == ([{"id": "1", "name": 'a"b'}, {"id": "2", "name": "c"}], None)


async def test_csv_a_field_past_the_csv_modules_limit_is_a_packagex_error(
    records: list[logging.LogRecord],
) -> None:
    body = b"id,note\r\n1," + b"x" * (csv.field_size_limit() + 1) + b"\r\n"

    got, error = await rows_until_error(body, "csv", records)

    assert got == []
    assert error is not None
    assert "field larger than field limit" in str(error)
    assert not isinstance(error.__cause__, csv.Error)


async def test_csv_cut_inside_a_quoted_field_is_an_error_not_a_short_row() -> None:
    got, error = await rows_until_error(b'id,note\r\n1,ok\r\n2,"half a no', "csv", [])

    assert got == [{"id": "1", "note": "ok"}]
    assert error is not None
    assert "ended inside a quoted field" in str(error)
