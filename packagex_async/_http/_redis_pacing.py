"""Pacing shared by every client of a fleet through Redis: one rate, one 429 pause.

``RedisPacing`` is what users pass (``PackageX(rate_limit=N, pacing=RedisPacing(url))``);
each client turns it into a ``RedisPacer``, a ``Pacer`` whose turns come from Redis.

How the shared rate works (a generic cell rate algorithm, kept by one Lua script so
that reading and updating the schedule is one atomic step in Redis, with Redis's own
clock, so the hosts' clocks never matter): the namespace's hash holds the time of the
next free slot. A request takes that slot (or now, if it is later), moves it on by
``1 / rate_limit`` and sleeps until its slot. Slots are spaced exactly, so any
1-second window holds at most ``rate_limit + 1`` slots. What a server counts can be
higher only by requests that left late and bunched up with the next ones; a request
more than 40 ms past its slot (its process stalled) takes a new slot instead (twice at
most, then it goes), so a stall adds about 4% of the rate to a window, and costs slots.

How the shared pause works: a 429 with ``Retry-After`` sets the namespace's pause end,
pushes the next free slot past it and bumps an epoch. A request that slept until its
slot (more than 10 ms) asks again before sending; if the epoch moved, its slot is
void and it takes a new one after the pause. So two round trips to Redis for a
request that waits, one for a request that does not.

redis-py is imported only when a ``RedisPacing`` is made, so ``import packagex_async``
never needs it.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import yarl

from .._params import check_seconds, check_text, keeping_no_secret, wrong_value
from ._clock import clock
from ._pacing import Pacer
from ._redact import MASK, Redactor
from ._retry import testing_enabled

if TYPE_CHECKING:  # pragma: no cover
    import redis.asyncio

__all__ = ["RedisPacer", "RedisPacing", "shown_url"]

logger = logging.getLogger("packagex_async")

DEFAULT_TIMEOUT = 0.5
"""Seconds a Redis connect or read may take (a LAN answers in ~1 ms); retried once."""

DEFAULT_PROBE_INTERVAL = 1.0
"""Seconds between attempts to go back to Redis while it is down."""

_CONFIRM_AFTER = 10_000
"""Microseconds: a request that slept longer for its slot asks Redis again before it goes."""

_LATE = 0.04
"""Seconds past its slot after which a request takes a new one (see ``_shared_turn``)."""

_LATE_TRIES = 2

_CONNECTIONS = 4
"""Redis calls at once per client: one takes ~0.2 ms, so a few serve hundreds of tasks."""

_SCHEMES = ("redis", "rediss", "unix")
_US = 1_000_000  # the script counts in microseconds of Redis's clock

# KEYS[1]: the namespace's hash. ARGV[1]: "turn" or "pause". ARGV[2]: the client's
# spacing (turn) or the pause (pause), in microseconds. ARGV[3] (turn): the epoch of
# a slot the caller already holds, or -1. Returns {microseconds to wait, epoch}.
_SCRIPT = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local s = redis.call('HMGET', KEYS[1], 'next', 'pause', 'epoch')
local nxt = tonumber(s[1]) or 0
local pause = tonumber(s[2]) or 0
local epoch = tonumber(s[3]) or 0
local arg = tonumber(ARGV[2])
local delay = 0
if ARGV[1] == 'pause' then
  if now + arg > pause then
    pause = now + arg
    epoch = epoch + 1
    if nxt < pause then nxt = pause end
    redis.call('HSET', KEYS[1], 'next', nxt, 'pause', pause, 'epoch', epoch)
  end
elseif tonumber(ARGV[3]) ~= epoch then
  local start = math.max(now, pause)
  if arg > 0 then
    start = math.max(start, nxt)
    nxt = start + arg
    redis.call('HSET', KEYS[1], 'next', nxt)
  end
  delay = start - now
end
redis.call('PEXPIRE', KEYS[1], math.floor((math.max(nxt, pause, now) - now) / 1000) + 60000)
return {delay, epoch}
"""


