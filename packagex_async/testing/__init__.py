"""A fake PackageX API for tests and benchmarks: real aiohttp servers on loopback.

``FakePackageX`` serves the documented endpoints of every job resource (envelope,
pagination, filters, ordering, include flags, 400/401/404 envelopes) from seeded,
deterministic data, plus a separate storage server for the presigned file URLs. It is
an independent HTTP peer: it speaks JSON and never imports the SDK, so it checks the
SDK rather than mirroring it.

It is organised by resource: one module per resource (``_batches``, ``_exports``...:
its seed data, list filters, include flags and files, create checks and job
movement) registered in ``_registry``; the servers (``_server``, ``_api``,
``_storage``), faults (``_faults``, ``_inject``), traffic and records (``_traffic``,
``_recording``), the data (``_state``, ``_collection``, ``_files``), the clock and the
shared seed words (``_seed``, ``_words``, ``_rows``) name no resource. Any resource is
reached by name: ``fake.items("batches")``, ``fake.item(name, id)``,
``fake.created(name)``, ``fake.add(name, status=..., final_status=...)`` and
``FakePackageX(seeded={name: count})``; ``fake.batches`` and friends remain.

It also accepts the two creates, ``POST /v1/exports`` and ``POST /v1/batches``: a bad
body is a 400 envelope whose ``errors`` name each failing property
(``{"property": "options.limit", "value": 0, "message": ...}``); a good one is a 201
with the new job, which moves on the fake clock (``step_seconds`` per status) to
completed, with files holding what was asked (the batch's rows, the export's selected
records in the requested columns). ``fake.created_batches`` / ``fake.created_exports``
list them; every request, with its JSON body, is in ``fake.requests``.

    async with FakePackageX(batches=100, seed=1) as fake:
        fake.faults.script("list_batches", ["503", "ok"], page=2)
        ...  # point a client at fake.url with fake.api_key
        assert fake.key_leaks == 0

Fault kinds (``fake.faults``; details in ``_faults``): ``"500"``; ``"502"`` (HTML
body); ``"503"`` and ``"429"`` with ``Retry-After`` (``"429:2"``, ``"429:date"``,
``"429:none"``); ``"reset"`` (connection closed, no response); ``"truncate"`` (full
Content-Length, half the body); ``"stall"`` / ``"stall:<s>"`` (silence, 30 s by
default); ``"invalid_json"`` (200, broken body); ``"redirect"`` (302 to the storage
host); ``"ok"`` (scripts: no fault). Most act before the handler, so a create they
stop stores nothing; ``truncate`` and ``invalid_json`` rewrite the real answer, and
``"500_after"``, ``"502_after"``, ``"503_after"``, ``"reset_after"`` and
``"stall_after"`` act once the handler ran: the job is stored, the client never hears.
Rules: ``latency``, ``error_rate``, ``script``, ``drift``, ``clear``; routes include
``create_export`` and ``create_batch``.

Moving jobs: ``fake.add_batch(status="queued", final_status="completed",
step_seconds=0.05)``; ``fake.clock.advance(seconds)`` moves jobs, URL expiry and
injected waits (latency, stall) without sleeping. Pytest users get the
``packagex_fake`` fixture from the plugin.

Acting at a moment, not after a sleep: the fake counts requests in flight per route as
it serves them (``fake.in_flight(route)``, ``fake.peak_in_flight(route)``, the most at
once since it started), so a concurrency bound is asserted exactly; ``await
fake.until_received(route, count)`` and ``await fake.until_in_flight(route, count)``
return on the event; ``fake.hold(route, page=...)`` keeps matching requests in flight
until ``fake.release(route, page=...)``:

    fake.hold("retrieve_batch")
    task = asyncio.create_task(client_work())
    await fake.until_in_flight("retrieve_batch", 4)  # four at once, for certain
    fake.release("retrieve_batch")
    await task
    assert fake.peak_in_flight("retrieve_batch") == 4

``FakePackageX(sock=...)`` serves the API on a socket you bound (port 0, then read the
port back), for a URL known before the fake starts.

``mock_packagex()`` is the other way to test code that uses the SDK: no server at
all, PackageX answers served from models by aioresponses (``_mock`` says when to use
which). The ``packagex_mock`` fixture yields one.

``set_testing(True)`` makes the SDK's retry waits zero seconds (attempts still
happen and count), so users' tests of failure paths run fast; it is the SDK's one
hook here, the fake itself never imports the SDK.
"""

from __future__ import annotations

from .._http import set_testing
from ._clock import Clock
from ._faults import FAULT_KINDS, ROUTES, Faults
from ._mock import (
    MockJobs,
    MockPackageX,
    make_batch,
    make_export,
    make_import,
    mock_packagex,
)
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
    "MockJobs",
    "MockPackageX",
    "RecordedRequest",
    "make_batch",
    "make_export",
    "make_import",
    "mock_packagex",
    "serve",
    "set_testing",
]
