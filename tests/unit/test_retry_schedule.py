"""The exact waits between attempts, read from a recording clock: no wall-clock windows."""

from __future__ import annotations

import logging
import random

import pytest

from packagex_async import InternalServerError, PackageX, RateLimitError
from packagex_async._http._clock import RecordingClock

from ..builders import API, KEY, envelope
from ..conftest import MockAPI


def expected_backoff(seed: int, steps: list[float]) -> list[float]:
    """Equal jitter: half of each step fixed, half drawn from the seeded generator."""
    rng = random.Random(seed)
    return [step / 2 + rng.uniform(0, step / 2) for step in steps]


async def test_backoff_doubles_from_the_initial_delay_up_to_the_cap(
    mock_api: MockAPI, recorded: RecordingClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="packagex_async")
    mock_api.get("/v1/batches/b", status=500, payload=envelope(None), repeat=True)

    async with PackageX(
        KEY, base_url=API, max_retries=5, retry_initial_delay=0.5, retry_max_delay=3.0
    ) as px:
        with pytest.raises(InternalServerError):
            await px.batches.retrieve("b")

    assert recorded.waits == expected_backoff(7, [0.5, 1.0, 2.0, 3.0, 3.0])
    for wait, step in zip(recorded.waits, [0.5, 1.0, 2.0, 3.0, 3.0], strict=True):
        assert step / 2 <= wait <= step
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    assert [m.split("; ")[-1].split(" in ")[0] for m in retries] == [
        f"retry {n} of 5" for n in range(1, 6)
    ]
    assert len(mock_api.sent()) == 6


@pytest.mark.parametrize(
    ("header", "wait"),
    [
        ("7", 7.0),
        ("0", 0.0),
        ("-3", 0.0),
        ("Tue, 14 Nov 2023 22:13:30 GMT", 10.0),  # the clock's wall time + 10 s
        ("Tue, 14 Nov 2023 22:13:00 GMT", 0.0),  # already past
    ],
)
async def test_the_server_s_retry_after_is_the_wait(
    mock_api: MockAPI, recorded: RecordingClock, header: str, wait: float
) -> None:
    mock_api.get(
        "/v1/batches/b", status=429, payload=envelope(None), headers={"Retry-After": header}
    )
    mock_api.get("/v1/batches/b", payload=envelope({"id": "b"}))

    async with PackageX(KEY, base_url=API, max_retries=1) as px:
        await px.batches.retrieve("b")

    # The first wait is the client-wide 429 pause, the second the retry's own sleep
    # (the pause has passed by then on the recording clock).
    assert recorded.waits[-1] == wait
    assert all(w == wait for w in recorded.waits)


async def test_a_garbage_retry_after_falls_back_to_the_backoff(
    mock_api: MockAPI, recorded: RecordingClock
) -> None:
    mock_api.get(
        "/v1/batches/b", status=503, payload=envelope(None), headers={"Retry-After": "soon"}
    )
    mock_api.get("/v1/batches/b", payload=envelope({"id": "b"}))

    async with PackageX(KEY, base_url=API, max_retries=1, retry_initial_delay=2.0) as px:
        await px.batches.retrieve("b")

    assert recorded.waits == expected_backoff(7, [2.0])


async def test_a_retry_after_past_the_cap_is_raised_at_once(
    mock_api: MockAPI, recorded: RecordingClock
) -> None:
    mock_api.get(
        "/v1/batches/b", status=429, payload=envelope(None), headers={"Retry-After": "121"}
    )

    async with PackageX(KEY, base_url=API, max_retries=3) as px:
        with pytest.raises(RateLimitError, match="longer than the 120s") as caught:
            await px.batches.retrieve("b")

    assert caught.value.retry_after == 121.0
    assert recorded.waits == []
    assert len(mock_api.sent()) == 1


async def test_a_429_pauses_every_request_of_the_client(
    mock_api: MockAPI, recorded: RecordingClock
) -> None:
    mock_api.get("/v1/batches/a", status=429, payload=envelope(None), headers={"Retry-After": "5"})
    mock_api.get("/v1/batches/a", payload=envelope({"id": "a"}))
    mock_api.get("/v1/batches/b", payload=envelope({"id": "b"}))

    async with PackageX(KEY, base_url=API, max_retries=1) as px:
        await px.batches.retrieve("a")
        paused_at = recorded.monotonic()
        recorded.waits.clear()
        await px.batches.retrieve("b")

    assert paused_at >= 5.0
    assert recorded.waits == []  # the pause was over by then: no second wait


async def test_rate_limit_spaces_requests_on_the_clock(
    mock_api: MockAPI, recorded: RecordingClock
) -> None:
    mock_api.get("/v1/batches/b", payload=envelope({"id": "b"}), repeat=True)

    async with PackageX(KEY, base_url=API, rate_limit=4) as px:
        for _ in range(3):
            await px.batches.retrieve("b")

    assert recorded.waits == [0.25, 0.25]
