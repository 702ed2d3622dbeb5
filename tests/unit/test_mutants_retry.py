"""Retry decisions (``_http._retry``) and the client-wide 429 pause, at their edges.

Pinned where mutation testing found them loose: the testing switch, the cap on a
server's ``Retry-After`` (exactly 120 s is still waited), a date without a zone on
a machine that is not on UTC, and which failed writes say they may have acted.
See ``tests/MUTANTS.md`` and ``python -m tools.mutate``.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator

import pytest

from packagex_async import (
    APIStatusError,
    InternalServerError,
    PackageX,
    RateLimitError,
)
from packagex_async._http import _retry
from packagex_async._http._clock import RecordingClock, set_clock
from packagex_async._http._retry import parse_retry_after
from packagex_async.testing import set_testing

from ..builders import API, KEY, envelope
from ..clocks import ManualClock, before
from ..conftest import MockAPI, real_waits

PATH = "/v1/batches/b"


@pytest.fixture
def recorded() -> Iterator[RecordingClock]:
    """Real waits (not the testing zeros), recorded instead of slept."""
    fake = RecordingClock(seed=11)
    with real_waits(fake):
        yield fake


# -- the testing switch


def test_set_testing_without_an_argument_turns_the_waits_off() -> None:
    set_testing(False)
    try:
        assert _retry.testing_enabled() is False
        set_testing()
        assert _retry.testing_enabled() is True
    finally:
        set_testing(True)


async def test_in_testing_mode_every_wait_is_zero_but_every_attempt_is_made(
    mock_api: MockAPI,
) -> None:
    fake = RecordingClock(seed=1)
    previous = set_clock(fake)
    try:
        set_testing(True)
        mock_api.get(PATH, status=503, payload=envelope(None), headers={"Retry-After": "30"})
        mock_api.get(PATH, status=500, payload=envelope(None))
        mock_api.get(PATH, payload=envelope({"id": "b"}))
        async with PackageX(KEY, base_url=API, max_retries=2, retry_initial_delay=4.0) as px:
            await px.batches.retrieve("b")
    finally:
        set_clock(previous)

    assert fake.waits == [0, 0]
    assert len(mock_api.sent()) == 3


# -- the server's Retry-After: waited up to and including the cap


async def test_a_retry_after_of_exactly_the_cap_is_waited(
    mock_api: MockAPI, recorded: RecordingClock
) -> None:
    mock_api.get(PATH, status=503, payload=envelope(None), headers={"Retry-After": "120"})
    mock_api.get(PATH, payload=envelope({"id": "b"}))

    async with PackageX(KEY, base_url=API, max_retries=1) as px:
        await px.batches.retrieve("b")

    assert recorded.waits == [120.0]


async def test_the_wait_note_of_a_retry_after_of_exactly_the_cap(mock_api: MockAPI) -> None:
    mock_api.get(PATH, status=429, payload=envelope(None), headers={"Retry-After": "120"})
    mock_api.get(PATH, status=429, payload=envelope(None), headers={"Retry-After": "121"})

    async with PackageX(KEY, base_url=API, max_retries=0) as px:
        with pytest.raises(RateLimitError) as at_cap:
            await px.batches.retrieve("b")
        with pytest.raises(RateLimitError) as past_cap:
            await px.batches.retrieve("b")

    assert at_cap.value.message.endswith("(the server asked to wait 120s)")
    assert past_cap.value.message.endswith(
        "(the server asked to wait 121s, longer than the 120s the SDK waits on its own)"
    )


@pytest.fixture
def tokyo() -> Iterator[None]:
    """Local time 9 hours ahead of UTC (a POSIX rule: no time zone database needed)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "JST-9")
        time.tzset()
        try:
            yield
        finally:
            patch.undo()
            time.tzset()


def test_an_http_date_without_a_zone_is_utc_not_local_time(tokyo: None) -> None:
    now = 1_700_086_400.0  # Wed, 15 Nov 2023 22:13:20 UTC
    assert parse_retry_after("Wed, 15 Nov 2023 22:13:30", now=now) == 10.0
    assert parse_retry_after("Wed, 15 Nov 2023 22:13:30 GMT", now=now) == 10.0
    assert parse_retry_after("Thu, 16 Nov 2023 07:13:30 +0900", now=now) == 10.0


# -- a failed write: does it say it may have acted?


@pytest.mark.parametrize(
    ("status", "retry_after", "may_have_acted"),
    [
        (429, None, False),  # turned away
        (429, "5", False),
        (503, "5", False),  # turned away with a time to come back
        (503, None, True),
        (504, "5", True),  # only a 503 with Retry-After says "not acted on"
        (500, None, True),
        (502, "5", True),
        (408, None, True),
        (400, None, False),  # refused
        (409, None, False),
    ],
)
async def test_a_failed_create_says_it_may_have_acted_only_when_it_may_have(
    mock_api: MockAPI, status: int, retry_after: str | None, may_have_acted: bool
) -> None:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    mock_api.post("/v1/exports", status=status, payload=envelope(None), headers=headers)

    async with PackageX(KEY, base_url=API, max_retries=0) as px:
        with pytest.raises(APIStatusError) as caught:
            await px.exports.create(resource="shipment")

    assert (caught.value.outcome_unknown is not None) is may_have_acted


# -- the 429 pause holds every request of the client; nothing else does


@pytest.fixture
def manual() -> Iterator[ManualClock]:
    fake = ManualClock()
    with real_waits(fake):
        yield fake


@pytest.mark.parametrize(
    ("status", "retry_after", "holds_the_client"),
    [
        (429, "5", True),
        (429, None, False),  # no time given: this request backs off, the others go on
        (503, "5", False),  # the server is busy, the key is not throttled
    ],
)
async def test_only_a_429_with_retry_after_pauses_the_other_requests(
    mock_api: MockAPI,
    manual: ManualClock,
    status: int,
    retry_after: str | None,
    holds_the_client: bool,
) -> None:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    mock_api.get("/v1/batches/a", status=status, payload=envelope(None), headers=headers)
    mock_api.get("/v1/batches/a", payload=envelope({"id": "a"}))
    mock_api.get("/v1/batches/b", payload=envelope({"id": "b"}))

    async with PackageX(
        KEY, base_url=API, max_retries=1, retry_initial_delay=5.0, retry_max_delay=5.0
    ) as px:
        first = asyncio.ensure_future(px.batches.retrieve("a"))
        await before(manual.until_sleeping(1), first)  # waiting to retry
        other = asyncio.ensure_future(px.batches.retrieve("b"))
        if holds_the_client:
            await before(manual.until_sleeping(2), other)  # held by the pause
            assert not other.done()
        else:  # ``other`` ends, and fails at once if it starts waiting instead
            held = asyncio.ensure_future(manual.until_sleeping(2))
            assert (await before(other, held)).id == "b"
            held.cancel()
            assert not first.done()
        manual.advance(10.0)
        assert (await first).id == "a"
        assert (await other).id == "b"


async def test_a_5xx_without_retry_after_is_retried_on_the_backoff(
    mock_api: MockAPI, recorded: RecordingClock
) -> None:
    mock_api.get(PATH, status=502, payload=envelope(None), repeat=True)

    async with PackageX(
        KEY, base_url=API, max_retries=3, retry_initial_delay=1.0, retry_max_delay=1.5
    ) as px:
        with pytest.raises(InternalServerError):
            await px.batches.retrieve("b")

    rng = random.Random(11)
    assert recorded.waits == [step / 2 + rng.uniform(0, step / 2) for step in (1.0, 1.5, 1.5)]
