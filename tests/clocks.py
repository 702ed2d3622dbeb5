"""Waiting for events in tests, never for time: a clock the test moves, and ``before``.

Shared by the unit tests (on aioresponses) and the integration tests (on the fake).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import pytest

from packagex_async._http._clock import RecordingClock

__all__ = ["ManualClock", "before"]

T = TypeVar("T")


class ManualClock(RecordingClock):
    """A recording clock whose sleeps wait until ``advance`` moves time past their end.

    ``waits`` lists every wait asked for; ``sleeping`` counts the sleeps under way;
    ``until_sleeping(n)`` returns once ``n`` are. Time moves only by ``advance``.
    """

    def __init__(self, *, seed: int = 0) -> None:
        super().__init__(seed=seed)
        self.now = 0.0
        self._ends: list[tuple[float, asyncio.Future[None]]] = []
        self._changed = asyncio.Event()

    @property
    def sleeping(self) -> int:
        return len(self._ends)

    def wall(self) -> float:
        return 1_700_000_000.0 + self.now

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        end = (self.now + seconds, asyncio.get_running_loop().create_future())
        self._ends.append(end)
        self._changed.set()
        try:
            await end[1]
        finally:
            if end in self._ends:
                self._ends.remove(end)
            self._changed.set()

    async def until_sleeping(self, count: int) -> None:
        """Return once ``count`` sleeps are under way (each wakes this at its start)."""
        while len(self._ends) < count:
            self._changed.clear()
            await self._changed.wait()

    def advance(self, seconds: float) -> None:
        """Move time on and wake every sleep that has ended by then."""
        self.now += seconds
        for end in [e for e in self._ends if e[0] <= self.now]:
            self._ends.remove(end)
            end[1].set_result(None)


async def before(event: Awaitable[T], task: asyncio.Future[Any]) -> T:
    """Await ``event``, failing at once if ``task`` ends first (the event would never come)."""
    waiter = asyncio.ensure_future(event)
    await asyncio.wait({waiter, task}, return_when=asyncio.FIRST_COMPLETED)
    if not waiter.done():
        waiter.cancel()
        detail = task.exception() if not task.cancelled() else "cancelled"
        pytest.fail(f"the task ended before the awaited event: {detail!r}")
    return waiter.result()
