"""Living inside asyncio apps: lifecycle, cancellation and load on one shared client.

"No leak" is checked two ways: no SDK task is left running, and the client's
connector holds no connection in use. aiohttp has no public count of connections in
use, so ``in_use`` reads the connector's ``_acquired`` set.
"""

from __future__ import annotations

import asyncio
import socket
import sys

import aiohttp
import pytest

from packagex_async import InternalServerError, NotFoundError, PackageX
from packagex_async.testing import FakePackageX

from ..clocks import ManualClock, before
from .conftest import expected_backoff
from .test_concurrency import sdk_tasks_pending


def in_use(px: PackageX) -> int:
    """Connections the client's connector has handed out and not yet taken back."""
    session = px._shared._session
    if session is None or session.connector is None:
        return 0
    return len(session.connector._acquired)  # type: ignore[attr-defined]


def test_a_client_built_outside_any_loop_works_inside_one() -> None:
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))  # the fake serves on this very socket: no port race
    port = listening.getsockname()[1]
    px = PackageX("px_test_key_0123456789", base_url=f"http://127.0.0.1:{port}")

    async def use() -> str:
        async with FakePackageX(batches=2, sock=listening) as fake, px:
            return (await px.batches.retrieve(fake.batches[0]["id"])).id

    assert px._shared._session is None
    assert asyncio.run(use()).startswith("batch_")
    assert px.closed


def test_using_a_client_from_a_second_loop_is_a_clear_error() -> None:
    first = asyncio.new_event_loop()
    fake = FakePackageX(batches=2)
    first.run_until_complete(fake.start())
    px = PackageX(fake.api_key, base_url=fake.url)
    try:
        first.run_until_complete(px.batches.retrieve(fake.batches[0]["id"]))

        async def from_another_loop() -> None:
            await px.batches.retrieve(fake.batches[0]["id"])

        with pytest.raises(RuntimeError) as caught:
            asyncio.run(from_another_loop())
        assert str(caught.value) == (
            "this PackageX client was first used in another event loop; its connections "
            "belong to that loop. Create one client per event loop."
        )
    finally:
        first.run_until_complete(px.close())
        first.run_until_complete(fake.close())
        first.close()


async def test_a_borrowed_session_survives_the_client(fake: FakePackageX) -> None:
    async with aiohttp.ClientSession() as session:
        async with PackageX(fake.api_key, base_url=fake.url, session=session) as px:
            await px.batches.retrieve(fake.batches[0]["id"])
        await px.close()
        assert not session.closed
        async with session.get(f"{fake.url}/v1/batches") as answer:
            assert answer.status == 401  # the session still works, and never had our key


async def test_cancelling_mid_request_leaks_nothing(fake: FakePackageX) -> None:
    fake.faults.script("retrieve_batch", ["stall"])

    async with PackageX(fake.api_key, base_url=fake.url) as px:
        task = asyncio.create_task(px.batches.retrieve(fake.batches[0]["id"]))
        await before(fake.until_received("retrieve_batch"), task)  # now stalled at the fake
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert in_use(px) == 0
        assert sdk_tasks_pending() == []
        assert (await px.batches.retrieve(fake.batches[1]["id"])).id == fake.batches[1]["id"]


async def test_cancelling_mid_backoff_returns_at_once(
    fake: FakePackageX, manual: ManualClock
) -> None:
    fake.faults.script("retrieve_batch", ["500"])

    async with PackageX(
        fake.api_key, base_url=fake.url, retry_initial_delay=20, retry_max_delay=20
    ) as px:
        task = asyncio.create_task(px.batches.retrieve(fake.batches[0]["id"]))
        await before(manual.until_sleeping(1), task)  # the 500 came: the backoff has begun
        assert manual.waits == expected_backoff(7, [20.0])
        assert in_use(px) == 0  # no connection is held while waiting
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert manual.sleeping == 0
        assert manual.now == 0  # returned without any of the backoff passing
        assert in_use(px) == 0
        assert sdk_tasks_pending() == []

    assert sum(1 for r in fake.requests if r.route == "retrieve_batch") == 1  # never retried


def hold_pages(fake: FakePackageX, pages: range) -> None:
    for page in pages:
        fake.hold("list_batches", page=page)


