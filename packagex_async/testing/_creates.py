"""The two creates: ``POST /v1/exports`` and ``POST /v1/batches``, answered 201.

Each handler reads the JSON body (a 400 envelope naming every bad property otherwise,
see ``_body``), stores the new job through ``FakeState`` and answers with the job as
``data``. The job is stored before the answer is written, so a fault injected after the
handler (``500_after``, ``reset_after``, ``stall_after``...) leaves a job the client
never heard about: exactly what a client's no-duplicate handling must survive.
"""

from __future__ import annotations

from aiohttp import web

from ._batch_request import read_batch
from ._body import parse_body
from ._envelope import created_response
from ._export_request import read_export
from ._state import STATE

__all__ = ["MAX_BODY_BYTES", "create_batch", "create_export"]

MAX_BODY_BYTES = 64 * 1024 * 1024  # room for a large base64 CSV in ``data``


async def create_export(request: web.Request) -> web.Response:
    """POST /v1/exports: ``{resource, options?, csv_field_options?}`` -> 201 queued export."""
    state = request.app[STATE]
    query = read_export(parse_body(await request.read()))
    item = state.create_export(query)
    data = item.view(state.clock.now())
    return created_response(request.rel_url.raw_path, "Export created", data)


async def create_batch(request: web.Request) -> web.Response:
    """POST /v1/batches: ``{resource, action, data?, ...}`` -> 201 requested/queued batch."""
    state = request.app[STATE]
    batch = read_batch(parse_body(await request.read()))
    item = state.create_batch(batch)
    data = item.view(state.clock.now())
    return created_response(request.rel_url.raw_path, "Batch created", data)
