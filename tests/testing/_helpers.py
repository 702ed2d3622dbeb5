"""Small request helpers: the fake is driven with a raw aiohttp session, not the SDK."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp
from yarl import URL

from packagex_async.testing import FakePackageX

ENVELOPE_KEYS = {"message", "data", "status", "errors", "code", "pagination", "endpoint"}


def url(fake: FakePackageX, path: str) -> URL:
    """``path`` (already percent-encoded) under the fake's API base URL."""
    return URL(fake.url + path, encoded=True)


async def call(
    http: aiohttp.ClientSession,
    fake: FakePackageX,
    path: str,
    params: Mapping[str, str] | None = None,
    *,
    key: str | None = "default",
) -> tuple[int, dict[str, Any]]:
    """GET ``path``; returns (HTTP status, decoded envelope). ``key=None`` sends no key."""
    headers = {} if key is None else {"PX-API-KEY": fake.api_key if key == "default" else key}
    target = url(fake, path).update_query(params or {})
    async with http.get(target, headers=headers, allow_redirects=False) as response:
        return response.status, await response.json()


async def data(
    http: aiohttp.ClientSession,
    fake: FakePackageX,
    path: str,
    params: Mapping[str, str] | None = None,
) -> Any:
    """GET ``path`` expecting 200; returns the envelope's ``data``."""
    status, body = await call(http, fake, path, params)
    assert status == 200, body
    return body["data"]


async def list_all(
    http: aiohttp.ClientSession, fake: FakePackageX, path: str, params: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Follow ``has_more`` page by page; every item, in order."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        status, body = await call(http, fake, path, {**params, "page": str(page)})
        assert status == 200, body
        items.extend(body["data"])
        if not body["pagination"]["has_more"]:
            return items
        page += 1


async def download(http: aiohttp.ClientSession, target: str) -> tuple[int, bytes, Any]:
    """GET a presigned URL without any key: (status, body, headers)."""
    async with http.get(URL(target, encoded=True)) as response:
        return response.status, await response.read(), response.headers


async def post(
    http: aiohttp.ClientSession, fake: FakePackageX, path: str, body: Any, **kwargs: Any
) -> tuple[int, dict[str, Any]]:
    """POST ``body`` as JSON to ``path``; returns (HTTP status, decoded envelope)."""
    headers = {"PX-API-KEY": fake.api_key}
    async with http.post(url(fake, path), json=body, headers=headers, **kwargs) as response:
        return response.status, await response.json()
