"""Fixtures for the fake's own tests: a started fake and a raw aiohttp session."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from packagex_async.testing import FakePackageX


@pytest.fixture
async def fake() -> AsyncIterator[FakePackageX]:
    async with FakePackageX() as started:
        yield started


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session
