"""The stacks the SDK is measured against, written as their users would write them.

- raw aiohttp + orjson: the floor of the SDK's own stack; a has_more page walk
  handing back plain dicts, no models, no checks beyond the status code.
- httpx + pydantic v2: what a generated SDK does, in two flavours: the whole
  envelope parsed and validated in Rust by ``model_validate_json``, and
  ``response.json()`` followed by ``TypeAdapter.validate_python`` on ``data``.

Each lister returns the full list of items, as the SDK scenario does
(``[b async for b in px.batches.list(limit=L)]``), so every stack holds the same
20,000 objects at the end.
"""

from __future__ import annotations

import httpx
from pydantic_models import BATCH_LIST, PAGINATION, BatchListEnvelope, BatchModel
from raw_stack import BATCHES_PATH, aiohttp_session, raw_list, raw_retrieve

from packagex_async import PackageX
from packagex_async.models import Batch

__all__ = [
    "aiohttp_session",
    "httpx_client",
    "httpx_list_json",
    "httpx_list_python",
    "raw_list",
    "raw_retrieve",
    "sdk_client",
    "sdk_list",
]


def sdk_client(url: str, api_key: str) -> PackageX:
    """The SDK client, defaults untouched (aiohttp pool of 100 connections)."""
    return PackageX(api_key, base_url=url)


def httpx_client(url: str, api_key: str) -> httpx.AsyncClient:
    """An httpx client as generated SDKs build it: base URL and key header."""
    headers = {"PX-API-KEY": api_key, "Accept": "application/json"}
    return httpx.AsyncClient(base_url=url, headers=headers)


async def sdk_list(px: PackageX, limit: int, concurrency: int = 1) -> list[Batch]:
    """Every batch through the SDK's paginator."""
    return [b async for b in px.batches.list(limit=limit, concurrency=concurrency)]


async def httpx_list_json(client: httpx.AsyncClient, limit: int) -> list[BatchModel]:
    """Every batch as a model: ``model_validate_json`` of each envelope."""
    items: list[BatchModel] = []
    page, has_more = 1, True
    while has_more:
        response = await client.get(BATCHES_PATH, params={"limit": limit, "page": page})
        response.raise_for_status()
        envelope = BatchListEnvelope.model_validate_json(response.content)
        items.extend(envelope.data)
        has_more = envelope.pagination.has_more
        page += 1
    return items


async def httpx_list_python(client: httpx.AsyncClient, limit: int) -> list[BatchModel]:
    """Every batch as a model: ``response.json()`` then ``TypeAdapter.validate_python``."""
    items: list[BatchModel] = []
    page, has_more = 1, True
    while has_more:
        response = await client.get(BATCHES_PATH, params={"limit": limit, "page": page})
        response.raise_for_status()
        envelope = response.json()
        items.extend(BATCH_LIST.validate_python(envelope["data"]))
        has_more = PAGINATION.validate_python(envelope["pagination"]).has_more
        page += 1
    return items
