"""The storage server: presigned downloads on a separate port, like S3 behind the API.

Paths are ``/<resource>/<id>/<file>`` (``/batches/batch_1/result.json``; each resource
module names its files), signed by ``_signing``. Errors use object-store XML bodies: 403
for a missing, wrong or expired signature, 404 ``NoSuchKey`` for a file that does not exist.
Any request carrying ``PX-API-KEY`` is refused with 400 and counted in ``key_leaks``
before anything else happens (faults included), so a client that leaks its key to the
storage host fails loudly. ``/mirror/...`` serves the same files (the target of the
storage ``redirect`` fault); ``/redirected/...`` is where API redirects land.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import unquote

from aiohttp import web

from ._envelope import xml_error
from ._faults import Faults
from ._files import StoredFile
from ._inject import RUNNER, FaultRunner
from ._recording import record
from ._registry import FAKE_RESOURCES
from ._state import STATE, FakeState

__all__ = ["make_storage_app"]

API_KEY_HEADER = "PX-API-KEY"
LEAK_MESSAGE = (
    "The PX-API-KEY header must never be sent to storage: presigned URLs carry their own signature"
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def _middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = request.app[STATE]
    received = state.clock.now()
    state.storage_requests.append(record(request, "storage", received))
    state.traffic.arrive("storage")
    try:
        return await _answer(request, handler, received)
    finally:
        state.traffic.leave("storage")


async def _answer(request: web.Request, handler: Handler, received: float) -> web.StreamResponse:
    """Everything after recording: the key check, holds, latency and faults, the handler."""
    state, runner = request.app[STATE], request.app[RUNNER]
    if API_KEY_HEADER in request.headers:
        state.key_leaks += 1
        return xml_error(400, "InvalidRequest", LEAK_MESSAGE)
    await state.traffic.wait_if_held("storage", None)
    fault, early = await runner.before(request, "storage", None, received)
    if early is not None:
        return early
    return await runner.after(request, fault, await handler(request), received)


def _segments(request: web.Request) -> list[str]:
    """Decoded path segments, without any leading ``mirror`` segments."""
    segments = [unquote(part) for part in request.rel_url.raw_path.split("/")[1:]]
    while segments[:1] == ["mirror"]:
        segments = segments[1:]
    return segments


def _lookup(state: FakeState, segments: Sequence[str]) -> StoredFile | None:
    if len(segments) != 3:
        return None
    name, item_id, file_name = segments
    resource = next((r for r in FAKE_RESOURCES if r.name == name), None)
    item = None if resource is None else state.collections[name].get(item_id)
    if resource is None or item is None:
        return None
    item.view(state.clock.now())
    return resource.file(state.files, item, file_name)


async def download(request: web.Request) -> web.Response:
    """GET (or HEAD) a presigned file."""
    state, segments = request.app[STATE], _segments(request)
    problem = state.signer.problem(segments, request.query)
    if problem is not None:
        return xml_error(403, *problem)
    found = _lookup(state, segments)
    if found is None:
        return xml_error(404, "NoSuchKey", "The specified key does not exist.")
    disposition = f'attachment; filename="{segments[-1]}"'
    headers = {"Content-Disposition": disposition, "Cache-Control": "private, max-age=0"}
    return web.Response(body=found.body, content_type=found.content_type, headers=headers)


def _redirect_target(request: web.Request) -> str:
    return f"{request.app[STATE].storage_url}/mirror{request.raw_path}"


def make_storage_app(state: FakeState, faults: Faults) -> web.Application:
    """The storage application over ``state``."""
    app = web.Application(middlewares=[_middleware])
    app[STATE] = state
    app[RUNNER] = FaultRunner(
        faults, state.closing, state.clock, storage=True, redirect_to=_redirect_target
    )
    app.router.add_get("/{path:.*}", download, name="storage")
    return app
