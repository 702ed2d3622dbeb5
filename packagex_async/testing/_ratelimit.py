"""A server-side rate limit: at most N accepted requests in any one-second window.

Sliding window on the fake clock. A refused request is not counted, and its 429 says
(``Retry-After``, whole seconds, at least 1) when the oldest request leaves the window.
"""

from __future__ import annotations

import collections
import math

__all__ = ["RateLimiter"]


class RateLimiter:
    """Admits up to ``per_second`` requests per rolling second."""

    def __init__(self, per_second: int) -> None:
        if per_second < 1:
            raise ValueError("rate_limit must be >= 1 request per second")
        self._limit = per_second
        self._window: collections.deque[float] = collections.deque()

    def retry_after(self, now: float) -> int | None:
        """None (and count the request) if admitted, else seconds to wait."""
        window = self._window
        while window and window[0] <= now - 1.0:
            window.popleft()
        if len(window) >= self._limit:
            return max(1, math.ceil(window[0] + 1.0 - now))
        window.append(now)
        return None
