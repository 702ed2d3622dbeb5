"""Shared fixtures: a mocked API for request-shape tests and JSON builders."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any, TypeVar

import pytest
from aioresponses import aioresponses
from hypothesis import settings
from yarl import URL

from packagex_async import PackageX
from packagex_async._http._clock import Clock, RecordingClock, set_clock
from packagex_async.testing import set_testing
from packagex_async.testing._mock import compat_response_class

from .builders import API, KEY
from .reference import REFERENCE_RUN, TEST_DECODER, use_reference

C = TypeVar("C", bound=Clock)

# No per-example deadline: it is a timed assertion (Hypothesis fails an example
# that takes over 200 ms), and on a busy 2-core machine the first example of a test,
# which builds the readers it checks, can take that long. Seen once as a flake.
settings.register_profile("packagex_async", deadline=None)
settings.load_profile("packagex_async")

# PACKAGEX_TEST_DECODER=reference: the SDK decodes every answer with the plain-cattrs
# reference, without the accelerator (CI runs tests/integration and tests/hostile so).
if os.environ.get(TEST_DECODER, "") not in ("", "reference"):
    raise pytest.UsageError(f"{TEST_DECODER} must be 'reference' or unset")
if REFERENCE_RUN:
    use_reference()


class MockAPI(aioresponses):
    """aioresponses with the compatibility response class and request lookups."""

    def add(self, url: Any, method: str = "GET", **kwargs: Any) -> None:  # type: ignore[override]
        kwargs.setdefault("response_class", compat_response_class())
        if isinstance(url, str) and not url.startswith("http"):
            url = re.compile(re.escape(API + url) + r"(\?.*)?$")
        super().add(url, method, **kwargs)

    def sent(self) -> list[tuple[URL, dict[str, Any]]]:
        """Every request made, in order: its URL (with query) and its keyword arguments."""
        calls = [(url, call) for (_, url), calls in self.requests.items() for call in calls]
        return [(url, call.kwargs) for url, call in calls]


@pytest.fixture(autouse=True)
def _no_backoff_waits() -> Iterator[None]:
    set_testing(True)
    yield
    set_testing(False)


@pytest.fixture
def recorded() -> Iterator[RecordingClock]:
    """Real waits (not the testing zeros), recorded instead of slept, jitter seeded (7)."""
    with real_waits(RecordingClock(seed=7)) as clock:
        yield clock


@pytest.fixture
def mock_api() -> Iterator[MockAPI]:
    with MockAPI() as mocked:
        yield mocked


@pytest.fixture
async def px() -> AsyncIterator[PackageX]:
    async with PackageX(KEY, base_url=API) as client:
        yield client


@contextlib.contextmanager
def real_waits(clock: C) -> Iterator[C]:
    """``clock`` as the SDK's clock, with the real waits (not ``set_testing``'s zeros)."""
    previous = set_clock(clock)
    set_testing(False)
    try:
        yield clock
    finally:
        set_testing(True)
        set_clock(previous)
