"""The fake's clock: wall time plus an offset that tests can move forward.

Jobs advance and presigned URLs expire against this clock, so a test can jump past a
URL's expiry or a job's next step with ``fake.clock.advance(seconds)`` instead of
sleeping.
"""

from __future__ import annotations

import time

__all__ = ["Clock"]


class Clock:
    """Epoch seconds as the fake sees them (``time.time()`` plus an advance)."""

    __slots__ = ("_offset",)

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        """The current fake time in epoch seconds."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the fake time forward; going back would break monotonic job timelines."""
        if seconds < 0:
            raise ValueError("the fake clock only moves forward")
        self._offset += seconds
