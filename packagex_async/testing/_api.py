"""The API server: ``/v1/batches`` and ``/v1/exports``, list, retrieve and create (API.md).

One middleware does what every route shares, in this order: read and record the request
(with its body; from then on it counts as in flight, see ``_traffic``), wait out any
hold, apply injected latency and faults (faults come first, as they would from a load
balancer), the rate limit, the ``PX-API-KEY`` check, then the handler; a
bad query or body becomes a 400 envelope naming each bad parameter or property, a body
over ``MAX_BODY_BYTES`` a 413. Unknown paths answer a 404 envelope (405 for another
method on a known path) once the key checks out. The creates live in ``_creates``.

Path ids arrive percent-encoded as one segment (an id ``a/b`` as ``a%2Fb``); aiohttp
matches the raw segment and decodes it, so lookups see the real id.

Where the docs leave room, the fake accepts a little more than the filter lists say:
``mode=async`` (the batch model has async batches) and ``statuses=sent`` (listed in one
doc version), and the list filters take every resource a job can be created for (asset
batches; the ten exportable resources). ``_upload_url`` (an upload target) stays null:
the fake has no uploads.
``page`` and ``limit`` above 2**31 - 1 (or ``limit`` above ``max_limit``) are 400s.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from aiohttp import web

from ._body import BodyError
from ._creates import MAX_BODY_BYTES, create_batch, create_export
from ._data import (
    BATCH_CREATE_RESOURCES,
    BATCH_MODES,
    BATCH_STATUSES,
    EXPORT_STATUSES,
    EXPORTABLE_RESOURCES,
    VIAS,
)
from ._envelope import error_response, list_response, object_response
from ._faults import Faults
from ._inject import RUNNER, FaultRunner
from ._params import QueryError, QueryReader
from ._recording import record
from ._state import STATE, FakeState
from ._store import Collection, Keep

__all__ = ["API_KEY_HEADER", "make_api_app"]

API_KEY_HEADER = "PX-API-KEY"
UNMATCHED = "unmatched"
LIST_ROUTES = ("list_batches", "list_exports")
_PAGE = re.compile(r"[0-9]+")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
FileSpec = tuple[str, str]  # (JSON key of the URL, storage file name)

BATCH_FILTERS = {
    "resource": BATCH_CREATE_RESOURCES,
    "mode": BATCH_MODES,
    "via": VIAS,
    "status": BATCH_STATUSES,
}
BATCH_FLAGS: dict[str, tuple[FileSpec, ...]] = {
    "include_upload_csv": (("_upload_csv_url", "upload.csv"),),
    "include_upload_json": (("_upload_json_url", "upload.json"),),
    "include_errors_csv": (("_errors_csv_url", "errors.csv"),),
    "include_errors_json": (("_errors_json_url", "errors.json"),),
    "include_result_json": (("_result_json_url", "result.json"),),
}
EXPORT_FLAGS: dict[str, tuple[FileSpec, ...]] = {
    "include_json": (("_json_url", "data.json"),),
    "include_csv": (
        ("_csv_url", "data.csv"),
        ("_csv_error_url", "errors.csv"),
        ("_csv_sanitized_url", "sanitized.csv"),
    ),
}
EXPORT_ORDER = ("created_at", "count_batches", "count_total", "updated_at")
EXPORT_STATUS_FILTER = (*EXPORT_STATUSES, "sent")


def _endpoint(request: web.Request) -> str:
    return request.rel_url.raw_path


def _route(request: web.Request) -> str:
    if request.match_info.http_exception is not None:
        return UNMATCHED
    return request.match_info.route.name or UNMATCHED


def _page(request: web.Request, route: str) -> int | None:
    """The page a list request asks for (for page-specific faults), None if unreadable."""
    if route not in LIST_ROUTES:
        return None
    raw = request.query.get("page", "1")
    return int(raw) if _PAGE.fullmatch(raw) else None


def _gate(request: web.Request, state: FakeState) -> web.Response | None:
    """Rate limit and authentication; None lets the request through."""
    endpoint = _endpoint(request)
    wait = state.limiter.retry_after(state.clock.now()) if state.limiter else None
    if wait is not None:
        headers = {"Retry-After": str(wait)}
        return error_response(endpoint, 429, "rate_limited", "Too many requests", (), headers)
    key = request.headers.get(API_KEY_HEADER)
    if key is None:
        return error_response(endpoint, 401, "unauthorized", f"Missing {API_KEY_HEADER} header")
    if key != state.api_key:
        return error_response(endpoint, 401, "unauthorized", "Invalid API key")
    return None


def _unmatched(request: web.Request) -> web.Response:
    endpoint, problem = _endpoint(request), request.match_info.http_exception
    if isinstance(problem, web.HTTPMethodNotAllowed):
        headers = {"Allow": ", ".join(sorted(problem.allowed_methods))}
        message = f"{request.method} is not allowed here"
        return error_response(endpoint, 405, "method_not_allowed", message, (), headers)
    return error_response(endpoint, 404, "not_found", f"No route for {endpoint}")


async def _handle(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except QueryError as exc:
        message = "Invalid query parameters"
        return error_response(_endpoint(request), 400, "validation_error", message, exc.errors)
    except BodyError as exc:
        message = "Invalid request body"
        return error_response(_endpoint(request), 400, "validation_error", message, exc.errors)


async def _read_body(request: web.Request) -> bytes | None:
    """The request's body (empty without one); None when over ``MAX_BODY_BYTES``."""
    if not request.body_exists:
        return b""
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        return None


