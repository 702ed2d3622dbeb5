"""Fault injection: what goes wrong, on which route (and page), and when.

Routes (``ROUTES``, from the registry): ``list_<resources>``, ``retrieve_<resource>``,
``create_<resource>`` for each resource (``list_batches``, ``retrieve_export``...) on
the API server, and ``storage`` (the presigned-URL server). ``page`` narrows a rule to
list requests for that page number (``?page=`` as sent, default 1); a page-specific
rule is consulted before the route-wide one.

Before or after the handler: the plain kinds act before the handler runs, so on a
create (``create_batch``, ``create_export``) no job exists; ``truncate`` and
``invalid_json`` rewrite the handler's answer, and the ``_after`` kinds run the handler
first and then act, so on a create the job is stored and the client does not learn it.
Either way the request is recorded in ``fake.requests`` (with its JSON body).

Fault kinds (a kind may carry an argument after a colon):

``"500"``
    500 with a JSON error envelope (storage: an XML error body).
``"502"``
    502 with an HTML body, as a load balancer sends: not JSON.
``"503"``, ``"503:<seconds>"``, ``"503:date"``, ``"503:none"``
    503 envelope with ``Retry-After: 1`` (or the given seconds, an HTTP-date 2 s after
    the request's ``time`` on the fake clock, whole seconds, or no header at all).
``"429"``, ``"429:<seconds>"``, ``"429:date"``, ``"429:none"``
    429 envelope, ``Retry-After`` as for 503.
``"reset"``
    The connection is closed without any response. Note: aiohttp clients silently resend
    an idempotent request once on such a drop, so one ``reset`` may go unseen; script
    ``["reset", "reset"]`` to make a raw aiohttp GET fail.
``"truncate"``
    The real response's headers with its full ``Content-Length``, then half the body,
    then the connection is closed.
``"stall"``, ``"stall:<seconds>"``
    Nothing is sent for 30 s (or the given seconds) on the fake clock (real time, or
    sooner with ``fake.clock.advance``) or until the client disconnects or the fake
    closes, whichever comes first; then, if the client is still there, the real response.
    Shutdown never waits for a stall: the stalled request answers 503 ``shutting_down``.
``"invalid_json"``
    200 whose body is the first half of the real JSON body (so it does not parse), with a
    matching ``Content-Length``.
``"redirect"``
    302 to another host: the storage server (API routes, under ``/redirected/...``,
    which answers 403, or 400 if the API key was forwarded) or a mirror path on storage
    (the storage route, which serves the same file).
``"500_after"``, ``"502_after"``, ``"503_after"`` (``:<seconds>``, ``:date``, ``:none``)
    The handler runs (a create stores its job), then the answer is replaced by the
    error above: a server that did the work but failed to say so.
``"reset_after"``
    The handler runs, then the connection is closed without any response. aiohttp
    clients never resend a POST by themselves, so one ``reset_after`` is seen.
``"stall_after"``, ``"stall_after:<seconds>"``
    The handler runs, then nothing is sent, as ``stall``: a client that times out has
    created the job without knowing it.
``"ok"``
    Scripts only: no fault for this request.

Rules: ``latency(route, seconds)`` delays every matching request (seconds on the fake
clock, as for ``stall``); ``script(route, kinds)`` queues kinds consumed one per
matching request (calling it again appends); ``error_rate(route, rate, kinds=...,
seed=...)`` injects a kind drawn from ``kinds`` with probability ``rate``, from its own
seeded generator so runs repeat exactly, once the scripts are empty; ``drift(route,
after_page=..., insert=..., position=...)`` adds ``insert`` items right after page
``after_page`` of a list route has been served (``"start"``: before every existing
item, shifting later pages so a client sees repeats; ``"end"``: as the newest items).
Each injected fault is appended to ``faults.injected`` as ``(route, page, kind)``.
"""

from __future__ import annotations

import collections
import dataclasses
import random
from collections.abc import Sequence
from typing import Literal

from ._registry import LIST_ROUTES, ROUTES

__all__ = ["FAULT_KINDS", "ROUTES", "Drift", "Fault", "Faults", "parse_fault"]

AFTER = "_after"
FAULT_KINDS = (
    "429",
    "500",
    "500_after",
    "502",
    "502_after",
    "503",
    "503_after",
    "invalid_json",
    "ok",
    "redirect",
    "reset",
    "reset_after",
    "stall",
    "stall_after",
    "truncate",
)
_TAKES_RETRY_AFTER = ("429", "503")
Key = tuple[str, "int | None"]


@dataclasses.dataclass(frozen=True)
class Fault:
    """A parsed fault: its ``kind`` and the optional ``arg`` after the colon."""

    kind: str
    arg: str | None = None

    def __str__(self) -> str:
        return self.kind if self.arg is None else f"{self.kind}:{self.arg}"

    @property
    def after(self) -> bool:
        """True for the ``_after`` kinds: the handler runs first, then the fault acts."""
        return self.kind.endswith(AFTER)

    @property
    def base(self) -> Fault:
        """The fault that acts (``500_after`` -> ``500``, same argument)."""
        return Fault(self.kind.removesuffix(AFTER), self.arg) if self.after else self


