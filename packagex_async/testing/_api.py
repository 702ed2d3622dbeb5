"""The API server: each registered resource's list, retrieve and create (API.md).

One middleware does what every route shares, in this order: read and record the request
(with its body; from then on it counts as in flight, see ``_traffic``), wait out any
hold, apply injected latency and faults (faults come first, as they would from a load
balancer), the rate limit, the ``PX-API-KEY`` check, then the handler; a
bad query or body becomes a 400 envelope naming each bad parameter or property, a body
over ``MAX_BODY_BYTES`` a 413. Unknown paths answer a 404 envelope (405 for another
method on a known path) once the key checks out.

Routes come from the registry (``_registry``): for each resource, ``GET /v1/<name>``
(``list_<name>``), ``GET /v1/<name>/{<noun>_id}`` (``retrieve_<noun>``) and ``POST
/v1/<name>`` (``create_<noun>``), answered from what its module declares (page size,
filters, include flags, create checks). A create stores the job before the answer is
written, so a fault injected after the handler (``500_after``, ``reset_after``...)
leaves a job the client never heard about.

Path ids arrive percent-encoded as one segment (an id ``a/b`` as ``a%2Fb``); aiohttp
matches the raw segment and decodes it, so lookups see the real id.
``page`` and ``limit`` above 2**31 - 1 (or ``limit`` above ``max_limit``) are 400s.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

from aiohttp import web

from ._body import BodyError, parse_body
from ._envelope import created_response, error_response, list_response, object_response
from ._faults import Faults
from ._inject import RUNNER, FaultRunner
from ._params import QueryError, QueryReader
from ._recording import record
from ._registry import FAKE_RESOURCES, LIST_ROUTES
from ._resource import FakeResource, FileKey
from ._state import STATE, FakeState

__all__ = ["API_KEY_HEADER", "make_api_app"]

API_KEY_HEADER = "PX-API-KEY"  # the API also accepts X-API-KEY; the docs name this first
MAX_BODY_BYTES = 64 * 1024 * 1024  # room for a large base64 CSV in ``data``
UNMATCHED = "unmatched"
_PAGE = re.compile(r"[0-9]+")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


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


def _wanted(reader: QueryReader, flags: Mapping[str, tuple[FileKey, ...]]) -> list[FileKey]:
    return [spec for flag, specs in flags.items() if reader.flag(flag) for spec in specs]


def _with_urls(
    state: FakeState,
    view: dict[str, Any],
    where: Sequence[str],
    files: Iterable[str],
    wanted: list[FileKey],
) -> dict[str, Any]:
    """``view`` with a presigned URL for each wanted file that exists."""
    present = set(files)
    urls = {key: state.presign((*where, name)) for key, name in wanted if name in present}
    return {**view, **urls} if urls else view


def _lister(resource: FakeResource) -> Handler:
    """``GET /v1/<name>``: the resource's filters and order, its default page size."""

    async def list_items(request: web.Request) -> web.Response:
        state, reader = request.app[STATE], QueryReader(request.query)
        page, limit = _paging(reader, state, resource.default_limit)
        items, now = state.collections[resource.name], state.clock.now()
        keep, order = resource.listing(reader, items, now)
        reader.check()
        data, total = items.select(now, page, limit, keep, order)
        message = f"{resource.name.capitalize()} retrieved"
        response = list_response(_endpoint(request), message, data, page, limit, total)
        state.after_page(resource.list_route, page)
        return response

    return list_items


def _retriever(resource: FakeResource) -> Handler:
    """``GET /v1/<name>/{<noun>_id}``: one item, include flags adding presigned URLs."""

    async def retrieve(request: web.Request) -> web.Response:
        state, reader = request.app[STATE], QueryReader(request.query)
        wanted = _wanted(reader, resource.flags)
        reader.check()
        item = state.collections[resource.name].get(request.match_info[f"{resource.noun}_id"])
        if item is None:
            message = f"{resource.noun.capitalize()} not found"
            return error_response(_endpoint(request), 404, "not_found", message)
        view = item.view(state.clock.now())
        view = _with_urls(state, view, (resource.name, item.id), item.files(), wanted)
        message = f"{resource.noun.capitalize()} retrieved"
        return object_response(_endpoint(request), message, view)

    return retrieve


def _creator(resource: FakeResource) -> Handler:
    """``POST /v1/<name>``: the body checked by the resource, answered 201 with the job."""

    async def create(request: web.Request) -> web.Response:
        state = request.app[STATE]
        item = state.create(resource, parse_body(await request.read()))
        data = item.view(state.clock.now())
        message = f"{resource.noun.capitalize()} created"
        return created_response(request.rel_url.raw_path, message, data)

    return create


def _redirect_target(request: web.Request) -> str:
    return f"{request.app[STATE].storage_url}/redirected{request.raw_path}"


def make_api_app(state: FakeState, faults: Faults) -> web.Application:
    """The API application over ``state``."""
    app = web.Application(middlewares=[_middleware], client_max_size=MAX_BODY_BYTES)
    app[STATE] = state
    app[RUNNER] = FaultRunner(
        faults, state.closing, state.clock, storage=False, redirect_to=_redirect_target
    )
    for resource in FAKE_RESOURCES:
        _add_routes(app.router, resource)
    return app


def _add_routes(router: web.UrlDispatcher, resource: FakeResource) -> None:
    path = resource.path
    router.add_get(path, _lister(resource), name=resource.list_route, allow_head=False)
    router.add_post(path, _creator(resource), name=resource.create_route)
    router.add_get(
        f"{path}/{{{resource.noun}_id}}",
        _retriever(resource),
        name=resource.retrieve_route,
        allow_head=False,
    )
