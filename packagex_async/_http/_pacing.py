"""Pacing shared by every request of one client: a request rate and a server-ordered pause.

One ``Pacer`` per client, so the limits hold across concurrent tasks: with
``rate_limit=N`` requests start at least ``1/N`` seconds apart, and a 429 answer with
``Retry-After`` holds *every* request of the client until that time, since the
server throttles the key, not the one call that happened to hit the limit.
"""

from __future__ import annotations

import math

from ._clock import clock
from ._retry import testing_enabled

__all__ = ["Pacer"]


class Pacer:
    """Hands out start times: evenly spaced slots, never before a pause ends."""

    def __init__(self, rate_limit: float | None) -> None:
        self._interval = 0.0 if rate_limit is None else 1.0 / rate_limit
        self._next_slot = -math.inf
        self._paused_until = -math.inf

    def ready(self) -> bool:
        """Whether a request may start at once: no rate to keep and no pause running.

        Checked before ``wait_turn`` so that the common case awaits nothing.
        """
        if self._interval:
            return False
        return self._paused_until == -math.inf or self._paused_until <= clock().monotonic()

    async def wait_turn(self) -> None:
        """Return when this request may start."""
        time = clock()
        if self._interval:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
            if slot > now:
                await time.sleep(slot - now)
        await self.wait_pause()

    async def wait_pause(self) -> None:
        """Return once this client's 429 pause, if any, has passed."""
        time = clock()
        # A loop, not an Event: another 429 may extend the pause while we sleep.
        while (delay := self._paused_until - time.monotonic()) > 0:
            await time.sleep(delay)

    def pause(self, seconds: float) -> None:
        """Hold every request for ``seconds`` (a 429's Retry-After); off in testing mode."""
        if testing_enabled():
            return
        until = clock().monotonic() + seconds
        self._paused_until = max(self._paused_until, until)

    async def close(self) -> None:
        """Release what the pacer holds (nothing here; a shared pacer closes its Redis)."""
