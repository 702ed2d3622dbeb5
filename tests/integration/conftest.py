"""Fixtures for SDK tests over real loopback HTTP against the in-package fake server.

Time is a dependency the tests control, never a window they measure:

- ``recorded`` (tests/conftest.py): the SDK's waits (backoff, ``Retry-After``, the 429
  pause, the rate limit) go through a ``RecordingClock``, with real waits on (not
  ``set_testing``'s zeros): each wait is recorded and returns at once, so a schedule
  is asserted exactly.
- ``manual``: a ``ManualClock`` whose sleeps last until the test moves time on, so
  "mid-backoff" or "paused by a 429" is a state the test waits for (``until_sleeping``)
  and then inspects, not a moment it hopes to hit.
- ``job_waits``: ``wait()``'s polling sleeps and deadline on a virtual clock that also
  moves the fake's clock, so the jobs move exactly as the SDK's schedule says.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Iterator
from typing import TypeVar

import pytest

from packagex_async import PackageX
from packagex_async._http._clock import Clock, set_clock
from packagex_async.testing import FakePackageX

from ..clocks import ManualClock
from ..conftest import real_waits

T = TypeVar("T")


def expected_backoff(seed: int, steps: list[float]) -> list[float]:
    """Equal jitter: half of each step fixed, half drawn from the seeded generator."""
    rng = random.Random(seed)
    return [step / 2 + rng.uniform(0, step / 2) for step in steps]


class JobWaits(Clock):
    """``wait()``'s clock: its sleeps are recorded and move this clock and the fake's.

    Installed as the SDK's clock for the test; ``within`` stays real, its timeouts
    (the time left for each poll) recorded in ``poll_timeouts``.
    """

    def __init__(self, fake: FakePackageX) -> None:
        super().__init__()
        self._fake = fake
        self.now = 0.0
        self.sleeps: list[float] = []
        self.poll_timeouts: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self._fake.clock.advance(seconds)
        await asyncio.sleep(0)

    async def within(self, awaitable: Awaitable[T], seconds: float) -> T:
        self.poll_timeouts.append(seconds)
        return await super().within(awaitable, seconds)


@pytest.fixture
async def fake() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=60, exports=30, seed=11) as server:
        yield server


@pytest.fixture
async def px(fake: FakePackageX) -> AsyncIterator[PackageX]:
    async with PackageX(fake.api_key, base_url=fake.url, timeout=5.0) as client:
        yield client


@pytest.fixture
def manual() -> Iterator[ManualClock]:
    """Real waits that last until the test calls ``advance``."""
    with real_waits(ManualClock(seed=7)) as clock:
        yield clock


@pytest.fixture
def job_waits(fake: FakePackageX) -> Iterator[JobWaits]:
    clock = JobWaits(fake)
    previous = set_clock(clock)
    yield clock
    set_clock(previous)
