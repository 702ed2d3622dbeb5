"""Everything the two servers share: data, clock, faults, signer, records.

The API app and the storage app each get this object under ``STATE`` (an aiohttp
``AppKey``, so handlers read it typed). It also owns the mutations of the data (added
items, created jobs, drift), so the API handlers and ``FakePackageX`` change data the
same way.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence

from aiohttp import web

from ._adding import AddSpec, new_batch, new_export
from ._batch_request import BatchRequest
from ._clock import Clock
from ._creating import created_batch, created_export
from ._data import Factory, Stamp
from ._export_request import ExportQuery
from ._faults import Drift, Faults
from ._files import FileMaker
from ._items import BatchItem, ExportItem
from ._ratelimit import RateLimiter
from ._recording import RecordedRequest
from ._selection import select
from ._signing import Signer
from ._store import Collection
from ._traffic import Traffic

__all__ = ["STATE", "FakeState"]


@dataclasses.dataclass(eq=False)
class FakeState:
    """The shared state of one fake (both servers)."""

    api_key: str
    clock: Clock
    faults: Faults
    factory: Factory
    batches: Collection[BatchItem]
    exports: Collection[ExportItem]
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
    created_batches: list[BatchItem] = dataclasses.field(default_factory=list)
    created_exports: list[ExportItem] = dataclasses.field(default_factory=list)

    def presign(self, segments: Sequence[str]) -> str:
        """A presigned storage URL for the file at ``segments``."""
        return self.signer.url(self.storage_url, segments)

    def add_batch(
        self, spec: AddSpec, *, errors: int | None, save_upload: bool, save_result: bool
    ) -> BatchItem:
        """Create the newest batch per ``spec``."""
        now = self.clock.now()
        item = new_batch(
            self.factory,
            spec,
            now=now,
            after=self.batches.last_created(),
            errors=errors,
            save_upload=save_upload,
            save_result=save_result,
        )
        self.batches.append(item)
        return item

    def add_export(self, spec: AddSpec) -> ExportItem:
        """Create the newest export per ``spec``."""
        now = self.clock.now()
        item = new_export(self.factory, spec, now=now, after=self.exports.last_created())
        self.exports.append(item)
        return item

    def create_batch(self, request: BatchRequest) -> BatchItem:
        """Store the batch a ``POST /v1/batches`` asked for (newest, moving)."""
        now = self.clock.now()
        item = created_batch(
            self.factory, request, now=now, after=self.batches.last_created(), step=self.step
        )
        self.batches.append(item)
        self.created_batches.append(item)
        return item

    def create_export(self, query: ExportQuery) -> ExportItem:
        """Store the export a ``POST /v1/exports`` asked for (newest, moving)."""
        now, selection = self.clock.now(), select(query, self.seed)
        after = self.exports.last_created()
        item = created_export(
            self.factory, selection, query.resource, now=now, after=after, step=self.step
        )
        self.exports.append(item)
        self.created_exports.append(item)
        return item

    def after_page(self, route: str, page: int) -> None:
        """Apply any page drift due now that ``page`` of list ``route`` was served."""
        drift = self.faults.take_drift(route, page)
        if drift is None:
            return
        if drift.position == "end":
            for _ in range(drift.insert):
                self._add_newest(route)
            return
        self._prepend(route, drift)

    def _add_newest(self, route: str) -> None:
        spec = AddSpec(None, None, 1.0, None, {})
        if route == "list_batches":
            self.add_batch(spec, errors=None, save_upload=True, save_result=True)
        else:
            self.add_export(spec)

    def _prepend(self, route: str, drift: Drift) -> None:
        factory, rng = self.factory, self.factory.added
        if route == "list_batches":
            first = self.batches.first_created()
            stamps = [Stamp(first - k, first - k) for k in range(drift.insert, 0, -1)]
            self.batches.prepend([factory.batch(rng, "completed", s) for s in stamps])
        else:
            first = self.exports.first_created()
            stamps = [Stamp(first - k, first - k) for k in range(drift.insert, 0, -1)]
            self.exports.prepend([factory.export(rng, "completed", s) for s in stamps])


STATE = web.AppKey("packagex_fake_state", FakeState)