def _too_large(request: web.Request, body: bytes | None) -> web.Response | None:
    if body is not None:
        return None
    message = f"The request body is larger than {MAX_BODY_BYTES} bytes"
    return error_response(_endpoint(request), 413, "payload_too_large", message)


@web.middleware
async def _middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    state, route = request.app[STATE], _route(request)
    body = await _read_body(request)
    received = state.clock.now()
    state.requests.append(record(request, route, received, body or b""))
    state.traffic.arrive(route)
    try:
        return await _answer(request, handler, route, body, received)
    finally:
        state.traffic.leave(route)


async def _answer(
    request: web.Request, handler: Handler, route: str, body: bytes | None, received: float
) -> web.StreamResponse:
    """Everything after recording: holds, latency and faults, the gate, the handler."""
    state, runner = request.app[STATE], request.app[RUNNER]
    if route == UNMATCHED:
        return _gate(request, state) or _unmatched(request)
    page = _page(request, route)
    await state.traffic.wait_if_held(route, page)
    fault, early = await runner.before(request, route, page, received)
    if early is not None:
        return early
    refused = _gate(request, state) or _too_large(request, body)
    response = refused or await _handle(request, handler)
    return await runner.after(request, fault, response, received)


def _paging(reader: QueryReader, state: FakeState, default_limit: int) -> tuple[int, int]:
    page = reader.positive_int("page", 1)
    return page, reader.positive_int("limit", default_limit, state.max_limit)


def _equals(wanted: dict[str, str | None]) -> Keep | None:
    """A filter keeping views whose fields equal every given value (None: no filter)."""
    given = [(name, value) for name, value in wanted.items() if value is not None]
    if not given:
        return None
    return lambda view: all(view.get(name) == value for name, value in given)


def _wanted(reader: QueryReader, flags: dict[str, tuple[FileSpec, ...]]) -> list[FileSpec]:
    return [spec for flag, specs in flags.items() if reader.flag(flag) for spec in specs]


def _with_urls(
    state: FakeState,
    view: dict[str, Any],
    where: Sequence[str],
    files: Iterable[str],
    wanted: list[FileSpec],
) -> dict[str, Any]:
    """``view`` with a presigned URL for each wanted file that exists."""
    present = set(files)
    urls = {key: state.presign((*where, name)) for key, name in wanted if name in present}
    return {**view, **urls} if urls else view


def _not_found(request: web.Request, what: str) -> web.Response:
    message = f"{what.capitalize()} not found"
    return error_response(_endpoint(request), 404, "not_found", message)


