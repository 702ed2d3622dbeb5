"""A loopback server answers the same bodies to the SDK and to the plain-cattrs
reference: the same models, or the same error class and message, never a raw one.

These are the bodies where the decoders of earlier versions disagreed (a number
past double in ``pagination`` or in a key the SDK ignores, a counter past 64 bits)
and the forms the accelerator leaves to the full decoder.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from packagex_async import PackageX, PackageXError, to_json
from packagex_async._codec import _decode

from ..reference import REFERENCE, REFERENCE_RUN, use_reference
from ._secrets import KEY, assert_no_secret
from ._server import HostileServer, Received, response

PAGINATION = b'{"page": 1, "limit": 10, "has_more": false}'
PAGES = {
    "1e400 in pagination": b'{"data": [], "pagination": {"page": 1, "limit": 10, '
    b'"has_more": false, "total_count": 1e400}}',
    "1e400 in an ignored key": b'{"data": [{"id": "b_1", "x": 1e400}], "pagination": '
    + PAGINATION
    + b"}",
    "1e400 in an ignored envelope key": b'{"data": [], "x": 1e400, "pagination": '
    + PAGINATION
    + b"}",
    "deep nesting in an ignored key": b'{"data": [{"id": "b_1", "x": '
    + b"[" * 1100
    + b"]" * 1100
    + b'}], "pagination": '
    + PAGINATION
    + b"}",
    "a counter below 64 bits": b'{"data": [{"id": "b_1", "stats": {"created": '
    b'-9223372036854775809}}], "pagination": ' + PAGINATION + b"}",
    "a counter of 2**64": b'{"data": [{"id": "b_1", "stats": {"created": '
    b'18446744073709551616}}], "pagination": ' + PAGINATION + b"}",
    "a lone surrogate in an ignored key": b'{"data": [{"id": "b_1", "x": "\\ud800"}], '
    b'"pagination": ' + PAGINATION + b"}",
    "a status added later": b'{"data": [{"id": "b_1", "status": "paused"}], "pagination": '
    + PAGINATION
    + b"}",
    "a documented page": b'{"data": [{"id": "b_1", "status": "failed", "created_at": '
    b'1700000000, "object": "batch"}], "pagination": ' + PAGINATION + b"}",
}


def answering(body: bytes) -> Any:
    async def handler(_: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(200, body, {"Content-Type": "application/json"}))

    return handler


async def listed(body: bytes) -> Any:
    """The batches listed from ``body``, as JSON; or the error's class and message."""
    async with (
        HostileServer(answering(body)) as server,
        PackageX(KEY, base_url=server.url, max_retries=0) as px,
    ):
        try:
            return [to_json(batch) async for batch in px.batches.list(limit=10)]
        except PackageXError as exc:
            assert_no_secret(exc, [], [KEY])
            return (type(exc).__name__, str(exc))


@pytest.mark.parametrize("name", list(PAGES))
async def test_the_sdk_reads_a_body_as_the_reference_does(name: str) -> None:
    body = PAGES[name]
    sdk = await listed(body)
    use_reference()
    try:
        plain = await listed(body)
    finally:
        use_reference(False)

    assert sdk == plain


async def test_a_counter_past_64_bits_lists_and_encodes() -> None:
    assert await listed(PAGES["a counter of 2**64"]) == [
        b'{"action":null,"checksum":null,"created_at":null,"duplicate_handling":null,'
        b'"errors_csv_url":null,"errors_json_url":null,"id":"b_1","mode":null,'
        b'"organization_id":null,"phases":[],"reason":null,"resource":null,'
        b'"result_json_url":null,"stats":{"created":18446744073709551616,"deleted":0,'
        b'"events":0,"overwritten":0,"updated":0},"status":null,"updated_at":null,'
        b'"updated_by":null,"upload_csv_url":null,"upload_json_url":null,"upload_url":null,'
        b'"via":null}'
    ]


async def test_a_number_past_double_in_pagination_is_a_validation_error() -> None:
    error = await listed(PAGES["1e400 in pagination"])

    assert error[0] == "APIResponseValidationError"
    assert "GET /v1/batches?" in error[1]
    assert "not the PackageX JSON envelope" in error[1]


def test_this_run_decodes_with_the_decoder_it_asked_for() -> None:
    """``PACKAGEX_TEST_DECODER=reference`` really swaps the decoder (CI relies on it)."""
    assert (_decode._decoding.converter is REFERENCE) is REFERENCE_RUN
    assert _decode._decoding.accelerate is not REFERENCE_RUN
