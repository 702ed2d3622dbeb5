"""FakePackageX: the API server and the storage server, started and stopped together.

Both are real aiohttp servers on loopback (port 0 picks a free port), so a client under
test goes through real sockets, real timeouts and real redirects. Nothing runs in the
background: jobs move by the clock and faults act inside request handlers, so closing
only has to wake injected waits (latency, stall, holds) and stop the two runners; no
task, socket or warning is left behind, even with a stalled request or a connected client.

For tests that must act at a moment rather than after a sleep, the fake counts the
requests in flight per route as it serves them (``in_flight``, ``peak_in_flight``),
signals arrivals (``until_received``, ``until_in_flight``) and can hold requests until
released (``hold``, ``release``); see ``_traffic``. ``sock`` serves the API on a socket
the caller bound (to port 0, say), so its port is known before the fake starts.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import orjson
from aiohttp import web

from ._api import make_api_app
from ._clock import Clock
from ._faults import Faults
from ._files import FileMaker
from ._ratelimit import RateLimiter
from ._recording import RecordedRequest
from ._registry import FAKE_RESOURCES, by_name
from ._resource import AddSpec
from ._seed import Factory
from ._signing import Signer
from ._state import FakeState
from ._storage import make_storage_app

__all__ = ["DEFAULT_API_KEY", "FakePackageX"]

DEFAULT_API_KEY = "px_test_key_0123456789"
SHUTDOWN_TIMEOUT = 1.0
BACKLOG = 1024  # benchmarks open ~1,000 connections at once; 128 would drop SYNs


def _base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _copy(value: Any) -> Any:
    """A deep copy exactly as a client would decode it (JSON round trip)."""
    return orjson.loads(orjson.dumps(value))


def _counts(batches: int, exports: int, seeded: Mapping[str, int]) -> dict[str, int]:
    """How many items each resource seeds: its default, then as the caller said."""
    counts = {resource.name: resource.seeded for resource in FAKE_RESOURCES}
    counts.update(batches=batches, exports=exports)
    for name, count in seeded.items():
        counts[by_name(name).name] = count
    return counts


class FakePackageX:
    """A fake PackageX API (``url``) and its presigned-URL storage (``storage_url``).

        ``batches`` / ``exports`` seeded items from ``seed`` (``seeded`` sets any registered
        resource's count by name, ``{"imports": 5}``; each has its own default); ``url_ttl``
        seconds of validity
    for presigned URLs; ``rate_limit`` requests per second before 429s; ``max_limit``
        the largest ``limit`` accepted (None: any); ``step_seconds`` how long each status of
        a job created through ``POST`` lasts on the fake clock (such jobs always move);
        ``sock`` a bound TCP socket to serve the API on instead of ``host:port`` (``url``
        names its address; the fake takes it over and closes it; storage stays on ``host``).
    """

    api_key: str
    seed: int
    clock: Clock
    faults: Faults

    def __init__(
        self,
        *,
        batches: int = 60,
        exports: int = 30,
        seed: int = 0,
        api_key: str = DEFAULT_API_KEY,
        host: str = "127.0.0.1",
        port: int = 0,
        storage_port: int = 0,
        url_ttl: float = 300.0,
        rate_limit: int | None = None,
        max_limit: int | None = None,
        step_seconds: float = 1.0,
        sock: socket.socket | None = None,
        seeded: Mapping[str, int] | None = None,
    ) -> None:
        if not step_seconds > 0:
            raise ValueError("step_seconds must be > 0")
        self.api_key, self.seed = api_key, seed
        self.clock = Clock()
        self.faults = Faults()
        self._state = FakeState.seeded(
            Factory(seed),
            _counts(batches, exports, seeded or {}),
            api_key=api_key,
            clock=self.clock,
            faults=self.faults,
            files=FileMaker(seed),
            signer=Signer(self.clock, url_ttl),
            limiter=RateLimiter(rate_limit) if rate_limit is not None else None,
            max_limit=max_limit,
            seed=seed,
            step=step_seconds,
        )
        self._host, self._port, self._storage_port, self._sock = host, port, storage_port, sock
        self._runners: list[web.AppRunner] = []
        self._url: str | None = None
        self._closed = False

    def __repr__(self) -> str:
        return f"<FakePackageX url={self._url} seed={self.seed}>"

    @property
    def url(self) -> str:
        """The API base URL, without ``/v1`` (e.g. ``http://127.0.0.1:50123``)."""
        if self._url is None:
            raise RuntimeError("FakePackageX is not started")
        return self._url

    @property
    def storage_url(self) -> str:
        """The storage server's base URL (presigned URLs point here)."""
        if not self._state.storage_url:
            raise RuntimeError("FakePackageX is not started")
        return self._state.storage_url

    @property
    def requests(self) -> list[RecordedRequest]:
        """API requests received, oldest first (clear it freely)."""
        return self._state.requests

    @property
    def storage_requests(self) -> list[RecordedRequest]:
        """Storage requests received, oldest first (clear it freely)."""
        return self._state.storage_requests

    @property
    def key_leaks(self) -> int:
        """How many storage requests carried a ``PX-API-KEY`` header (should stay 0)."""
        return self._state.key_leaks

    def items(self, name: str) -> list[dict[str, Any]]:
        """A snapshot of every item of resource ``name`` as served now, in creation order."""
        return list(_copy(self._state.collections[by_name(name).name].views(self.clock.now())))

    def item(self, name: str, item_id: str) -> dict[str, Any] | None:
        """A snapshot of one item of resource ``name`` as served now, or None."""
        found = self._state.collections[by_name(name).name].get(item_id)
        return None if found is None else dict(_copy(found.view(self.clock.now())))

    def created(self, name: str) -> list[dict[str, Any]]:
        """Snapshots of the items of ``name`` created through ``POST``, oldest first.

        A create stopped by a fault before its handler ran is not here; one answered
        with an ``_after`` fault is (the server stored it, the client never heard).
        """
        now = self.clock.now()
        return [dict(_copy(item.view(now))) for item in self._state.created[by_name(name).name]]

    def add(
        self,
        name: str,
        /,
        *,
        status: str | None = None,
        final_status: str | None = None,
        step_seconds: float = 0.1,
        rows: int | None = None,
        options: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Create the newest item of resource ``name`` and return a snapshot of it.

        Static by default (``status`` or completed); with ``final_status`` it moves from
        ``status`` (default queued) through the resource's statuses, ``step_seconds``
        per status, to ``final_status``. ``options`` are the resource's own (see
        ``add_batch``); ``fields`` set JSON keys.
        """
        spec = AddSpec(status, final_status, step_seconds, rows, fields, options or {})
        item = self._state.add(by_name(name), spec)
        return dict(_copy(item.data))

    @property
    def batches(self) -> list[dict[str, Any]]:
        """A snapshot of every batch as served now, in creation order."""
        return self.items("batches")

    @property
    def exports(self) -> list[dict[str, Any]]:
        """A snapshot of every export as served now, in creation order."""
        return self.items("exports")

    @property
    def created_batches(self) -> list[dict[str, Any]]:
        """Snapshots of the batches created through ``POST /v1/batches`` (see ``created``)."""
        return self.created("batches")

    @property
    def created_exports(self) -> list[dict[str, Any]]:
        """Snapshots of the exports created through ``POST /v1/exports``, oldest first."""
        return self.created("exports")

    def in_flight(self, route: str) -> int:
        """Requests of ``route`` read and not yet answered (held or stalled ones included)."""
        return self._state.traffic.in_flight(route)

    def peak_in_flight(self, route: str) -> int:
        """The most requests of ``route`` in flight at once since the fake started.

        Counted by the server as requests arrive and are answered, never sampled: a
        client bounded to N concurrent requests gives ``peak_in_flight(route) <= N``.
        """
        return self._state.traffic.peak(route)

    async def until_received(self, route: str, count: int = 1) -> None:
        """Return once ``count`` requests of ``route`` have arrived since the start.

        An arrived request is in ``requests`` and in flight: with ``hold`` or a ``stall``
        it is certainly mid-way when this returns.
        """
        await self._state.traffic.until_received(route, count)

    async def until_in_flight(self, route: str, count: int) -> None:
        """Return once exactly ``count`` requests of ``route`` are in flight (0: drained)."""
        await self._state.traffic.until_in_flight(route, count)

    def hold(self, route: str, *, page: int | None = None) -> None:
        """Keep requests of ``route`` (of list ``page`` only, if given) until ``release``.

        A held request has arrived and is in flight; it waits before latency, faults
        and the handler. Closing the fake releases every hold (held requests get 503).
        """
        self._state.traffic.hold(route, page)

    def release(self, route: str, *, page: int | None = None) -> None:
        """End ``hold(route, page=page)``: the held requests go on, later ones pass."""
        self._state.traffic.release(route, page)

    def batch(self, batch_id: str) -> dict[str, Any] | None:
        """A snapshot of one batch as served now, or None."""
        return self.item("batches", batch_id)

    def export(self, export_id: str) -> dict[str, Any] | None:
        """A snapshot of one export as served now, or None."""
        return self.item("exports", export_id)

    def add_batch(
        self,
        *,
        status: str | None = None,
        final_status: str | None = None,
        step_seconds: float = 0.1,
        rows: int | None = None,
        errors: int | None = None,
        save_upload: bool = True,
        save_result: bool = True,
        **fields: Any,
    ) -> dict[str, Any]:
        """Create the newest batch and return a snapshot of it.

        Static by default (``status`` or completed); with ``final_status`` it moves from
        ``status`` (default queued) through requested/queued/processing, ``step_seconds``
        per status, to ``final_status`` (completed, failed, timed_out or expired).
        ``rows`` uploaded rows of which ``errors`` are rejected; ``fields`` set JSON keys.
        """
        options = {"errors": errors, "save_upload": save_upload, "save_result": save_result}
        return self.add(
            "batches",
            status=status,
            final_status=final_status,
            step_seconds=step_seconds,
            rows=rows,
            options=options,
            **fields,
        )

    def add_export(
        self,
        *,
        status: str | None = None,
        final_status: str | None = None,
        step_seconds: float = 0.1,
        rows: int | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Create the newest export and return a snapshot of it.

        As ``add_batch``: moves queued -> processing -> ``final_status`` (completed,
        failed, timed_out) when given. ``rows`` sets ``count_total`` and the number of
        rows in its data files (seeded exports hold at most 200).
        """
        return self.add(
            "exports",
            status=status,
            final_status=final_status,
            step_seconds=step_seconds,
            rows=rows,
            **fields,
        )

    async def start(self) -> None:
        """Start the storage server, then the API server."""
        if self._runners or self._closed:
            raise RuntimeError("a FakePackageX starts once")
        try:
            port = await self._serve(make_storage_app(self._state, self.faults), self._storage_port)
            self._state.storage_url = _base_url(self._host, port)
            host = self._host if self._sock is None else str(self._sock.getsockname()[0])
            port = await self._serve(make_api_app(self._state, self.faults), self._port, self._sock)
            self._url = _base_url(host, port)
        except BaseException:
            await self.close()
            raise

    async def _serve(
        self, app: web.Application, port: int, sock: socket.socket | None = None
    ) -> int:
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await runner.setup()
        self._runners.append(runner)
        site: web.BaseSite
        if sock is None:
            site = web.TCPSite(runner, self._host, port, backlog=BACKLOG)
        else:
            site = web.SockSite(runner, sock, backlog=BACKLOG)
        await site.start()
        return int(runner.addresses[0][1])

    async def close(self) -> None:
        """Wake injected waits, then stop both servers (idempotent)."""
        self._closed = True
        self._state.closing.set()
        self._state.traffic.close()
        runners, self._runners = self._runners, []
        for runner in reversed(runners):
            await runner.cleanup()

    async def __aenter__(self) -> FakePackageX:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
