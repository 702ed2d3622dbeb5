"""Requests in flight, per route, counted by the server as they come and go; holds.

A request is *in flight* from the moment the fake has read it (it is then in
``fake.requests``) until the fake has its answer ready, faults and holds included.
The fake keeps, per route, how many are in flight now and the peak since it started,
so a test asserts a client's concurrency bound exactly
(``fake.peak_in_flight("list_batches") == 8``) instead of sampling it by polling.

Tests wait for *events*, not for time: ``until_received(route, count)`` returns once
``count`` requests of ``route`` have arrived, ``until_in_flight(route, count)`` once
exactly ``count`` are in flight. A ``hold(route, page=...)`` keeps matching requests
in flight, before any fault or handler, until ``release``: with it a test knows a
request is mid-way (or that N are in flight at once) for certain. Closing the fake
releases every hold; the requests held then answer 503.

Routes are those of the faults (``ROUTES``) plus ``"unmatched"`` for unknown paths.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Callable

from ._faults import _check_route

__all__ = ["Traffic"]

Key = tuple[str, "int | None"]


class Traffic:
    """Counts per route (received, in flight, peak), waits on them, and the holds."""

    def __init__(self) -> None:
        self._received: collections.Counter[str] = collections.Counter()
        self._in_flight: collections.Counter[str] = collections.Counter()
        self._peak: collections.Counter[str] = collections.Counter()
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []
        self._holds: dict[Key, asyncio.Event] = {}
        self._closed = False

    def in_flight(self, route: str) -> int:
        """Requests of ``route`` the fake has read and not yet answered."""
        return self._in_flight[route]

    def peak(self, route: str) -> int:
        """The most requests of ``route`` in flight at once since the fake started."""
        return self._peak[route]

    def arrive(self, route: str) -> None:
        """A request of ``route`` was read: it is in flight until ``leave``."""
        self._received[route] += 1
        self._in_flight[route] += 1
        self._peak[route] = max(self._peak[route], self._in_flight[route])
        self._notify()

    def leave(self, route: str) -> None:
        """The request's answer is ready (or it failed): it is no longer in flight."""
        self._in_flight[route] -= 1
        self._notify()

    async def until_received(self, route: str, count: int) -> None:
        """Return once ``count`` requests of ``route`` have arrived since the start."""
        await self._until(lambda: self._received[route] >= count)

    async def until_in_flight(self, route: str, count: int) -> None:
        """Return once exactly ``count`` requests of ``route`` are in flight."""
        await self._until(lambda: self._in_flight[route] == count)

    def hold(self, route: str, page: int | None) -> None:
        """Keep requests of ``route`` (that ``page`` only, if given) until ``release``."""
        _check_route(route)
        if not self._closed:
            self._holds.setdefault((route, page), asyncio.Event())

    def release(self, route: str, page: int | None) -> None:
        """Let the requests held by ``hold(route, page)`` go on, and later ones pass."""
        event = self._holds.pop((route, page), None)
        if event is not None:
            event.set()

    def close(self) -> None:
        """Release every hold for good (the fake is closing)."""
        self._closed = True
        for key in list(self._holds):
            self.release(*key)

    async def wait_if_held(self, route: str, page: int | None) -> None:
        """Wait while a hold matches this request (a page's own hold first)."""
        event = self._holds.get((route, page)) or self._holds.get((route, None))
        if event is not None:
            await event.wait()

    async def _until(self, condition: Callable[[], bool]) -> None:
        if condition():
            return
        waiter = asyncio.get_running_loop().create_future()
        entry = (condition, waiter)
        self._waiters.append(entry)
        try:
            await waiter
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)

    def _notify(self) -> None:
        """Wake the waiters whose condition holds now, at the moment of the change."""
        for entry in list(self._waiters):
            condition, waiter = entry
            if not waiter.done() and condition():
                waiter.set_result(None)
                self._waiters.remove(entry)
