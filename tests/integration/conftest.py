"""Fixtures for SDK tests over real loopback HTTP against the in-package fake server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from packagex_async import PackageX
from packagex_async.testing import FakePackageX


@pytest.fixture
async def fake() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=60, exports=30, seed=11) as server:
        yield server


@pytest.fixture
async def px(fake: FakePackageX) -> AsyncIterator[PackageX]:
    async with PackageX(fake.api_key, base_url=fake.url, timeout=5.0) as client:
        yield client
