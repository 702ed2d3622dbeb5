"""Time, in one place tests can replace: the wall clock, the loop's clock, sleep, jitter.

Every wait the SDK makes (a retry's backoff, a server's ``Retry-After``, the rate limit
and the 429 pause) goes through ``clock()``. Tests install a clock that records the
waits and returns at once (``RecordingClock``), so a schedule is asserted exactly,
not measured against the wall clock within a window that lets mistakes through.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable
from typing import Any, TypeVar

__all__ = ["Clock", "RecordingClock", "clock", "set_clock"]

T = TypeVar("T")


class Clock:
    """The real clock: ``time.time``, the running loop's clock, ``asyncio.sleep``."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self.random = rng or random.Random()

    def wall(self) -> float:
        """Seconds since the epoch, for HTTP dates such as ``Retry-After``."""
        return time.time()

    def monotonic(self) -> float:
        """The running loop's clock, for spacing requests."""
        return asyncio.get_running_loop().time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def within(self, awaitable: Awaitable[T], seconds: float) -> T:
        """``awaitable``'s result, or ``asyncio.TimeoutError`` once ``seconds`` pass.

        Not ``asyncio.wait_for``: before Python 3.12 it swallows a cancellation of
        the caller that arrives just as the awaitable finishes, so a Ctrl-C during
        ``wait()`` was sometimes lost. Here the caller's cancellation always goes
        on, and the awaitable is cancelled with it.
        """
        task = asyncio.ensure_future(awaitable)
        task.add_done_callback(_mark_seen)
        try:
            done, _ = await asyncio.wait({task}, timeout=seconds)
        finally:
            if not task.done():
                task.cancel()
        if done:
            return task.result()
        await asyncio.wait({task})  # until it has stopped; a cancellation of ours still goes on
        raise asyncio.TimeoutError


class RecordingClock(Clock):
    """A clock for tests: sleeping records the wait, moves time on and returns at once.

    ``waits`` lists every wait asked for, in order; ``random`` is seeded, so jitter
    is reproducible.
    """

    def __init__(self, *, seed: int = 0, wall: float = 1_700_000_000.0) -> None:
        super().__init__(random.Random(seed))
        self.waits: list[float] = []
        self._wall = wall
        self._elapsed = 0.0

    def wall(self) -> float:
        return self._wall + self._elapsed

    def monotonic(self) -> float:
        return self._elapsed

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self._elapsed += max(seconds, 0.0)
        await asyncio.sleep(0)


def _mark_seen(task: asyncio.Future[Any]) -> None:
    """An error of a task left behind by a cancellation is not logged as never retrieved."""
    if not task.cancelled():
        task.exception()


_clock = Clock()


def clock() -> Clock:
    """The clock in use."""
    return _clock


def set_clock(new: Clock) -> Clock:
    """Use ``new`` from now on; returns the clock it replaces (to put back after a test)."""
    global _clock
    previous, _clock = _clock, new
    return previous
