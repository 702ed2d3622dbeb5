"""pytest plugin (entry point ``pytest11``): the ``packagex_fake`` and ``packagex_mock`` fixtures.

``packagex_mock`` yields ``mock_packagex()`` (aioresponses, imported only when a test
uses the fixture) for the production base URL.

The fixture yields a started ``FakePackageX()`` and closes it after the test. With
pytest-asyncio installed it is a ``pytest_asyncio.fixture`` (works in strict and auto
mode). Without it, this module must not break anyone's pytest, so it only imports
pytest-asyncio if present and otherwise declares a plain async fixture, which an async
plugin such as anyio can drive. The fake itself is imported lazily, so test sessions
that never use the fixture do not pay for aiohttp.web.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from . import FakePackageX, MockPackageX

__all__ = ["packagex_fake", "packagex_mock"]


async def _started_fake() -> AsyncIterator[FakePackageX]:
    """A started FakePackageX() (default data, key and ports), closed after the test."""
    from . import FakePackageX

    async with FakePackageX() as fake:
        yield fake


packagex_fake: Any
"""The fixture: a started ``FakePackageX()``; its type is pytest's business."""
if importlib.util.find_spec("pytest_asyncio") is not None:
    import pytest_asyncio

    packagex_fake = pytest_asyncio.fixture(_started_fake, name="packagex_fake")
else:  # pragma: no cover - exercised only without pytest-asyncio
    packagex_fake = pytest.fixture(_started_fake, name="packagex_fake")


@pytest.fixture(name="packagex_mock")
def packagex_mock() -> Iterator[MockPackageX]:
    """``mock_packagex()`` for the test: add models to ``batches`` / ``exports``."""
    from . import mock_packagex

    with mock_packagex() as api:
        yield api
