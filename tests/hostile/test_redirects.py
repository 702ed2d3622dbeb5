"""A 3xx from the API host is an ``APIStatusError``: never followed, never retried.

Following it would send ``PX-API-KEY`` wherever the Location says (aiohttp forwards
custom headers), so whatever the Location (absent, valid, elsewhere, unparsable,
huge, echoing the key) the server sees exactly one request and nobody else sees any.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest

from packagex_async import APIConnectionError, APIStatusError, PackageX

from ._secrets import KEY, assert_no_secret
from ._server import HostileServer, Received, response, stall

LOCATIONS: dict[str, Callable[[HostileServer, HostileServer], bytes | None]] = {
    "absent": lambda api, other: None,
    "empty": lambda api, other: b"",
    "same_host_absolute": lambda api, other: f"{api.url}/v1/batches/batch_2".encode(),
    "same_host_relative": lambda api, other: b"/v1/batches/batch_2",
    "protocol_relative_elsewhere": lambda api, other: f"//127.0.0.1:{other.port}/x".encode(),
    "other_host": lambda api, other: f"{other.url}/steal".encode(),
    "other_host_echoing_key": lambda api, other: f"{other.url}/{KEY}?key={KEY}".encode(),
    "unparsable_ipv6": lambda api, other: b"http://[::1",
    "space_in_host": lambda api, other: b"http://a b/",
    "non_ascii": lambda api, other: "http://exämple.com/päth?q=ü".encode(),
    "non_utf8_bytes": lambda api, other: b"http://\xff\xfe/\xc3",
    "not_http": lambda api, other: b"javascript:alert(1)",
    "file_scheme": lambda api, other: b"file:///etc/passwd",
}


@pytest.mark.parametrize("status", [300, 301, 302, 303, 304, 307, 308])
@pytest.mark.parametrize("location", list(LOCATIONS))
async def test_a_redirect_is_reported_never_followed_and_sent_once(
    location: str, status: int, records: list[logging.LogRecord]
) -> None:
    target: bytes | None = None

    async def redirect(_: Received, writer: asyncio.StreamWriter) -> None:
        headers = [] if target is None else [("Location", target)]
        writer.write(response(status, b"", headers))

    async with HostileServer(stall) as other, HostileServer(redirect) as api:
        target = LOCATIONS[location](api, other)
        async with PackageX(KEY, base_url=api.url, timeout=0.5, max_retries=2) as px:
            with pytest.raises(APIStatusError) as caught:
                await px.batches.retrieve("batch_1")

    assert caught.value.status == status
    assert len(api.requests) == 1, "a redirect is neither followed nor retried"
    assert api.requests[0].target == "/v1/batches/batch_1"
    assert other.connections == 0, "the key went to the Location's host"
    assert_no_secret(caught.value, records, [KEY])


async def test_a_location_over_the_header_size_limit_is_a_malformed_answer(
    records: list[logging.LogRecord],
) -> None:
    """aiohttp refuses a header line over 8190 bytes before anyone reads the status.

    We keep that limit (it bounds memory per header): the answer is malformed, so it is
    an ``APIConnectionError`` retried like any other, and the redirect is not followed.
    """
    target = b"https://example.com/" + b"a" * 10_240 + KEY.encode()

    async def redirect(_: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(302, b"", [("Location", target)]))

    async with (
        HostileServer(redirect) as api,
        PackageX(KEY, base_url=api.url, timeout=0.5, max_retries=2) as px,
    ):
        with pytest.raises(APIConnectionError) as caught:
            await px.batches.retrieve("batch_1")

    assert len(api.requests) == 3
    assert_no_secret(caught.value, records, [KEY])