@dataclasses.dataclass
class Drift:
    """Insert ``insert`` items at ``position`` once page ``after_page`` has been served."""

    after_page: int
    insert: int
    position: Literal["start", "end"]


def _number(text: str) -> bool:
    try:
        return float(text) >= 0
    except ValueError:
        return False


def parse_fault(text: str) -> Fault:
    """``"429:2"`` -> Fault("429", "2"); raises ValueError for unknown kinds or arguments."""
    kind, _, arg = text.partition(":")
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {text!r}; known: {', '.join(FAULT_KINDS)}")
    if not arg:
        return Fault(kind)
    base = kind.removesuffix(AFTER)
    retry_ok = base in _TAKES_RETRY_AFTER and (arg in ("date", "none") or _number(arg))
    if retry_ok or (base == "stall" and _number(arg)):
        return Fault(kind, arg)
    raise ValueError(f"bad argument in fault {text!r}")


def _check_route(route: str, allowed: Sequence[str] = ROUTES) -> None:
    if route not in allowed:
        raise ValueError(f"unknown route {route!r}; known: {', '.join(allowed)}")


@dataclasses.dataclass
class _Rate:
    rate: float
    kinds: tuple[Fault, ...]
    rng: random.Random


class Faults:
    """The fault rules of one fake; configure from tests, consulted per request."""

    def __init__(self) -> None:
        self.injected: list[tuple[str, int | None, str]] = []
        self._latency: dict[Key, float] = {}
        self._scripts: dict[Key, collections.deque[Fault]] = {}
        self._rates: dict[Key, _Rate] = {}
        self._drifts: dict[str, list[Drift]] = {}

    def latency(self, route: str, seconds: float, *, page: int | None = None) -> None:
        """Delay every matching request by ``seconds`` before answering."""
        _check_route(route)
        self._latency[(route, page)] = seconds

    def error_rate(
        self,
        route: str,
        rate: float,
        *,
        kinds: Sequence[str] = ("500",),
        seed: int = 0,
        page: int | None = None,
    ) -> None:
        """Fail a fraction ``rate`` of matching requests with a kind drawn from ``kinds``."""
        _check_route(route)
        if not 0.0 <= rate <= 1.0 or not kinds:
            raise ValueError("rate must be within [0, 1] and kinds must not be empty")
        parsed = tuple(parse_fault(kind) for kind in kinds)
        self._rates[(route, page)] = _Rate(rate, parsed, random.Random(seed))

    def script(self, route: str, kinds: Sequence[str], *, page: int | None = None) -> None:
        """Queue ``kinds`` (e.g. ``["500", "ok"]``), one consumed per matching request."""
        _check_route(route)
        parsed = [parse_fault(kind) for kind in kinds]
        self._scripts.setdefault((route, page), collections.deque()).extend(parsed)

    def drift(
        self,
        route: str,
        *,
        after_page: int,
        insert: int,
        position: Literal["start", "end"] = "start",
    ) -> None:
        """Insert ``insert`` items at ``position`` once page ``after_page`` was served."""
        _check_route(route, LIST_ROUTES)
        if after_page < 1 or insert < 1 or position not in ("start", "end"):
            raise ValueError("after_page and insert must be >= 1, position start or end")
        self._drifts.setdefault(route, []).append(Drift(after_page, insert, position))

    def clear(self) -> None:
        """Forget every rule and the ``injected`` log."""
        self.injected.clear()
        for rules in (self._latency, self._scripts, self._rates, self._drifts):
            rules.clear()

    def delay(self, route: str, page: int | None) -> float:
        """Seconds to wait before answering this request."""
        return self._latency.get((route, page), self._latency.get((route, None), 0.0))

    def next(self, route: str, page: int | None) -> Fault | None:
        """The fault for this request (None: behave), consuming a script entry if any."""
        fault = self._scripted(route, page)
        if fault is None:
            fault = self._random(route, page)
        if fault is not None and fault.kind == "ok":
            fault = None
        if fault is not None:
            self.injected.append((route, page, str(fault)))
        return fault

    def _scripted(self, route: str, page: int | None) -> Fault | None:
        for key in ((route, page), (route, None)):
            queue = self._scripts.get(key)
            if queue:
                return queue.popleft()
        return None

    def _random(self, route: str, page: int | None) -> Fault | None:
        rule = self._rates.get((route, page)) or self._rates.get((route, None))
        if rule is None or rule.rng.random() >= rule.rate:
            return None
        return rule.rng.choice(rule.kinds)

    def take_drift(self, route: str, page: int) -> Drift | None:
        """The drift due after ``page`` of ``route`` was served (each fires once)."""
        pending = self._drifts.get(route, [])
        for drift in pending:
            if drift.after_page == page:
                pending.remove(drift)
                return drift
        return None
