"""When to retry and how long to wait: pure decisions, separate from the HTTP code.

Why a hand-written policy rather than stamina or tenacity: every rule that matters
here is specific to this API and would have to be written as hooks anyway. A
server's ``Retry-After`` overrides our backoff ceiling but is refused past a sanity
cap; a 429 pauses the *whole client* (``_pacing``); a write is resent only when the
server certainly did not act on it; and users' tests switch the waits off with
``set_testing`` without changing how many attempts are made (stamina's testing mode
changes the attempt count).

``retry_delay`` is the one decision "retry, and after how long", a pure function of
the failure, the retry number and the policy.
"""

from __future__ import annotations

import email.utils
import enum
import math
import re
from datetime import timezone
from typing import NoReturn

import attrs

from .._errors import PackageXError
from ._clock import clock

__all__ = [
    "RETRY_AFTER_CAP",
    "RETRY_STATUSES",
    "Failure",
    "Reach",
    "RetryPolicy",
    "outcome_unknown",
    "parse_retry_after",
    "retry_delay",
    "set_testing",
    "sleep",
    "testing_enabled",
]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Statuses worth another attempt of a safe request; every other 4xx is the caller's to fix."""

RETRY_AFTER_CAP = 120.0
"""A server asking for a longer wait than this gets an error instead of a hung call."""

_DELTA_SECONDS = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,9})?")

_testing = False


def set_testing(enabled: bool = True) -> None:
    """Make every retry wait zero seconds (for tests); attempts still happen and count."""
    global _testing
    _testing = enabled


def testing_enabled() -> bool:
    """Whether ``set_testing`` turned the waits off."""
    return _testing


async def sleep(seconds: float) -> None:
    """Sleep on the SDK's clock, unless ``set_testing`` is on; always yields to the loop."""
    await clock().sleep(0 if _testing else seconds)


class Reach(enum.Enum):
    """How far a failed request got, which decides whether resending it is safe."""

    NOT_SENT = "not sent"
    """The connection could not be made: the server certainly did not see the request."""
    ANSWERED = "answered"
    """The server answered with an error status: its meaning decides."""
    UNKNOWN = "unknown"
    """Sent, but no usable answer (timeout, dropped, garbled): it may have been acted on."""
    FINAL = "final"
    """Another attempt cannot help (a redirect, a body over the size cap, a bad URL)."""


@attrs.frozen
class Failure:
    """One failed attempt: the error to raise if it is the last, and what decides a retry.

    Final unless said otherwise. ``status`` and ``retry_after`` are an answer's
    (``Reach.ANSWERED``): only there do they decide; the error keeps its own status.
    """

    error: PackageXError
    reach: Reach = Reach.FINAL
    status: int | None = None
    retry_after: float | None = None

    def raise_error(self) -> NoReturn:
        """Raise the error with nothing chained to it, on any kind of ``Task``.

        Raising outside every ``except`` block is not enough: a pure-Python ``Task``
        (``asyncio.tasks._PyTask``, and the one pytest-asyncio runs on 3.10) resumes a
        coroutine with a failed future's exception from inside its own ``except``
        block, so an error raised later in that step would get the HTTP library's
        exception (its text holds URLs and the key) as its ``__context__``. The
        context is cut here, where every error of the pipeline leaves it.
        """
        try:
            raise self.error
        finally:
            self.error.__context__ = None


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
        return step / 2 + clock().random.uniform(0, step / 2)


def retry_delay(
    failure: Failure, retry_number: int, policy: RetryPolicy, *, idempotent: bool
) -> float | None:
    """Seconds to wait before retry ``retry_number`` (1-based), or None to raise now."""
    if retry_number > policy.max_retries or not _worth_resending(failure, idempotent):
        return None
    if failure.retry_after is None:
        return policy.backoff(retry_number)
    return failure.retry_after if failure.retry_after <= RETRY_AFTER_CAP else None


def _worth_resending(failure: Failure, idempotent: bool) -> bool:
    """A safe request is resent after any transient failure; a write only when unseen.

    A 429, or a 503 that names a time to come back, says the server turned the
    request away without acting on it.
    """
    if failure.reach is Reach.NOT_SENT:
        return True
    if failure.reach is Reach.ANSWERED:
        if failure.status == 429 or (failure.status == 503 and failure.retry_after is not None):
            return True
        return idempotent and failure.status in RETRY_STATUSES
    return idempotent and failure.reach is Reach.UNKNOWN


def outcome_unknown(failure: Failure) -> bool:
    """Whether the server may have acted on a request that failed this way.

    Only a connection that could not be made, a 429, a 503 that names a time to come
    back, and a 4xx other than 408 say the server did not act.
    """
    if failure.reach is Reach.NOT_SENT:
        return False
    if failure.reach is Reach.ANSWERED and failure.status is not None:
        turned_away = failure.status == 429 or (
            failure.status == 503 and failure.retry_after is not None
        )
        return not turned_away and (failure.status >= 500 or failure.status == 408)
    return True


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date).

    Never raises: anything unreadable, or absurd, is None (no hint); a negative
    value or a date in the past is 0.
    """
    if value is None:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        return max(0.0, float(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:  # an HTTP date without a zone is UTC (RFC 9110)
            when = when.replace(tzinfo=timezone.utc)
        seconds = when.timestamp() - (clock().wall() if now is None else now)
    except Exception:
        return None
    return max(0.0, seconds) if math.isfinite(seconds) else None
