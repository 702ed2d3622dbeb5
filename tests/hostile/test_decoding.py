"""Objects whose ``id`` is not an id: an ``APIResponseValidationError`` that says so.

An id is what every later call is made with (retrieve, wait, download): a null, a
number or an empty string must not become the string ``"None"``, ``"5"`` or ``""``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import pytest

from packagex_async import APIResponseValidationError, PackageX

from ._secrets import KEY, assert_no_secret
from ._server import HostileServer, Received, envelope, json_response

MISSING = object()

BAD_IDS: dict[str, Any] = {
    "null": None,
    "number": 5,
    "float": 5.5,
    "bool": True,
    "empty_string": "",
    "empty_list": [],
    "list_of_id": ["batch_1"],
    "object": {"id": "batch_1"},
    "missing": MISSING,
}


def item(bad: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"status": "completed", "created_at": 1_700_000_000}
    if bad is not MISSING:
        body["id"] = bad
    return body


def always(body: dict[str, Any]) -> Callable[[Received, asyncio.StreamWriter], Any]:
    async def handler(_: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(json_response(body))

    return handler


@pytest.mark.parametrize("resource", ["batches", "exports"])
@pytest.mark.parametrize("bad", list(BAD_IDS))
async def test_retrieving_an_object_with_a_bad_id_is_a_validation_error_naming_id(
    bad: str, resource: str, records: list[logging.LogRecord]
) -> None:
    async with (
        HostileServer(always(envelope(item(BAD_IDS[bad])))) as server,
        PackageX(KEY, base_url=server.url, timeout=5, max_retries=0) as px,
    ):
        with pytest.raises(APIResponseValidationError) as caught:
            await getattr(px, resource).retrieve("obj_1")

    assert "id" in str(caught.value)
    assert len(server.requests) == 1
    assert_no_secret(caught.value, records, [KEY])


@pytest.mark.parametrize("position", [0, 1])
@pytest.mark.parametrize("resource", ["batches", "exports"])
@pytest.mark.parametrize("bad", list(BAD_IDS))
async def test_listing_an_object_with_a_bad_id_is_a_validation_error_naming_id(
    bad: str, resource: str, position: int, records: list[logging.LogRecord]
) -> None:
    items = [{"id": "obj_1", "status": "completed"}, {"id": "obj_2", "status": "completed"}]
    items[position] = item(BAD_IDS[bad])
    pagination = {"page": 1, "limit": 2, "has_more": False, "total_count": 2}
    seen: list[str] = []
    async with (
        HostileServer(always(envelope(items, pagination))) as server,
        PackageX(KEY, base_url=server.url, timeout=5, max_retries=0) as px,
    ):
        with pytest.raises(APIResponseValidationError) as caught:
            async for obj in getattr(px, resource).list(limit=2):
                seen.append(obj.id)

    assert "id" in str(caught.value)
    assert all(isinstance(i, str) and i for i in seen)
    assert len(server.requests) == 1
    assert_no_secret(caught.value, records, [KEY])
