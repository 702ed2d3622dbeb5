"""The bare stack the SDK is measured against: aiohttp + orjson, plain dicts.

Its own module (``peers`` re-exports it) so that ``installed_child.py`` can run it
in a venv that holds only what the README's first install command installs.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import orjson

__all__ = ["BATCHES_PATH", "aiohttp_session", "raw_list", "raw_retrieve"]

BATCHES_PATH = "/v1/batches"


def aiohttp_session(api_key: str) -> aiohttp.ClientSession:
    """A raw aiohttp session with the key header; default pool, like the SDK's."""
    return aiohttp.ClientSession(headers={"PX-API-KEY": api_key, "Accept": "application/json"})


async def _get_json(session: aiohttp.ClientSession, url: str) -> Any:
    async with session.get(url) as response:
        if response.status != 200:
            raise RuntimeError(f"GET {url}: HTTP {response.status}")
        return orjson.loads(await response.read())


async def raw_list(session: aiohttp.ClientSession, base_url: str, limit: int) -> list[Any]:
    """Every batch as a dict: GET page after page while ``has_more``."""
    items: list[Any] = []
    page, has_more = 1, True
    while has_more:
        envelope = await _get_json(session, f"{base_url}{BATCHES_PATH}?limit={limit}&page={page}")
        items.extend(envelope["data"])
        has_more = envelope["pagination"]["has_more"]
        page += 1
    return items


async def raw_retrieve(session: aiohttp.ClientSession, base_url: str, batch_id: str) -> Any:
    """One batch as a dict (the raw counterpart of ``px.batches.retrieve``)."""
    return (await _get_json(session, f"{base_url}{BATCHES_PATH}/{batch_id}"))["data"]
