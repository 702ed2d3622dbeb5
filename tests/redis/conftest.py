"""A real Redis for each test (``redis``) and real waits (not the testing zeros)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from packagex_async._http._clock import Clock

from ..conftest import real_waits
from ._server import RedisServer, redis_binary


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A fresh ``redis-server`` on a free loopback port, stopped after the test."""
    server = RedisServer(redis_binary(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def real_clock() -> Iterator[Clock]:
    """The real clock with real waits: shared pacing sleeps for its slots."""
    with real_waits(Clock()) as clock:
        yield clock
