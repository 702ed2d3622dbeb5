"""The one decision "retry, and after how long", as a table of failures and answers."""

from __future__ import annotations

import pytest

from packagex_async import APIConnectionError
from packagex_async._http._retry import (
    RETRY_AFTER_CAP,
    Failure,
    Reach,
    RetryPolicy,
    parse_retry_after,
    retry_delay,
)

POLICY = RetryPolicy(max_retries=2, initial_delay=0.5, max_delay=8.0)


def failure(reach: Reach, status: int | None = None, retry_after: float | None = None) -> Failure:
    return Failure(APIConnectionError("x"), reach, status, retry_after)


@pytest.mark.parametrize(
    ("case", "safe_request", "write"),
    [
        (failure(Reach.NOT_SENT), True, True),
        (failure(Reach.ANSWERED, 429), True, True),
        (failure(Reach.ANSWERED, 429, 3.0), True, True),
        (failure(Reach.ANSWERED, 503, 3.0), True, True),
        (failure(Reach.ANSWERED, 503), True, False),
        (failure(Reach.ANSWERED, 500), True, False),
        (failure(Reach.ANSWERED, 502), True, False),
        (failure(Reach.ANSWERED, 504), True, False),
        (failure(Reach.ANSWERED, 408), True, False),
        (failure(Reach.ANSWERED, 400), False, False),
        (failure(Reach.ANSWERED, 404), False, False),
        (failure(Reach.UNKNOWN), True, False),
        (failure(Reach.FINAL), False, False),
    ],
)
def test_a_write_is_resent_only_when_the_server_certainly_did_not_act(
    case: Failure, safe_request: bool, write: bool
) -> None:
    assert (retry_delay(case, 1, POLICY, idempotent=True) is not None) is safe_request
    assert (retry_delay(case, 1, POLICY, idempotent=False) is not None) is write


def test_retries_stop_after_max_retries() -> None:
    case = failure(Reach.NOT_SENT)
    assert retry_delay(case, 2, POLICY, idempotent=True) is not None
    assert retry_delay(case, 3, POLICY, idempotent=True) is None
    no_retries = RetryPolicy(max_retries=0, initial_delay=0.5, max_delay=8.0)
    assert retry_delay(case, 1, no_retries, idempotent=True) is None


def test_the_server_s_wait_wins_over_the_backoff_up_to_the_cap() -> None:
    assert retry_delay(failure(Reach.ANSWERED, 429, 30.0), 1, POLICY, idempotent=True) == 30.0
    assert retry_delay(failure(Reach.ANSWERED, 429, 0.0), 1, POLICY, idempotent=True) == 0.0
    too_long = failure(Reach.ANSWERED, 429, RETRY_AFTER_CAP + 1)
    assert retry_delay(too_long, 1, POLICY, idempotent=True) is None


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("0", 0.0),
        ("-5", 0.0),
        ("Wed, 15 Nov 2023 22:13:30 GMT", 10.0),
        ("Wed, 15 Nov 2023 22:13:30", 10.0),  # no zone: UTC, not local time
        ("Wed, 15 Nov 2023 22:13:00 GMT", 0.0),  # in the past
        ("Fri, 31 Dec 99999 23:59:59 GMT", None),
        ("soon", None),
        ("1e400", None),
        ("inf", None),
        ("nan", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_as_seconds_or_an_http_date(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=1_700_086_400.0) == seconds
