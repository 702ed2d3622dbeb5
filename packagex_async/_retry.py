"""When to retry and how long to wait: the retry policy, separate from the HTTP code.

Why a hand-written policy rather than stamina or tenacity: the loop itself is a few
lines, and every rule that matters here is specific to this API and would have to be
written as hooks anyway: a server's ``Retry-After`` overrides our backoff ceiling but
is refused past a sanity cap, a 429 pauses the *whole client* (not one call), every
attempt is logged with its number, and users' tests switch the waits off with
``set_testing`` without changing how many attempts are made (stamina's testing mode
changes the attempt count). Keeping it here avoids a runtime dependency and the
per-call objects those libraries create on the hot path.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from datetime import datetime, timezone

import attrs

__all__ = [
    "RETRY_AFTER_CAP",
    "RETRY_STATUSES",
    "RetryPolicy",
    "parse_retry_after",
    "set_testing",
    "sleep",
    "testing_enabled",
]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Statuses worth another attempt; every other 4xx is the caller's to fix."""

RETRY_AFTER_CAP = 120.0
"""A server asking for a longer wait than this gets an error instead of a hung call."""

_testing = False


def set_testing(enabled: bool = True) -> None:
    """Make every retry wait zero seconds (for tests); attempts still happen and count."""
    global _testing
    _testing = enabled


def testing_enabled() -> bool:
    """Whether ``set_testing`` turned the waits off."""
    return _testing


async def sleep(seconds: float) -> None:
    """Sleep, unless ``set_testing`` is on; always yields to the loop once."""
    await asyncio.sleep(0 if _testing else seconds)


@attrs.frozen
class RetryPolicy:
    """How many retries a request gets, and the exponential backoff between them."""

    max_retries: int
    initial_delay: float
    max_delay: float

    def backoff(self, retry_number: int) -> float:
        """The wait before retry ``retry_number`` (1-based): doubling, with jitter.

        "Equal jitter": half the exponential step is fixed, half random, so clients
        that failed together spread out but none retries immediately.
        """
        step = min(self.max_delay, self.initial_delay * 2.0 ** (retry_number - 1))
        return step / 2 + random.uniform(0, step / 2)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = datetime.fromtimestamp(time.time() if now is None else now, tz=timezone.utc)
    return max(0.0, (when - current).total_seconds())
