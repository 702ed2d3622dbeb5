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
import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import TypeVar

import attrs

from ._errors import PackageXError

__all__ = [
    "RETRY_AFTER_CAP",
    "RETRY_STATUSES",
    "RetryPolicy",
    "Retryable",
    "parse_retry_after",
    "retry",
    "set_testing",
    "sleep",
    "testing_enabled",
]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Statuses worth another attempt; every other 4xx is the caller's to fix."""

RETRY_AFTER_CAP = 120.0
"""A server asking for a longer wait than this gets an error instead of a hung call."""

logger = logging.getLogger("packagex_async")

R = TypeVar("R")

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


class Retryable(Exception):
    """An attempt failed in a way another attempt may fix; carries the error to raise."""

    def __init__(self, error: PackageXError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


async def retry(
    policy: RetryPolicy,
    attempt: Callable[[int, int], Awaitable[R]],
    *,
    what: str,
    before_wait: Callable[[Retryable, float], None] | None = None,
) -> R:
    """Run ``attempt(number, attempts)`` until it returns or a ``Retryable`` runs out.

    The last failure's error is raised; every retry is logged at INFO with its wait,
    which is the server's ``Retry-After`` when it gave one, else the backoff.
    """
    attempts = policy.max_retries + 1
    for number in range(1, attempts + 1):
        try:
            return await attempt(number, attempts)
        except Retryable as failure:
            if number == attempts:
                raise failure.error from failure.error.__cause__
            wait = policy.backoff(number) if failure.retry_after is None else failure.retry_after
            if before_wait is not None:
                before_wait(failure, wait)
            logger.info(
                "%s failed (%s); retry %d of %d in %.2fs",
                what,
                failure.error,
                number,
                attempts - 1,
                wait,
            )
            await sleep(wait)
    raise AssertionError("unreachable: the last attempt returns or raises")