async def list_batches(request: web.Request) -> web.Response:
    """GET /v1/batches: chronological, filters resource/mode/via/status, limit 25."""
    state, reader = request.app[STATE], QueryReader(request.query)
    page, limit = _paging(reader, state, 25)
    keep = _equals({name: reader.choice(name, allowed) for name, allowed in BATCH_FILTERS.items()})
    reader.check()
    data, total = state.batches.select(state.clock.now(), page, limit, keep, None)
    response = list_response(_endpoint(request), "Batches retrieved", data, page, limit, total)
    state.after_page("list_batches", page)
    return response


async def retrieve_batch(request: web.Request) -> web.Response:
    """GET /v1/batches/{id}: one batch, include_* flags adding presigned file URLs."""
    return _retrieve(request, request.app[STATE].batches, "batch", "batches", BATCH_FLAGS)


def _retrieve(
    request: web.Request,
    items: Collection[Any],
    kind: str,
    plural: str,
    flags: dict[str, tuple[FileSpec, ...]],
) -> web.Response:
    """One item by its ``<kind>_id``, with the presigned URLs its flags ask for."""
    state, reader = request.app[STATE], QueryReader(request.query)
    wanted = _wanted(reader, flags)
    reader.check()
    item = items.get(request.match_info[f"{kind}_id"])
    if item is None:
        return _not_found(request, kind)
    view = item.view(state.clock.now())
    view = _with_urls(state, view, (plural, item.id), item.files(), wanted)
    return object_response(_endpoint(request), f"{kind.capitalize()} retrieved", view)


def _export_filter(reader: QueryReader) -> Keep | None:
    resource = reader.choice("resource", EXPORTABLE_RESOURCES)
    statuses = reader.choices("statuses", EXPORT_STATUS_FILTER)
    search = reader.text("search")
    needle = search.lower() if search else None
    if resource is None and statuses is None and needle is None:
        return None

    def keep(view: dict[str, Any]) -> bool:
        if resource is not None and view.get("resource") != resource:
            return False
        if statuses is not None and view.get("status") not in statuses:
            return False
        return needle is None or needle in str(view.get("name", "")).lower()

    return keep


async def list_exports(request: web.Request) -> web.Response:
    """GET /v1/exports: order_by/direction, resource, statuses, search; limit 10."""
    state, reader = request.app[STATE], QueryReader(request.query)
    page, limit = _paging(reader, state, 10)
    order_by = reader.choice("order_by", EXPORT_ORDER)
    descending = reader.choice("direction", ("asc", "desc")) == "desc"
    keep = _export_filter(reader)
    reader.check()
    now = state.clock.now()
    order = None
    if order_by is not None or descending:
        order = state.exports.ordered(order_by or "created_at", descending, now)
    data, total = state.exports.select(now, page, limit, keep, order)
    response = list_response(_endpoint(request), "Exports retrieved", data, page, limit, total)
    state.after_page("list_exports", page)
    return response


async def retrieve_export(request: web.Request) -> web.Response:
    """GET /v1/exports/{id}: include_json fills _json_url, include_csv the CSV URLs."""
    return _retrieve(request, request.app[STATE].exports, "export", "exports", EXPORT_FLAGS)


def _redirect_target(request: web.Request) -> str:
    return f"{request.app[STATE].storage_url}/redirected{request.raw_path}"


def make_api_app(state: FakeState, faults: Faults) -> web.Application:
    """The API application over ``state``."""
    app = web.Application(middlewares=[_middleware], client_max_size=MAX_BODY_BYTES)
    app[STATE] = state
    app[RUNNER] = FaultRunner(
        faults, state.closing, state.clock, storage=False, redirect_to=_redirect_target
    )
    router = app.router
    router.add_get("/v1/batches", list_batches, name="list_batches", allow_head=False)
    router.add_post("/v1/batches", create_batch, name="create_batch")
    router.add_get(
        "/v1/batches/{batch_id}", retrieve_batch, name="retrieve_batch", allow_head=False
    )
    router.add_get("/v1/exports", list_exports, name="list_exports", allow_head=False)
    router.add_post("/v1/exports", create_export, name="create_export")
    router.add_get(
        "/v1/exports/{export_id}", retrieve_export, name="retrieve_export", allow_head=False
    )
    return app