async def test_cancelling_mid_iteration_cancels_the_pages_in_flight(fake: FakePackageX) -> None:
    hold_pages(fake, range(2, 10))  # the eight pages fetched after the first

    async def read_all(px: PackageX) -> int:
        return len([b async for b in px.batches.list(limit=5, concurrency=8)])

    async with PackageX(fake.api_key, base_url=fake.url) as px:
        task = asyncio.create_task(read_all(px))
        await before(fake.until_in_flight("list_batches", 8), task)
        assert in_use(px) == 8
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert sdk_tasks_pending() == []
        assert in_use(px) == 0


async def test_break_then_aclose_cancels_the_pages_in_flight(fake: FakePackageX) -> None:
    hold_pages(fake, range(3, 10))  # pages 1 and 2 come back, 3 to 9 stay in flight

    async with PackageX(fake.api_key, base_url=fake.url) as px:
        paginator = px.batches.list(limit=5, concurrency=8)
        async for page in paginator.pages():
            if page.pagination.page == 2:
                break
        await fake.until_in_flight("list_batches", 7)
        assert sdk_tasks_pending() != []
        await paginator.aclose()
        assert sdk_tasks_pending() == []
        assert in_use(px) == 0


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.TaskGroup needs Python 3.11")
async def test_a_task_group_of_fetches_cancels_cleanly(fake: FakePackageX) -> None:
    fake.hold("retrieve_batch")  # only the missing export ever answers

    async with PackageX(fake.api_key, base_url=fake.url) as px:
        with pytest.raises(ExceptionGroup) as caught:  # noqa: F821 (3.11+ builtin)
            async with asyncio.TaskGroup() as group:  # type: ignore[attr-defined]
                for batch in fake.batches[:10]:
                    group.create_task(px.batches.retrieve(batch["id"]))
                group.create_task(px.exports.retrieve("exp_missing"))
        assert caught.group_contains(NotFoundError)
        assert sdk_tasks_pending() == []
        assert in_use(px) == 0


async def test_200_tasks_share_one_client_within_its_connection_limit() -> None:
    created = 0

    async def on_create(*_: object) -> None:
        nonlocal created
        created += 1

    trace = aiohttp.TraceConfig()
    trace.on_connection_create_end.append(on_create)
    async with FakePackageX(batches=300, exports=60, seed=4) as fake:
        connector = aiohttp.TCPConnector(limit=10)
        async with aiohttp.ClientSession(connector=connector, trace_configs=[trace]) as session:
            px = PackageX(fake.api_key, base_url=fake.url, session=session)

            async def lister(n: int) -> int:
                paginator = px.batches.list(limit=50, concurrency=2) if n % 2 else px.exports.list()
                return len([item async for item in paginator])

            async def retriever(n: int) -> int:
                await px.batches.retrieve(fake.batches[n]["id"])
                await px.exports.retrieve(fake.exports[n % 60]["id"])
                return 1

            work = [lister(n) for n in range(100)] + [retriever(n) for n in range(100)]
            results = await asyncio.gather(*work)

            assert results[:100] == [300 if n % 2 else 60 for n in range(100)]
            assert sum(results[100:]) == 100
            assert created <= 10
            assert len(connector._acquired) == 0  # type: ignore[attr-defined]


async def test_the_owned_connector_honours_connection_limit(fake: FakePackageX) -> None:
    fake.hold("retrieve_batch")

    async with PackageX(fake.api_key, base_url=fake.url, connection_limit=3) as px:
        work = asyncio.gather(*(px.batches.retrieve(b["id"]) for b in fake.batches[:12]))
        await before(fake.until_in_flight("retrieve_batch", 3), work)
        assert in_use(px) == 3
        fake.release("retrieve_batch")
        batches = await work

    assert [b.id for b in batches] == [b["id"] for b in fake.batches[:12]]
    assert fake.peak_in_flight("retrieve_batch") == 3


async def test_a_server_error_during_load_does_not_poison_other_tasks(fake: FakePackageX) -> None:
    fake.faults.script("retrieve_export", ["500"] * 3)

    async with PackageX(fake.api_key, base_url=fake.url, max_retries=2) as px:
        results = await asyncio.gather(
            px.exports.retrieve(fake.exports[0]["id"]),
            *(px.batches.retrieve(b["id"]) for b in fake.batches[:20]),
            return_exceptions=True,
        )

    assert isinstance(results[0], InternalServerError)
    assert all(not isinstance(r, BaseException) for r in results[1:])
