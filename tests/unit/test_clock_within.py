"""``Clock.within``: the deadline of one poll of ``wait()``, which must never eat a Ctrl-C.

``asyncio.wait_for`` before Python 3.12 returns the result instead of raising when
the caller is cancelled just as the awaited thing finishes; ``asyncio.run`` turns
Ctrl-C into exactly such a cancellation, so ``packagex batches wait`` sometimes
ignored it and went on polling.
"""

from __future__ import annotations

import asyncio

import pytest

from packagex_async._http._clock import Clock


async def test_a_cancellation_arriving_as_the_poll_finishes_is_not_swallowed() -> None:
    poll: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    caller = asyncio.ensure_future(Clock().within(poll, 10))
    await asyncio.sleep(0)  # the caller is now waiting on the poll

    poll.set_result("job")
    caller.cancel()

    with pytest.raises(asyncio.CancelledError):
        await caller


async def test_a_cancelled_caller_cancels_the_poll() -> None:
    started = asyncio.Event()

    async def poll() -> str:
        started.set()
        await asyncio.Event().wait()  # never answers
        return "job"

    inner = asyncio.ensure_future(poll())
    caller = asyncio.ensure_future(Clock().within(inner, 10))
    await started.wait()
    caller.cancel()

    with pytest.raises(asyncio.CancelledError):
        await caller
    await asyncio.wait({inner})
    assert inner.cancelled()


async def test_the_result_or_the_error_of_a_poll_in_time_is_passed_on() -> None:
    async def answer() -> str:
        return "job"

    async def fail() -> str:
        raise LookupError("no such job")

    assert await Clock().within(answer(), 10) == "job"
    with pytest.raises(LookupError, match="no such job"):
        await Clock().within(fail(), 10)


async def test_a_poll_past_its_deadline_is_cancelled_and_times_out() -> None:
    inner = asyncio.ensure_future(asyncio.Event().wait())

    with pytest.raises(asyncio.TimeoutError):
        await Clock().within(inner, 0.01)
    assert inner.cancelled()
