"""Everything the two servers share: data, clock, faults, signer, records.

The API app and the storage app each get this object under ``STATE`` (an aiohttp
``AppKey``, so handlers read it typed). It holds one ``Collection`` per registered
resource and owns the mutations of the data (added items, created jobs, drift), so
the API handlers and ``FakePackageX`` change data the same way.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from typing import Any

from aiohttp import web

from ._clock import Clock
from ._collection import Collection
from ._faults import Faults
from ._files import FileMaker
from ._ratelimit import RateLimiter
from ._recording import RecordedRequest
from ._registry import FAKE_RESOURCES, by_list_route
from ._resource import AddSpec, Created, FakeResource
from ._seed import Factory, Stamp
from ._signing import Signer
from ._traffic import Traffic

__all__ = ["STATE", "FakeState"]


@dataclasses.dataclass(eq=False)
class FakeState:
    """The shared state of one fake (both servers)."""

    api_key: str
    clock: Clock
    faults: Faults
    factory: Factory
    collections: dict[str, Collection[Any]]
    """Each resource's items, by resource name."""
    files: FileMaker
    signer: Signer
    limiter: RateLimiter | None
    max_limit: int | None
    seed: int = 0
    step: float = 1.0  # seconds per status of a job created through POST
    closing: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)
    requests: list[RecordedRequest] = dataclasses.field(default_factory=list)
    storage_requests: list[RecordedRequest] = dataclasses.field(default_factory=list)
    traffic: Traffic = dataclasses.field(default_factory=Traffic)
    key_leaks: int = 0
    storage_url: str = ""
    created: dict[str, list[Any]] = dataclasses.field(
        default_factory=lambda: {resource.name: [] for resource in FAKE_RESOURCES}
    )
    """The items created through ``POST``, per resource name, oldest first."""

    @classmethod
    def seeded(cls, factory: Factory, counts: dict[str, int], **settings: Any) -> FakeState:
        """A state whose resources hold ``counts[name]`` seeded items each (registry order)."""
        collections = {
            resource.name: Collection(resource.seed(factory, counts[resource.name]))
            for resource in FAKE_RESOURCES
        }
        return cls(factory=factory, collections=collections, **settings)

    def presign(self, segments: Sequence[str]) -> str:
        """A presigned storage URL for the file at ``segments``."""
        return self.signer.url(self.storage_url, segments)

    def add(self, resource: FakeResource, spec: AddSpec) -> Any:
        """Store the newest item of ``resource`` per ``spec``."""
        items = self.collections[resource.name]
        item = resource.add(self.factory, spec, self.clock.now(), items.last_created())
        items.append(item)
        return item

    def create(self, resource: FakeResource, body: dict[str, Any]) -> Any:
        """Store the job a ``POST`` body asked for (newest, moving); BodyError if bad."""
        items = self.collections[resource.name]
        context = Created(
            self.factory, self.clock.now(), items.last_created(), self.step, self.seed
        )
        item = resource.create(context, body)
        items.append(item)
        self.created[resource.name].append(item)
        return item

    def after_page(self, route: str, page: int) -> None:
        """Apply any page drift due now that ``page`` of list ``route`` was served."""
        drift = self.faults.take_drift(route, page)
        if drift is None:
            return
        resource = by_list_route(route)
        if drift.position == "end":
            for _ in range(drift.insert):
                self.add(resource, AddSpec(None, None, 1.0, None, {}))
            return
        items = self.collections[resource.name]
        first = items.first_created()
        stamps = [Stamp(first - k, first - k) for k in range(drift.insert, 0, -1)]
        items.prepend([resource.static(self.factory, stamp) for stamp in stamps])


STATE = web.AppKey("packagex_fake_state", FakeState)
