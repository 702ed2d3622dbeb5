"""Added items and jobs that move with the fake clock (or real time)."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from packagex_async.testing import FakePackageX

from ._helpers import data, list_all

STEP = 10.0  # long steps + clock.advance: no dependence on real timing


async def _batch(http: aiohttp.ClientSession, fake: FakePackageX, batch_id: str) -> Any:
    return await data(http, fake, f"/v1/batches/{batch_id}")


async def test_added_batch_is_the_newest(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    newest_before = fake.batches[-1]
    added = fake.add_batch(resource="tracker", rows=12)
    assert added["created_at"] > newest_before["created_at"]
    assert added["resource"] == "tracker"
    assert added["status"] == "completed"
    assert added["phases"][0]["total"] == 12
    listed = await list_all(http, fake, "/v1/batches", {"limit": "50"})
    assert listed[-1] == added
    assert len(listed) == 61


async def test_added_export_is_the_newest(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    added = fake.add_export(name="Quarterly pallets", rows=7)
    assert added["count_total"] == 7
    assert fake.exports[-1] == added
    found = await data(http, fake, "/v1/exports", {"search": "pallets"})
    assert found == [added]


async def test_batch_moves_from_queued_to_completed(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    added = fake.add_batch(status="queued", final_status="completed", step_seconds=STEP, rows=100)
    assert added["status"] == "queued"
    fake.clock.advance(STEP * 1.25)
    early = await _batch(http, fake, added["id"])
    fake.clock.advance(STEP * 0.5)
    later = await _batch(http, fake, added["id"])
    fake.clock.advance(STEP)
    done = await _batch(http, fake, added["id"])
    assert (early["status"], later["status"], done["status"]) == (
        "processing",
        "processing",
        "completed",
    )
    progress = [sum(p["processed"] for p in b["phases"]) for b in (early, later, done)]
    assert 0 < progress[0] < progress[1] < progress[2]
    assert all(p["processed"] == p["total"] for p in done["phases"])
    assert added["updated_at"] <= early["updated_at"] <= done["updated_at"]
    assert fake.batch(added["id"]) == done


@pytest.mark.parametrize("final", ["failed", "timed_out", "expired"])
async def test_batch_reaches_other_final_statuses(
    fake: FakePackageX, http: aiohttp.ClientSession, final: str
) -> None:
    added = fake.add_batch(status="requested", final_status=final, step_seconds=STEP)
    fake.clock.advance(STEP * 3.5)
    done = await _batch(http, fake, added["id"])
    assert done["status"] == final
    assert (done["reason"] is not None) == (final == "failed")
    unfinished = [phase["name"] for phase in done["phases"] if phase["processed"] < phase["total"]]
    if final == "expired":
        assert all(phase["processed"] == 0 for phase in done["phases"])
    else:
        assert unfinished


async def test_moving_batch_is_found_by_its_current_status(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    added = fake.add_batch(final_status="completed", step_seconds=STEP)
    queued = await list_all(http, fake, "/v1/batches", {"status": "queued"})
    fake.clock.advance(STEP * 1.5)
    processing = await list_all(http, fake, "/v1/batches", {"status": "processing"})
    assert added["id"] in {b["id"] for b in queued}
    assert added["id"] in {b["id"] for b in processing}


async def test_result_url_appears_once_the_batch_is_done(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    added = fake.add_batch(final_status="completed", step_seconds=STEP, rows=10, errors=0)
    path = f"/v1/batches/{added['id']}"
    flags = {"include_result_json": "true"}
    assert (await data(http, fake, path, flags))["_result_json_url"] is None
    fake.clock.advance(STEP * 3)
    assert (await data(http, fake, path, flags))["_result_json_url"] is not None


async def test_export_moves_and_its_files_appear_when_completed(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    added = fake.add_export(final_status="completed", step_seconds=STEP, rows=5)
    path, flags = f"/v1/exports/{added['id']}", {"include_json": "true"}
    seen = []
    for _ in range(3):
        found = await data(http, fake, path, flags)
        seen.append((found["status"], found["_json_url"] is not None))
        fake.clock.advance(STEP)
    assert seen == [("queued", False), ("processing", False), ("completed", True)]


async def test_order_by_updated_at_follows_moving_exports(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    added = fake.add_export(final_status="failed", step_seconds=STEP)
    fake.clock.advance(STEP * 5)
    params = {"order_by": "updated_at", "direction": "desc", "limit": "1"}
    newest = await data(http, fake, "/v1/exports", params)
    assert newest[0]["id"] == added["id"]
    assert newest[0]["status"] == "failed"


async def test_jobs_advance_in_real_time(fake: FakePackageX, http: aiohttp.ClientSession) -> None:
    added = fake.add_batch(status="queued", final_status="completed", step_seconds=0.05)
    assert added["status"] == "queued"
    statuses: list[str] = []
    while not statuses or statuses[-1] != "completed":  # no clock.advance: real time only
        status = (await _batch(http, fake, added["id"]))["status"]
        if not statuses or statuses[-1] != status:
            statuses.append(status)
        await asyncio.sleep(0.01)
    order = ["queued", "processing", "completed"]
    assert statuses == sorted(statuses, key=order.index)  # forward only, ending completed


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": "completed", "final_status": "failed"},
        {"final_status": "done"},
        {"final_status": "completed", "step_seconds": 0},
        {"rows": -1},
    ],
)
def test_bad_job_definitions_are_refused(kwargs: dict[str, Any]) -> None:
    fake = FakePackageX(batches=0, exports=0)
    with pytest.raises(ValueError, match=r"status|step|rows"):
        fake.add_batch(**kwargs)


def test_exports_cannot_end_expired() -> None:
    fake = FakePackageX(batches=0, exports=0)
    with pytest.raises(ValueError, match="final_status"):
        fake.add_export(final_status="expired")


def test_clock_only_moves_forward() -> None:
    fake = FakePackageX(batches=0, exports=0)
    with pytest.raises(ValueError, match="forward"):
        fake.clock.advance(-1)


async def test_snapshots_do_not_change_the_server(
    fake: FakePackageX, http: aiohttp.ClientSession
) -> None:
    first = fake.batches[0]
    first["status"] = "tampered"
    first["phases"][0]["total"] = -1
    served = await _batch(http, fake, first["id"])
    assert served["status"] != "tampered"
    assert served["phases"][0]["total"] >= 0
