"""Imports end to end against the fake: list, retrieve, create, wait, files, rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from packagex_async import (
    BadRequestError,
    FileNotAvailableError,
    Import,
    ImportStatus,
    JobFailedError,
    PackageX,
)
from packagex_async.testing import FakePackageX

from .conftest import JobWaits

# A created import moves a status every STEP seconds of the fake's clock; ``job_waits``
# makes run()'s polling sleeps (3 s, growing by half) move that clock instead of waiting:
# no poll falls less than 2.5 s before a step, so a slow machine cannot skip a status.
STEP = 10.0


@pytest.fixture
async def fake() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(seeded={"imports": 23}, seed=4, step_seconds=STEP) as server:
        yield server


@pytest.fixture
async def px(fake: FakePackageX) -> AsyncIterator[PackageX]:
    async with PackageX(fake.api_key, base_url=fake.url) as client:
        yield client


async def test_every_seeded_import_is_listed_ten_to_a_page(
    fake: FakePackageX, px: PackageX
) -> None:
    pages = [page async for page in px.imports.list().pages()]

    assert [len(page.data) for page in pages] == [10, 10, 3]
    assert [i.id for page in pages for i in page.data] == [i["id"] for i in fake.items("imports")]
    assert {r.query["limit"] for r in fake.requests if r.route == "list_imports"} == {"10"}
    assert all(isinstance(i, Import) and i.name for page in pages for i in page.data)


async def test_a_retrieved_import_has_the_import_fields_and_its_file_urls(
    fake: FakePackageX, px: PackageX
) -> None:
    seeded = next(i for i in fake.items("imports") if i["has_errors_file"])

    found = await px.imports.retrieve(seeded["id"], include_errors_csv=True)

    assert found.id == seeded["id"]
    assert found.created_by == seeded["created_by"]
    assert found.has_errors_file is True
    assert found.errors_csv_url is not None
    assert found.upload_json_url is None  # not asked for
    assert [p.name for p in found.phases][:4] == [
        "prevalidation",
        "preparsing",
        "transforming",
        "parsing",
    ]


async def test_an_import_of_rows_moves_to_completed_and_serves_its_rejected_rows(
    fake: FakePackageX, px: PackageX, tmp_path: Path, job_waits: JobWaits
) -> None:
    rows = [{"name": "Ada"}, {"name": ""}, {"name": "Grace"}]
    seen: list[str] = []

    done = await px.imports.run(
        resource="contact",
        action="merge",
        data=rows,
        path=tmp_path / "errors.csv",
        on_progress=lambda job: seen.append(str(job.status)),
        poll_interval=3.0,
    )
    errors = [row async for row in px.imports.rows(done.id, "errors_csv")]
    upload = [row async for row in px.imports.rows(done.id, "upload_json")]

    assert done.status is ImportStatus.COMPLETED
    polls = ["queued"] * 3 + ["processing", "completed"]  # at 0, 3, 7.5 | 14.25 | 24.375
    assert seen == polls
    assert job_waits.sleeps == [3.0, 4.5, 6.75, 10.125]
    assert (done.has_upload_file, done.has_errors_file) == (True, True)
    assert [row["row"] for row in errors] == ["2"]
    assert upload == rows
    assert (tmp_path / "errors.csv").read_text().startswith("row,")
    (created,) = fake.created("imports")
    assert created["id"] == done.id
    assert sum(1 for r in fake.requests if r.route == "create_import") == 1
    assert fake.key_leaks == 0
    assert fake.api_key not in repr(done)


async def test_an_unreadable_file_fails_the_import(px: PackageX, job_waits: JobWaits) -> None:
    with pytest.raises(JobFailedError, match="import imp_.* ended failed") as caught:
        await px.imports.run(
            resource="group", action="merge", file=b"name\n\xff\xfe\n", poll_interval=3.0
        )

    assert isinstance(caught.value.job, Import)


async def test_an_async_import_waits_for_its_upload_without_files(px: PackageX) -> None:
    job = await px.imports.create(resource="contact", action="merge", upload_mode="async")

    again = await px.imports.retrieve(job.id)
    assert again.status is ImportStatus.REQUESTED
    assert again.has_upload_file is False
    with pytest.raises(FileNotAvailableError, match="upload files exist only"):
        await px.imports.download(job.id, "upload_csv", "never.csv")


async def test_the_fake_refuses_what_the_docs_refuse(fake: FakePackageX, px: PackageX) -> None:
    bodies = [
        {"resource": "contact", "action": "merge", "upload_mode": "async", "data": [{"n": 1}]},
        {"resource": "contact", "action": "merge", "upload_mode": "sync"},
        {"resource": "shipment", "action": "merge", "upload_mode": "sync", "data": [{"n": 1}]},
    ]
    problems = []
    for body in bodies:
        with pytest.raises(BadRequestError) as caught:
            await px.imports.create(
                resource="contact", action="merge", upload_mode="async", extra_body=body
            )
        problems.append({e["property"] for e in caught.value.errors})

    assert problems == [{"data"}, {"data"}, {"resource"}]
    assert fake.created("imports") == []


async def test_retrieve_many_and_the_wait_of_a_seeded_moving_import(
    fake: FakePackageX, px: PackageX
) -> None:
    moving = fake.add("imports", status="queued", final_status="failed", step_seconds=0.05)
    ids = [moving["id"], fake.items("imports")[0]["id"], "imp_missing"]

    results = await px.imports.retrieve_many(ids, include_upload_csv=True)
    ended = await px.imports.wait(moving["id"], poll_interval=0.02)

    assert [r.ok for r in results] == [True, True, False]
    assert ended.status is ImportStatus.FAILED
