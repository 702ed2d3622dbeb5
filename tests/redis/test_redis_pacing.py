"""Shared pacing in one process, against a real ``redis-server`` and the fake API.

The SDK's waits go through a ``RecordingClock`` (``recorded``): a client that must wait
for the fleet's slot or pause records that wait, so the test asserts *that* a second
client waited about as long as the first one's slot or 429 demands, not how long it took.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from packagex_async import (
    PackageX,
    PackageXTypeError,
    PackageXValueError,
    RedisPacing,
)
from packagex_async._http._clock import RecordingClock
from packagex_async.testing import FakePackageX

from ..conftest import real_waits
from ._server import RedisServer, free_port, redis_binary

PASSWORD = "s3cret-Redis-pw"


@pytest.fixture
async def fake() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=10, exports=0) as server:
        yield server


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="packagex_async")
    return caplog


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def client(fake: FakePackageX, pacing: RedisPacing, rate_limit: float | None = None) -> PackageX:
    return PackageX(fake.api_key, base_url=fake.url, rate_limit=rate_limit, pacing=pacing)


async def pacing_state(server: RedisServer, namespace: str) -> dict[bytes, bytes]:
    import redis.asyncio  # here: without redis-py the server fixture fails or skips first

    async with redis.asyncio.Redis.from_url(server.url) as direct:
        state: dict[bytes, bytes] = await direct.hgetall(f"{namespace}:pacing")
    return state


@pytest.mark.parametrize("namespace_b", ["px-test", "another"])
async def test_two_clients_of_one_namespace_share_the_rate(
    redis_server: RedisServer, fake: FakePackageX, recorded: RecordingClock, namespace_b: str
) -> None:
    ids = [batch["id"] for batch in fake.batches]
    async with (
        client(fake, RedisPacing(redis_server.url, namespace="px-test"), rate_limit=1) as a,
        client(fake, RedisPacing(redis_server.url, namespace=namespace_b), rate_limit=1) as b,
    ):
        await a.batches.retrieve(ids[0])
        assert recorded.waits == []
        await b.batches.retrieve(ids[1])
    if namespace_b == "px-test":  # b waited for the slot a's request left: ~1 s later
        assert len(recorded.waits) == 1
        assert 0.5 < recorded.waits[0] <= 1.0
    else:
        assert recorded.waits == []


async def test_a_429_seen_by_one_client_pauses_the_others(
    redis_server: RedisServer, fake: FakePackageX, recorded: RecordingClock
) -> None:
    fake.faults.script("retrieve_batch", ["429:1"])
    ids = [batch["id"] for batch in fake.batches]
    async with (
        client(fake, RedisPacing(redis_server.url, namespace="px")) as a,
        client(fake, RedisPacing(redis_server.url, namespace="px")) as b,
    ):
        await a.batches.retrieve(ids[0])  # 429, Retry-After: 1, then retried
        for _ in range(100):  # the pause reaches Redis from a task of its own
            if b"pause" in await pacing_state(redis_server, "px"):
                break
            await asyncio.sleep(0.01)
        recorded.waits.clear()
        await b.batches.retrieve(ids[1])
    assert len(recorded.waits) == 1
    assert 0.5 < recorded.waits[0] <= 1.0


class StallingClock(RecordingClock):
    """Every sleep overshoots by 0.1 s, as in a process the OS keeps waiting."""

    async def sleep(self, seconds: float) -> None:
        await super().sleep(seconds)
        self._elapsed += 0.1


async def test_a_request_woken_too_late_takes_a_new_slot_rather_than_bunch_up(
    redis_server: RedisServer,
) -> None:
    first = RedisPacing(redis_server.url)._pacer(10)
    second = RedisPacing(redis_server.url)._pacer(10)
    with real_waits(StallingClock()) as stalled:
        await first.wait_turn()  # slot 0
        await second.wait_turn()  # slot 0.1 s: woken at 0.2, too late; then 0.2 and 0.3
    await first.close()
    await second.close()
    assert len(stalled.waits) == 3  # two slots given up, then it goes anyway
    assert stalled.waits == sorted(stalled.waits)
    assert 0.05 < stalled.waits[0] <= 0.1


async def test_clients_made_by_with_options_share_the_pacing(
    redis_server: RedisServer, fake: FakePackageX, recorded: RecordingClock
) -> None:
    ids = [batch["id"] for batch in fake.batches]
    async with client(fake, RedisPacing(redis_server.url), rate_limit=1) as px:
        await px.batches.retrieve(ids[0])
        await px.with_options(timeout=5).batches.retrieve(ids[1])
    assert len(recorded.waits) == 1
    assert 0.5 < recorded.waits[0] <= 1.0


async def test_redis_unreachable_every_request_succeeds_with_one_warning(
    fake: FakePackageX, recorded: RecordingClock, logs: pytest.LogCaptureFixture
) -> None:
    url = f"redis://:{PASSWORD}@127.0.0.1:{free_port()}/0"
    ids = [batch["id"] for batch in fake.batches]
    async with client(fake, RedisPacing(url, namespace="px"), rate_limit=5) as px:
        batches = await asyncio.gather(*(px.batches.retrieve(i) for i in ids))
    assert [b.id for b in batches] == ids
    # Paced in-process at the same rate: 10 requests 0.2 s apart (the clock moves on
    # by each recorded wait).
    assert recorded.waits == pytest.approx([0.2] * 9)
    (warning,) = warnings(logs)
    assert "redis://127.0.0.1:" in warning
    assert "rate_limit=5" in warning
    assert PASSWORD not in logs.text


async def test_slow_redis_times_out_and_requests_go_on(
    fake: FakePackageX, recorded: RecordingClock, logs: pytest.LogCaptureFixture
) -> None:
    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client hangs up
        writer.close()

    silent = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    try:
        pacing = RedisPacing(f"redis://127.0.0.1:{port}/0", timeout=0.2)
        async with client(fake, pacing) as px:
            ids = [batch["id"] for batch in fake.batches]
            batches = await asyncio.gather(*(px.batches.retrieve(i) for i in ids))
    finally:
        silent.close()
        await silent.wait_closed()
    assert len(batches) == len(ids)
    (warning,) = warnings(logs)
    assert "no answer within 0.2s, twice" in warning


async def test_shared_pacing_resumes_when_redis_is_back(
    redis_server: RedisServer,
    fake: FakePackageX,
    recorded: RecordingClock,
    logs: pytest.LogCaptureFixture,
) -> None:
    ids = [batch["id"] for batch in fake.batches]
    pacing = RedisPacing(redis_server.url, namespace="px", probe_interval=0.5)
    async with client(fake, pacing, rate_limit=10) as px:
        await px.batches.retrieve(ids[0])
        redis_server.stop()
        for batch_id in ids[:3]:
            await px.batches.retrieve(batch_id)
        assert len(warnings(logs)) == 1
        redis_server.start()  # empty: the script and the schedule are gone too
        # 0.1 s apart on the recorded clock: soon past the probe interval; the probe
        # runs in the background, so the requests go on until it has answered.
        for _ in range(200):
            await px.batches.retrieve(ids[1])
            if await pacing_state(redis_server, "px") != {}:
                break  # a request took its slot from Redis again
        assert await pacing_state(redis_server, "px") != {}
    assert len(warnings(logs)) == 1
    assert any("answers again" in r.getMessage() for r in logs.records)


async def test_a_wrong_password_is_a_warning_that_never_shows_it(
    tmp_path: Path, fake: FakePackageX, recorded: RecordingClock, logs: pytest.LogCaptureFixture
) -> None:
    server = RedisServer(redis_binary(), tmp_path, password="the-right-one")
    server.start()
    try:
        url = f"redis://:{PASSWORD}@127.0.0.1:{server.port}/0"
        async with client(fake, RedisPacing(url)) as px:
            await px.batches.retrieve(fake.batches[0]["id"])
            assert PASSWORD not in repr(px) + repr(px._pacer.__dict__)
    finally:
        server.stop()
    (warning,) = warnings(logs)
    assert "AuthenticationError" in warning or "ResponseError" in warning
    assert PASSWORD not in logs.text


async def test_closing_the_client_closes_its_redis_connections(
    redis_server: RedisServer, fake: FakePackageX, recorded: RecordingClock
) -> None:
    import redis.asyncio

    async with redis.asyncio.Redis.from_url(redis_server.url) as direct:
        async with client(fake, RedisPacing(redis_server.url), rate_limit=100) as px:
            await asyncio.gather(*(px.batches.retrieve(b["id"]) for b in fake.batches))
            assert len(await direct.client_list()) > 1
        assert len(await direct.client_list()) == 1  # this one


async def test_testing_mode_paces_in_process_and_never_calls_redis(
    fake: FakePackageX, logs: pytest.LogCaptureFixture
) -> None:
    accepted: list[int] = []

    async def count(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(1)
        writer.close()

    listener = await asyncio.start_server(count, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        async with client(fake, RedisPacing(f"redis://127.0.0.1:{port}/0")) as px:
            await px.batches.retrieve(fake.batches[0]["id"])
    finally:
        listener.close()
        await listener.wait_closed()
    assert accepted == []
    assert warnings(logs) == []


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ((123,), PackageXTypeError, "url must be a string"),
        ((f"http://:{PASSWORD}@127.0.0.1:6379",), PackageXValueError, "redis://, rediss://"),
        (("redis://",), PackageXValueError, "with a host"),
        ((f"redis://:{PASSWORD}@127.0.0.1/0?db=abc",), PackageXValueError, "refused by redis-py"),
        (("redis://127.0.0.1", {"namespace": ""}), PackageXValueError, "namespace"),
        (("redis://127.0.0.1", {"namespace": "a b"}), PackageXValueError, "namespace"),
        (("redis://127.0.0.1", {"namespace": 7}), PackageXTypeError, "namespace"),
        (("redis://127.0.0.1", {"timeout": 0}), PackageXValueError, "timeout"),
        (("redis://127.0.0.1", {"probe_interval": "5"}), PackageXTypeError, "probe_interval"),
    ],
)
def test_bad_arguments_are_refused_by_name(
    arguments: tuple[object, ...], error: type[Exception], words: str
) -> None:
    *positional, options = arguments if isinstance(arguments[-1], dict) else (*arguments, {})
    with pytest.raises(error, match=words) as raised:
        RedisPacing(*positional, **options)  # type: ignore[arg-type]
    assert PASSWORD not in str(raised.value)


def test_pacing_must_be_a_redis_pacing() -> None:
    with pytest.raises(PackageXTypeError, match="pacing must be a RedisPacing"):
        PackageX("key-123456", pacing="redis://127.0.0.1:6379")  # type: ignore[arg-type]


def test_repr_shows_the_server_but_never_the_password() -> None:
    pacing = RedisPacing(f"redis://user:{PASSWORD}@redis.internal:6380/2?password={PASSWORD}")
    assert repr(pacing) == "RedisPacing('redis://redis.internal:6380/2', namespace='packagex')"


def test_a_unix_socket_url_shows_its_path_only() -> None:
    pacing = RedisPacing(f"unix:///run/redis.sock?db=2&password={PASSWORD}")
    assert repr(pacing) == "RedisPacing('unix:///run/redis.sock', namespace='packagex')"


def test_importing_the_sdk_does_not_import_redis() -> None:
    code = "import sys, packagex_async; print('redis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_redis_py_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    monkeypatch.setitem(sys.modules, "redis.asyncio", None)
    with pytest.raises(ImportError, match=r"packagex_async\[redis\]"):
        RedisPacing("redis://127.0.0.1:6379/0")
