"""With the ``fast`` extra, msgspec reads documented pages and hands the rest on.

A page whose items are all in the documented form is read by msgspec; a page with
one value in another accepted form (a millisecond timestamp, an ISO string, a
``null`` counter, a status PackageX added later) goes the full way. Either way the
items are those the full decoder makes, so a listing reads the same with the extra
or without it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from packagex_async import PackageX
from packagex_async._codec._converter import DECODER
from packagex_async._codec._fastbody import Decoded
from packagex_async.testing import FakePackageX

from ._secrets import KEY
from ._server import HostileServer, Received, envelope, json_response, response

pytestmark = pytest.mark.skipif(DECODER != "msgspec", reason="msgspec is not the decoder")

ODD_FORMS = {
    "milliseconds": ("created_at", 1_700_000_000_000),
    "iso": ("updated_at", "2024-05-01T10:00:00Z"),
    "null counter": ("phases", [{"name": "parsing", "total": None}]),
    "status added later": ("status", "paused"),
}


async def seeded_batches(count: int) -> list[dict[str, Any]]:
    async with FakePackageX(batches=count, seed=3) as fake:
        return fake.batches


def pages_of(items: list[dict[str, Any]], limit: int) -> Any:
    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        page = int(request.query["page"])
        data = items[(page - 1) * limit : page * limit]
        pagination = {"page": page, "limit": limit, "has_more": page * limit < len(items)}
        writer.write(json_response(envelope(data, pagination)))

    return handler


@pytest.mark.parametrize("form", list(ODD_FORMS))
async def test_only_the_page_with_an_odd_form_goes_the_full_way(form: str) -> None:
    items = await seeded_batches(30)
    key, value = ODD_FORMS[form]
    items[15][key] = value  # on page 2 of 3
    reads: list[bool] = []
    async with (
        HostileServer(pages_of(items, 10)) as server,
        PackageX(KEY, base_url=server.url, max_retries=0) as px,
    ):
        fast = px.batches._fast_page
        assert fast is not None

        def watched(body: bytes) -> Decoded | None:
            envelope = fast(body)
            reads.append(envelope is not None)
            return envelope

        px.batches._fast_page = watched
        listed = [batch async for batch in px.batches.list(limit=10)]
        px.batches._fast_page = None  # the full way for every page
        plain = [batch async for batch in px.batches.list(limit=10)]

    assert reads == [True, False, True]
    assert listed == plain
    assert [b.id for b in listed] == [item["id"] for item in items]


async def test_deep_nesting_in_an_unknown_key_lists_as_without_msgspec() -> None:
    """msgspec gives up at the recursion limit (a ``RecursionError``), orjson reads up
    to 1,024 levels: the page is read the full way, not raised from."""
    depth = 1_000
    nested = b'{"x": ' + b"[" * depth + b"]" * depth + b', "data": [{"id": "b_1"}], '
    body = nested + b'"pagination": {"page": 1, "limit": 10, "has_more": false}}'

    async def handler(_: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(200, body, {"Content-Type": "application/json"}))

    async with (
        HostileServer(handler) as server,
        PackageX(KEY, base_url=server.url, max_retries=0) as px,
    ):
        listed = [batch.id async for batch in px.batches.list(limit=10)]

    assert listed == ["b_1"]
