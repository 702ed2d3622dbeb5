"""Waiting for a job (batch or export) to reach a final status, by polling.

Polls start at ``poll_interval`` and grow by half each time up to
``max_poll_interval``, so a short job is seen finishing quickly and a long one does
not hammer the API. Each poll (with its own retries) is cut at the deadline, and so
is the last sleep, so ``wait(timeout=10)`` returns or raises close to 10 s even when
the API stalls.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Collection
from typing import Any, Protocol, TypeVar, cast

from .._errors import JobModel, WaitTimeoutError
from .._http._clock import clock

__all__ = ["HasStatus", "wait_until_final"]


class HasStatus(Protocol):
    @property
    def status(self) -> Any: ...


J = TypeVar("J", bound=HasStatus)

_GROWTH = 1.5


async def wait_until_final(
    retrieve: Callable[[], Awaitable[J]],
    *,
    final: Collection[str],
    what: str,
    timeout: float | None,
    poll_interval: float,
    max_poll_interval: float,
    on_progress: Callable[[J], object] | None,
) -> J:
    """Retrieve until the status is in ``final``; ``WaitTimeoutError`` past ``timeout``."""
    time = clock()
    deadline = math.inf if timeout is None else time.monotonic() + timeout
    interval = poll_interval
    job: J | None = None
    while True:
        job = await _poll(retrieve, deadline - time.monotonic(), what, job, timeout, final)
        if on_progress is not None:
            on_progress(job)
        if job.status is not None and str(job.status) in final:
            return job
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timed_out(what, job, timeout, final)
        await time.sleep(min(interval, remaining))
        interval = min(interval * _GROWTH, max_poll_interval)


async def _poll(
    retrieve: Callable[[], Awaitable[J]],
    remaining: float,
    what: str,
    last: J | None,
    timeout: float | None,
    final: Collection[str],
) -> J:
    """One retrieve, cut at the deadline (none when ``timeout`` is None)."""
    if math.isinf(remaining):
        return await retrieve()
    try:
        return await clock().within(retrieve(), max(remaining, 0.001))
    except asyncio.TimeoutError:
        pass
    raise _timed_out(what, last, timeout, final)


def _timed_out(
    what: str, job: HasStatus | None, timeout: float | None, final: Collection[str]
) -> Exception:
    """Only reached with a finite ``timeout``: without one there is no deadline to pass."""
    state = "had no answer" if job is None else f"is still {job.status}"
    return WaitTimeoutError(
        f"{what} {state} after {timeout:g}s (final statuses: {', '.join(sorted(final))}); "
        "call wait() again to keep waiting",
        last=cast("JobModel | None", job),  # the jobs waited for are job models
    )