class RedisPacing:
    """Shares ``rate_limit`` and the 429 pause among every client, in any process on any
    host, that uses the same Redis server and ``namespace``.

    ``PackageX(rate_limit=N, pacing=RedisPacing("redis://host:6379/0", namespace="px-prod"))``:
    ``N`` is then the fleet's total of requests per second: at most ``N + 1`` requests
    start in any 1-second window, spaced ``1/N`` seconds apart (a request whose process
    stalled over 40 ms past its slot takes a new one rather than bunch up). A 429 with
    ``Retry-After`` seen by any client holds every client of the namespace until it has
    passed. Without ``rate_limit`` only the pause is shared. Clients of one namespace
    should use one ``rate_limit``: each request is spaced by its own client's.

    When Redis fails (unreachable, refusing, or silent for ``timeout`` seconds on a
    connect or a read, twice: each is retried once on a fresh connection), no request
    fails because of it: the client paces on its own at the same ``rate_limit`` (so the
    fleet may send up to ``N`` per process), logs ONE warning on the ``packagex_async``
    logger, tries Redis again every ``probe_interval`` seconds in the background (no
    request waits for the try) and goes back to shared pacing by itself when Redis
    answers (logged at INFO). A password in ``url`` is never shown in a message, a
    repr or a log.

    Needs redis-py: ``pip install 'packagex_async[redis]'``. Each client opens its own
    Redis connections on first use and closes them when it is closed; clients made by
    ``with_options`` share them. In testing mode (``set_testing``) Redis is not used.
    """

    @keeping_no_secret
    def __init__(
        self,
        url: str,
        *,
        namespace: str = "packagex",
        timeout: float = DEFAULT_TIMEOUT,
        probe_interval: float = DEFAULT_PROBE_INTERVAL,
    ) -> None:
        self._secrets = _check_url(url)
        self._url = url
        self.namespace: str = _check_namespace(namespace)
        self.timeout: float = check_seconds("timeout", timeout)
        self.probe_interval: float = check_seconds("probe_interval", probe_interval)
        self._check_with_redis_py()  # a missing redis-py is said now, not at the first request

    def __repr__(self) -> str:
        if "namespace" not in self.__dict__:  # the constructor raised; trackers still ask
            return "<RedisPacing not constructed>"
        return f"RedisPacing({self.where!r}, namespace={self.namespace!r})"

    @property
    def where(self) -> str:
        """The Redis server as ``scheme://host:port/db``: no password, no query."""
        return shown_url(self._url)

    def _check_with_redis_py(self) -> None:
        """What redis-py would refuse at the first request (``?db=abc``), refused now."""
        try:
            _redis_module().connection.parse_url(self._url)
        except ValueError as error:
            wrong_value(f"url {self.where} is refused by redis-py: {self._scrub(str(error))}")

    def _scrub(self, text: str) -> str:
        """``text`` without the password, however short (the ``Redactor`` skips short ones)."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def _pacer(self, rate_limit: float | None) -> RedisPacer:
        """The pacer of one client (and of the clients its ``with_options`` makes)."""
        return RedisPacer(self, rate_limit)


class RedisPacer(Pacer):
    """A ``Pacer`` that takes its turns from Redis, and its own while Redis is down."""

    def __init__(self, pacing: RedisPacing, rate_limit: float | None) -> None:
        super().__init__(rate_limit)
        self._pacing = pacing
        self._rate_limit = rate_limit
        self._spacing = 0 if rate_limit is None else max(1, round(_US / rate_limit))
        self._key = f"{pacing.namespace}:pacing"
        self._redactor = Redactor(pacing._secrets)
        self._redis: redis.asyncio.Redis | None = None
        self._script: Any = None
        self._slots = asyncio.Semaphore(_CONNECTIONS)
        self._down_until = -math.inf
        self._warned = False
        self._probing = False
        self._tasks: set[asyncio.Task[None]] = set()

    def ready(self) -> bool:
        """Never at once while sharing: the fleet's pause lives in Redis."""
        if testing_enabled():
            return super().ready()
        return False

    async def wait_turn(self) -> None:
        """Return when this request may start: the fleet's turn, or this client's."""
        if testing_enabled() or self._probing or clock().monotonic() < self._down_until:
            await super().wait_turn()
        elif self._down_until != -math.inf:  # down, and time to try again: in the background
            self._probing = True
            self._in_background(self._probe())
            await super().wait_turn()
        elif await self._shared_turn():
            await self.wait_pause()  # this client's own 429, before Redis has it
        else:
            await super().wait_turn()

    def pause(self, seconds: float) -> None:
        """Hold this client's requests at once, and the fleet's once Redis has it."""
        super().pause(seconds)
        if testing_enabled() or clock().monotonic() < self._down_until:
            return
        self._in_background(self._share_pause(seconds))

    async def close(self) -> None:
        """Wait for pauses still being shared, then close the Redis connections."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        client, self._redis, self._script = self._redis, None, None
        if client is not None:
            await client.aclose()

    async def _shared_turn(self) -> bool:
        """Wait for a slot from Redis; False (and this client paces alone) if Redis fails.

        A request that finds itself over ``_LATE`` seconds past its slot (its process
        stalled) takes a new one rather than go out bunched with the next requests,
        up to ``_LATE_TRIES`` times. ``due`` is measured from when Redis was asked, the
        earliest the slot can be on this host's clock, so a stalled answer counts too.
        """
        time = clock()
        held, lost, due = -1, 0, 0.0
        while True:
            answer = await self._call("turn", self._spacing, held)
            if answer is None:
                return False
            delay, epoch, asked = answer
            if epoch != held:  # a new slot: the first, or one after a pause voided ours
                held, due = epoch, asked + delay / _US
                if delay > 0:
                    await time.sleep(delay / _US)
                    if delay > _CONFIRM_AFTER:
                        continue  # ask again: did a pause void it meanwhile?
            late = self._spacing and time.monotonic() - due > _LATE  # no slot: never late
            if not late or lost >= _LATE_TRIES:
                return True
            lost, held = lost + 1, -1

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` without holding a request; ``close`` waits for it."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _probe(self) -> None:
        """Is Redis back? (a pause check that takes no slot); no request waits for it."""
        try:
            await self._call("turn", 0, -1)
        finally:
            self._probing = False

    async def _share_pause(self, seconds: float) -> None:
        await self._call("pause", max(1, round(seconds * _US)), -1)

    async def _call(self, *args: str | int) -> tuple[int, int, float] | None:
        """The script's answer (and when it was asked), or None once Redis failed
        (logged once per outage)."""
        try:
            script = self._client_script()
            async with self._slots:  # a burst queues for a few connections, not one each
                asked = clock().monotonic()
                if asked < self._down_until:
                    return None  # Redis failed while this call queued
                answer = await script(keys=[self._key], args=list(args))
            delay, epoch = (int(value) for value in answer)
        except Exception as error:  # no request fails because of Redis
            self._went_down(error)
            return None
        if self._down_until != -math.inf:
            self._down_until = -math.inf
            self._warned = False
            logger.info("Redis %s answers again: pacing is shared again", self._pacing.where)
        return delay, epoch, asked

    def _client_script(self) -> Any:
        """The script, on a client whose connects and reads time out after ``timeout``
        seconds, each retried once on a fresh connection (a restarted Redis, or this
        process too busy to read an answer in time, is not an outage)."""
        if self._script is None:
            client = _redis_module().Redis.from_url(
                self._pacing._url,
                socket_timeout=self._pacing.timeout,
                socket_connect_timeout=self._pacing.timeout,
                **_one_retry(),
            )
            self._redis, self._script = client, client.register_script(_SCRIPT)
        return self._script

    def _reason(self, error: Exception) -> str:
        if "Timeout" in type(error).__name__:
            return f"no answer within {self._pacing.timeout:g}s, twice"
        return self._pacing._scrub(self._redactor.exception(error))

    def _went_down(self, error: Exception) -> None:
        self._down_until = clock().monotonic() + self._pacing.probe_interval
        if self._warned:
            return
        self._warned = True
        rate = "no rate limit" if self._rate_limit is None else f"rate_limit={self._rate_limit:g}"
        logger.warning(
            "Redis %s failed (%s); pacing in this process alone (%s) until it answers "
            "again (tried every %gs)",
            self._pacing.where,
            self._reason(error),
            rate,
            self._pacing.probe_interval,
        )


def _redis_module() -> Any:
    """``redis.asyncio``, or a clear error naming the extra that installs it."""
    try:
        import redis.asyncio
    except ImportError:
        raise ImportError(
            "RedisPacing needs redis-py: pip install 'packagex_async[redis]'"
        ) from None
    return redis.asyncio


def _one_retry() -> dict[str, Any]:
    """One immediate retry on a fresh connection, after a dropped connection or a timeout.

    Both settings: redis-py 5 retries only the errors in ``retry_on_error``, later
    versions the ``retry``'s own ``supported_errors``.
    """
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff
    from redis.exceptions import ConnectionError, TimeoutError

    errors = (ConnectionError, TimeoutError, OSError)
    return {"retry": Retry(NoBackoff(), 1, supported_errors=errors), "retry_on_error": [*errors]}


def _check_url(url: Any) -> list[str]:
    """Check ``url``; return its secrets (password, in every spelling) for redaction."""
    text = check_text("url", url)
    try:
        parsed = yarl.URL(text)
    except ValueError:
        wrong_value("url is not a valid URL; expected redis://[:password@]host[:port][/db]")
    if parsed.scheme not in _SCHEMES or (parsed.scheme != "unix" and not parsed.host):
        wrong_value(
            f"url must be a redis://, rediss:// or unix:// URL with a host, got {shown_url(text)}"
        )
    secrets = [parsed.password or "", parsed.raw_password or ""]
    secrets += [value for name, value in parsed.query.items() if name == "password"]
    return [secret for secret in secrets if secret]


def _check_namespace(namespace: Any) -> str:
    text = check_text("namespace", namespace)
    if not text or any(ch.isspace() or ord(ch) < 32 for ch in text):
        wrong_value(f"namespace must be a non-empty name without whitespace, got {text!r}")
    return text


def shown_url(url: str) -> str:
    """``url`` without userinfo, query or fragment (never raises)."""
    try:
        parsed = yarl.URL(url)
        if parsed.scheme == "unix":
            return f"unix://{parsed.path}"
        shown = parsed.with_user(None).with_query(None).with_fragment(None)
    except (ValueError, TypeError):
        return "(an unreadable URL)"
    return str(shown)
