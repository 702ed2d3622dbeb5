"""Faults over real loopback HTTP: retries, timeouts, Retry-After, exactly-once, the key.

The fake server injects the faults; the SDK must absorb them or fail with the right
class after exactly ``max_retries + 1`` attempts.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator

import pytest

from packagex_async import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
    NotFoundError,
    PackageX,
    PackageXError,
    RateLimitError,
)
from packagex_async._http._clock import RecordingClock
from packagex_async.testing import FakePackageX, set_testing

from ..clocks import ManualClock, before
from .conftest import expected_backoff

FAULT_KINDS = ["500", "502", "503", "429", "reset", "truncate", "stall", "invalid_json"]


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="packagex_async")
    return caplog


def attempts(fake: FakePackageX, route: str) -> int:
    return sum(1 for r in fake.requests if r.route == route)


def request_times(fake: FakePackageX, route: str) -> list[float]:
    return [r.time for r in fake.requests if r.route == route]


@pytest.fixture
async def chaos() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=10_000, exports=0, seed=3) as server:
        server.faults.error_rate("list_batches", 0.25, kinds=FAULT_KINDS, seed=5)
        yield server


async def test_chaos_listing_yields_every_item_exactly_once_in_order(
    chaos: FakePackageX, debug_logs: pytest.LogCaptureFixture
) -> None:
    async with PackageX(chaos.api_key, base_url=chaos.url, timeout=0.5, max_retries=8) as px:
        ids = [batch.id async for batch in px.batches.list(limit=100)]

    assert ids == [b["id"] for b in chaos.batches]
    assert len(ids) == 10_000
    calls = attempts(chaos, "list_batches")
    assert calls >= 100 * 1.2, "at least 20% of the requests should have met a fault"
    retries = [r for r in debug_logs.records if r.levelno == logging.INFO and "retry" in r.msg]
    assert retries, "retries are logged at INFO"
    assert all(chaos.api_key not in r.getMessage() for r in debug_logs.records)


@pytest.mark.parametrize(
    ("kind", "error_class"),
    [
        ("500", InternalServerError),
        ("502", InternalServerError),
        ("503", InternalServerError),
        ("429", RateLimitError),
        ("stall", APITimeoutError),
        ("truncate", APIConnectionError),
        ("invalid_json", APIResponseValidationError),
    ],
)
async def test_exhausted_retries_raise_the_right_class_after_exactly_n_plus_1_attempts(
    fake: FakePackageX, kind: str, error_class: type[PackageXError]
) -> None:
    fake.faults.script("retrieve_batch", [kind] * 10)

    async with PackageX(fake.api_key, base_url=fake.url, timeout=0.3, max_retries=2) as px:
        with pytest.raises(error_class):
            await px.batches.retrieve(fake.batches[0]["id"])

    assert attempts(fake, "retrieve_batch") == 3


async def test_a_reset_connection_is_retried_then_reported(
    fake: FakePackageX, debug_logs: pytest.LogCaptureFixture
) -> None:
    fake.faults.script("retrieve_batch", ["reset"] * 10)

    async with PackageX(fake.api_key, base_url=fake.url, max_retries=2) as px:
        with pytest.raises(APIConnectionError):
            await px.batches.retrieve(fake.batches[0]["id"])

    ours = [r for r in debug_logs.records if r.levelno == logging.INFO and "retry" in r.msg]
    assert len(ours) == 2
    # aiohttp's own silent resend of a dropped GET is off on the client's session.
    assert attempts(fake, "retrieve_batch") == 3


@pytest.mark.parametrize("kind", ["500", "reset", "truncate", "stall", "502", "invalid_json"])
async def test_one_fault_then_success_is_invisible(fake: FakePackageX, kind: str) -> None:
    fake.faults.script("retrieve_batch", [kind])

    async with PackageX(fake.api_key, base_url=fake.url, timeout=0.3) as px:
        batch = await px.batches.retrieve(fake.batches[0]["id"])

    assert batch.id == fake.batches[0]["id"]


async def test_client_errors_are_not_retried(fake: FakePackageX, px: PackageX) -> None:
    with pytest.raises(NotFoundError):
        await px.batches.retrieve("batch_missing")

    assert attempts(fake, "retrieve_batch") == 1


async def test_retry_after_is_waited_even_past_the_backoff_ceiling(
    fake: FakePackageX, recorded: RecordingClock
) -> None:
    fake.faults.script("retrieve_batch", ["429:1"])

    async with PackageX(fake.api_key, base_url=fake.url, retry_max_delay=0.05) as px:
        await px.batches.retrieve(fake.batches[0]["id"])

    assert recorded.waits == [1.0]  # the server's second, not the 0.05 s ceiling
    assert attempts(fake, "retrieve_batch") == 2


async def test_retry_after_on_503_is_honoured(fake: FakePackageX, recorded: RecordingClock) -> None:
    fake.faults.script("retrieve_export", ["503:1"])

    async with PackageX(fake.api_key, base_url=fake.url, retry_max_delay=0.05) as px:
        await px.exports.retrieve(fake.exports[0]["id"])

    assert recorded.waits == [1.0]
    assert attempts(fake, "retrieve_export") == 2


async def test_retry_after_beyond_the_cap_is_raised_not_slept(
    fake: FakePackageX, recorded: RecordingClock
) -> None:
    fake.faults.script("retrieve_batch", ["429:600"])

    async with PackageX(fake.api_key, base_url=fake.url) as px:
        with pytest.raises(RateLimitError) as caught:
            await px.batches.retrieve(fake.batches[0]["id"])

    assert caught.value.retry_after == 600
    assert "600" in str(caught.value)
    assert attempts(fake, "retrieve_batch") == 1
    assert recorded.waits == []


async def test_a_429_pauses_every_request_of_the_client(
    fake: FakePackageX, manual: ManualClock
) -> None:
    fake.faults.script("retrieve_batch", ["429:1"])

    async with PackageX(fake.api_key, base_url=fake.url) as px:
        throttled = asyncio.create_task(px.batches.retrieve(fake.batches[0]["id"]))
        await before(manual.until_sleeping(1), throttled)  # the 429 came: its retry waits
        other = asyncio.create_task(px.exports.retrieve(fake.exports[0]["id"]))
        await before(manual.until_sleeping(2), other)  # a request of another kind waits too

        assert manual.waits == [1.0, 1.0]
        assert attempts(fake, "retrieve_export") == 0
        manual.advance(1.0)
        await throttled
        await other

    assert manual.waits == [1.0, 1.0]  # neither waited again once the pause was over
    assert attempts(fake, "retrieve_batch") == 2
    assert attempts(fake, "retrieve_export") == 1


async def test_the_client_rate_limit_spaces_concurrent_requests(
    fake: FakePackageX, manual: ManualClock
) -> None:
    async with PackageX(fake.api_key, base_url=fake.url, rate_limit=20) as px:
        ids = [b["id"] for b in fake.batches[:21]]
        work = asyncio.gather(*(px.batches.retrieve(i) for i in ids))
        await before(manual.until_sleeping(20), work)
        assert manual.waits == pytest.approx([n / 20 for n in range(1, 21)])
        for step in range(1, 21):  # each 1/20 s lets exactly one more request out
            await before(fake.until_received("retrieve_batch", step), work)
            assert manual.sleeping == 21 - step
            manual.advance(1 / 20)
        await work

    assert attempts(fake, "retrieve_batch") == 21
    assert manual.now == pytest.approx(1.0)


async def test_the_client_rate_limit_keeps_under_the_servers_limit(manual: ManualClock) -> None:
    async with (
        FakePackageX(batches=5, rate_limit=10) as fake,
        PackageX(fake.api_key, base_url=fake.url, rate_limit=8, max_retries=0) as px,
    ):
        wanted = fake.batches[0]["id"]
        work = asyncio.gather(*(px.batches.retrieve(wanted) for _ in range(16)))
        for sent in range(1, 17):  # the client's time and the server's move together
            await before(fake.until_received("retrieve_batch", sent), work)
            manual.advance(1 / 8)
            fake.clock.advance(1 / 8)
        batches = await work  # max_retries=0: a single 429 would have raised

    assert [b.id for b in batches] == [wanted] * 16
    times = request_times(fake, "retrieve_batch")
    assert len(times) == 16
    assert all(later - earlier >= 1 / 8 for earlier, later in itertools.pairwise(times))


async def test_a_stall_is_cut_by_the_timeout_and_retried(fake: FakePackageX) -> None:
    fake.faults.script("retrieve_batch", ["stall:3600"])  # only a timeout can end it

    async with PackageX(fake.api_key, base_url=fake.url, timeout=0.3) as px:
        batch = await px.batches.retrieve(fake.batches[0]["id"])

    assert batch.id == fake.batches[0]["id"]
    assert attempts(fake, "retrieve_batch") == 2
    await fake.until_in_flight("retrieve_batch", 0)  # the stalled request was let go


async def test_a_failed_page_is_fetched_again_never_skipped(fake: FakePackageX) -> None:
    fake.faults.script("list_batches", ["500", "reset", "truncate"], page=2)

    async with PackageX(fake.api_key, base_url=fake.url, max_retries=3) as px:
        ids = [b.id async for b in px.batches.list()]

    assert ids == [b["id"] for b in fake.batches]


async def test_exhausted_page_names_itself_and_the_listing_resumes(fake: FakePackageX) -> None:
    fake.faults.script("list_batches", ["500"] * 3, page=2)
    seen: list[str] = []

    async with PackageX(fake.api_key, base_url=fake.url, max_retries=2) as px:
        paginator = px.batches.list()
        with pytest.raises(InternalServerError, match=r"resume with list\(page=2\)") as caught:
            async for batch in paginator:
                seen.append(batch.id)
        assert caught.value.page == paginator.next_page == 2
        seen += [b.id async for b in px.batches.list(page=paginator.next_page)]

    assert seen == [b["id"] for b in fake.batches]


async def test_a_redirect_never_carries_the_key_anywhere(fake: FakePackageX) -> None:
    fake.faults.script("retrieve_batch", ["redirect"])

    async with PackageX(fake.api_key, base_url=fake.url) as px:
        with pytest.raises(APIStatusError, match="redirects are not followed") as caught:
            await px.batches.retrieve(fake.batches[0]["id"])

    assert 300 <= caught.value.status < 400
    assert fake.storage_requests == []
    assert fake.key_leaks == 0
    assert fake.api_key not in str(caught.value)


async def test_the_key_is_in_no_log_record_and_no_error_text(
    fake: FakePackageX, debug_logs: pytest.LogCaptureFixture
) -> None:
    fake.faults.script("retrieve_batch", ["500", "reset", "stall", "invalid_json", "429"])
    errors: list[BaseException] = []

    async with PackageX(fake.api_key, base_url=fake.url, timeout=0.3, max_retries=1) as px:
        for _ in range(3):
            try:
                await px.batches.retrieve(fake.batches[0]["id"])
            except PackageXError as error:
                errors.append(error)
        async with PackageX("px_wrong_key_456", base_url=fake.url) as wrong:
            with pytest.raises(PackageXError) as caught:
                await wrong.exports.retrieve(fake.exports[0]["id"])
            errors.append(caught.value)

    assert len(errors) >= 3
    texts = [str(e) + repr(e) + str(e.__cause__) for e in errors]
    texts += [r.getMessage() for r in debug_logs.records]
    assert texts
    assert not [t for t in texts if fake.api_key in t or "px_wrong_key_456" in t]
    assert any(
        r.levelno == logging.DEBUG and "GET /v1/" in r.getMessage() for r in debug_logs.records
    )


async def test_a_429_without_retry_after_uses_the_backoff(
    fake: FakePackageX, recorded: RecordingClock
) -> None:
    fake.faults.script("retrieve_batch", ["429:none"])

    async with PackageX(fake.api_key, base_url=fake.url, retry_initial_delay=0.4) as px:
        await px.batches.retrieve(fake.batches[0]["id"])

    assert recorded.waits == expected_backoff(7, [0.4])
    assert attempts(fake, "retrieve_batch") == 2


async def test_set_testing_skips_waits_but_keeps_the_attempts(
    fake: FakePackageX, recorded: RecordingClock
) -> None:
    set_testing(True)  # the fixture turned it off; it turns it back on afterwards too
    fake.faults.script("retrieve_batch", ["429:3", "503:3"])

    async with PackageX(fake.api_key, base_url=fake.url) as px:
        await px.batches.retrieve(fake.batches[0]["id"])

    assert recorded.waits == [0, 0]  # asked for 3 s twice: both waits are zero
    assert attempts(fake, "retrieve_batch") == 3


async def test_a_503_asking_for_too_long_a_wait_says_why_it_was_not_retried(
    fake: FakePackageX,
) -> None:
    fake.faults.script("retrieve_batch", ["503:600"])

    async with PackageX(fake.api_key, base_url=fake.url) as px:
        with pytest.raises(InternalServerError, match="asked to wait 600s, longer than the 120s"):
            await px.batches.retrieve(fake.batches[0]["id"])

    assert attempts(fake, "retrieve_batch") == 1
