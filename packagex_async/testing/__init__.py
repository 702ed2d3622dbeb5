"""A fake PackageX API for tests and benchmarks: real aiohttp servers on loopback.

``FakePackageX`` serves the documented Batches and Exports endpoints (envelope,
pagination, filters, ordering, include flags, 400/401/404 envelopes) from seeded,
deterministic data, plus a separate storage server for the presigned file URLs. It is
an independent HTTP peer: it speaks JSON and never imports the SDK, so it checks the
SDK rather than mirroring it.

    async with FakePackageX(batches=100, seed=1) as fake:
        fake.faults.script("list_batches", ["503", "ok"], page=2)
        ...  # point a client at fake.url with fake.api_key
        assert fake.key_leaks == 0

Fault kinds (``fake.faults``; details in ``_faults``): ``"500"``; ``"502"`` (HTML
body); ``"503"`` and ``"429"`` with ``Retry-After`` (``"429:2"``, ``"429:date"``,
``"429:none"``); ``"reset"`` (connection closed, no response); ``"truncate"`` (full
Content-Length, half the body); ``"stall"`` / ``"stall:<s>"`` (silence, 30 s by
default); ``"invalid_json"`` (200, broken body); ``"redirect"`` (302 to the storage
host); ``"ok"`` (scripts: no fault). Rules: ``latency``, ``error_rate``, ``script``,
``drift``, ``clear``.

Moving jobs: ``fake.add_batch(status="queued", final_status="completed",
step_seconds=0.05)``; ``fake.clock.advance(seconds)`` moves jobs and URL expiry without
sleeping. Pytest users get the ``packagex_fake`` fixture from the plugin.

``set_testing(True)`` makes the SDK's retry waits zero seconds (attempts still
happen and count), so users' tests of failure paths run fast; it is the SDK's one
hook here, the fake itself never imports the SDK.
"""

from __future__ import annotations

from .._http import set_testing
from ._clock import Clock
from ._faults import FAULT_KINDS, ROUTES, Faults
from ._recording import RecordedRequest
from ._serve import serve
from ._server import DEFAULT_API_KEY, FakePackageX

__all__ = [
    "DEFAULT_API_KEY",
    "FAULT_KINDS",
    "ROUTES",
    "Clock",
    "FakePackageX",
    "Faults",
    "RecordedRequest",
    "serve",
    "set_testing",
]
