"""Carrying out an injected fault on one request (the kinds are listed in ``_faults``).

Most kinds replace the response before the handler runs; ``truncate`` and
``invalid_json`` need the real body, so they rewrite the handler's response afterwards;
the ``_after`` kinds let the handler run (a create stores its job) and then act as
their plain kind would have, replacing the answer (``stall_after`` sends the real answer
if the client outlasts the stall).
Every wait (latency, stall) counts on the fake's clock, so ``fake.clock.advance`` ends it
as real time would (within ``POLL_SECONDS``), and wakes up when the fake starts closing,
so shutdown never waits for an injected delay. A ``Retry-After`` date is two seconds
after the request's ``time`` (when the fake read it, on its clock).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from email.utils import formatdate

from aiohttp import web

from ._clock import Clock
from ._envelope import error_response, xml_error
from ._faults import Fault, Faults

__all__ = ["RUNNER", "FaultRunner", "pause", "pause_on"]

POST_KINDS = frozenset({"truncate", "invalid_json"})
DEFAULT_STALL = 30.0
POLL_SECONDS = 0.05
BAD_GATEWAY = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)
# (status, envelope code, storage XML code, message) per error kind.
ERRORS = {
    "500": (500, "internal_error", "InternalError", "Injected internal error"),
    "503": (503, "service_unavailable", "ServiceUnavailable", "Injected: service unavailable"),
    "429": (429, "rate_limited", "SlowDown", "Injected: too many requests"),
}


async def pause(seconds: float, closing: asyncio.Event) -> bool:
    """Sleep ``seconds`` unless the fake closes first; True if it is closing."""
    if closing.is_set() or seconds <= 0:
        return closing.is_set()
    try:
        await asyncio.wait_for(closing.wait(), seconds)
    except asyncio.TimeoutError:
        return False
    return True


async def pause_on(clock: Clock, seconds: float, closing: asyncio.Event) -> bool:
    """Wait ``seconds`` on ``clock`` unless the fake closes first; True if it is closing."""
    deadline = clock.now() + seconds
    while (remaining := deadline - clock.now()) > 0:
        if await pause(min(POLL_SECONDS, remaining), closing):
            return True
    return closing.is_set()


def _gone(request: web.BaseRequest) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


def _retry_after(arg: str | None, received: float) -> dict[str, str]:
    if arg == "none":
        return {}
    if arg == "date":
        return {"Retry-After": formatdate(received + 2, usegmt=True)}
    return {"Retry-After": arg or "1"}


class FaultRunner:
    """Applies ``faults`` for one server (``storage`` selects XML error bodies).

    Waits count on ``clock``; ``received`` is the request's ``time`` on it.
    """

    def __init__(
        self,
        faults: Faults,
        closing: asyncio.Event,
        clock: Clock,
        *,
        storage: bool,
        redirect_to: Callable[[web.Request], str],
    ) -> None:
        self._faults = faults
        self._closing = closing
        self._clock = clock
        self._storage = storage
        self._redirect_to = redirect_to

    async def before(
        self, request: web.Request, route: str, page: int | None, received: float
    ) -> tuple[Fault | None, web.StreamResponse | None]:
        """Wait out any latency, pick the fault; a response here replaces the handler's."""
        if await pause_on(self._clock, self._faults.delay(route, page), self._closing):
            return None, self._error(request, 503, "shutting_down", "ServiceUnavailable", "closing")
        fault = self._faults.next(route, page)
        if fault is None or fault.kind in POST_KINDS or fault.after:
            return fault, None
        return fault, await self._act(request, fault, received)

    async def after(
        self,
        request: web.Request,
        fault: Fault | None,
        response: web.StreamResponse,
        received: float,
    ) -> web.StreamResponse:
        """Rewrite the handler's ``response`` for the post-handler kinds."""
        if fault is not None and fault.after:
            return await self._act(request, fault.base, received) or response
        if fault is None or fault.kind not in POST_KINDS or not isinstance(response, web.Response):
            return response
        body = response.body if isinstance(response.body, bytes) else b""
        if fault.kind == "invalid_json":
            half = body[: len(body) // 2]
            return web.Response(body=half, status=200, content_type="application/json")
        return await _truncate(request, response, body)

    async def _act(
        self, request: web.Request, fault: Fault, received: float
    ) -> web.StreamResponse | None:
        kind = fault.kind
        if kind in ERRORS:
            status, code, xml_code, message = ERRORS[kind]
            headers = _retry_after(fault.arg, received) if kind != "500" else {}
            return self._error(request, status, code, xml_code, message, headers)
        if kind == "502":
            return web.Response(text=BAD_GATEWAY, status=502, content_type="text/html")
        if kind == "redirect":
            return web.Response(status=302, headers={"Location": self._redirect_to(request)})
        if kind == "reset":
            return _reset(request)
        return await self._stall(request, float(fault.arg or DEFAULT_STALL))

    async def _stall(self, request: web.Request, seconds: float) -> web.StreamResponse | None:
        """Wait; None means the client is still there after ``seconds``: answer normally."""
        deadline = self._clock.now() + seconds
        while not _gone(request):
            remaining = deadline - self._clock.now()
            if remaining <= 0:
                return None
            if await pause(min(POLL_SECONDS, remaining), self._closing):
                break
        return self._error(request, 503, "shutting_down", "ServiceUnavailable", "stalled")

    def _error(
        self,
        request: web.Request,
        status: int,
        code: str,
        xml_code: str,
        message: str,
        headers: dict[str, str] | None = None,
    ) -> web.Response:
        if self._storage:
            return xml_error(status, xml_code, message, headers)
        return error_response(request.rel_url.raw_path, status, code, message, headers=headers)


def _reset(request: web.Request) -> web.Response:
    """Close the connection; aiohttp then fails to write this placeholder and moves on."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=500)


async def _truncate(
    request: web.Request, response: web.Response, body: bytes
) -> web.StreamResponse:
    """Send ``response``'s headers with the full length, half the body, then hang up."""
    cut = web.StreamResponse(status=response.status, headers=response.headers)
    cut.content_length = len(body)
    await cut.prepare(request)
    await cut.write(body[: len(body) // 2])
    if request.transport is not None:
        request.transport.close()
    return cut


RUNNER = web.AppKey("packagex_fake_fault_runner", FaultRunner)
