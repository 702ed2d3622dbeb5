"""The whole round trip against the fake: create, wait, download, read rows; no duplicates."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from packagex_async import (
    APIConnectionError,
    Export,
    InternalServerError,
    JobFailedError,
    PackageX,
    PackageXValueError,
    since,
)
from packagex_async.testing import FakePackageX


def posts(fake: FakePackageX, route: str) -> int:
    return sum(1 for r in fake.requests if r.route == route)


@pytest.fixture
async def fake() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=5, exports=5, seed=3, step_seconds=0.05) as server:
        yield server


async def test_export_shipments_since_a_date_with_selected_columns(
    fake: FakePackageX, tmp_path: Path
) -> None:
    target = tmp_path / "shipments.csv"
    columns = {"tracking_number": True, "id": True}
    async with PackageX(fake.api_key, base_url=fake.url) as px:
        export = await px.exports.run(
            resource="shipment",
            options={"created_at": since(dt.date(2024, 1, 1)), "limit": "all"},
            csv_field_options={"columns": columns},
            path=target,
            poll_interval=0.02,
        )
        rows = [row async for row in px.exports.rows(export.id, format="csv")]

    assert isinstance(export, Export)
    assert export.status == "completed"
    header, *records = list(csv.reader(io.StringIO(target.read_text())))
    assert header == ["tracking_number", "id"]
    assert len(records) == export.count_total == len(rows) > 0
    assert [list(row) for row in rows[:1]] == [["tracking_number", "id"]]
    assert posts(fake, "create_export") == 1
    (created,) = fake.created_exports
    assert created["id"] == export.id


async def test_a_batch_of_three_contacts_reports_three_in_its_phases(fake: FakePackageX) -> None:
    rows = [{"name": "Ada"}, {"name": "Grace"}, {"name": "Edsger"}]
    async with PackageX(fake.api_key, base_url=fake.url) as px:
        batch = await px.batches.run(
            resource="contact", action="merge", data=rows, save_result=True, poll_interval=0.02
        )
        results = [row async for row in px.batches.rows(batch.id, "result_json")]

    assert batch.status == "completed"
    assert [phase.name for phase in batch.phases] == ["parsing", "validation", "processing"]
    assert all(phase.total == 3 for phase in batch.phases)
    assert len(results) == 3


async def test_a_batch_that_fails_raises_job_failed_with_the_job(fake: FakePackageX) -> None:
    not_utf8 = b"name\n\xff\xfe\n"
    async with PackageX(fake.api_key, base_url=fake.url) as px:
        with pytest.raises(JobFailedError, match="ended failed") as caught:
            await px.batches.run(
                resource="contact", action="merge", file=not_utf8, poll_interval=0.02
            )

    assert caught.value.job.status == "failed"  # type: ignore[attr-defined]


async def test_run_checks_its_own_arguments_before_creating(
    fake: FakePackageX, tmp_path: Path
) -> None:
    async with PackageX(fake.api_key, base_url=fake.url) as px:
        with pytest.raises(ValueError, match="path"):
            await px.exports.run(resource="shipment", path=tmp_path / "missing" / "x.csv")
        with pytest.raises(ValueError, match="file must be one of"):
            await px.exports.run(resource="shipment", file="xlsx")  # type: ignore[arg-type]

    assert fake.requests == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({}, r"download='result_json' needs save_result=True"),
        ({"save_result": False}, r"download='result_json' needs save_result=True"),
        ({"download": "upload_csv", "save_upload": False}, "needs save_upload=True"),
    ],
)
async def test_a_batch_run_that_could_never_download_is_refused_before_creating(
    fake: FakePackageX, tmp_path: Path, arguments: dict[str, Any], message: str
) -> None:
    """The README's batch ``run(..., path=...)`` downloads ``result_json``: a batch
    created without ``save_result=True`` never has one, so nothing is created."""
    async with PackageX(fake.api_key, base_url=fake.url) as px:
        with pytest.raises(PackageXValueError, match=message):
            await px.batches.run(
                resource="contact",
                action="merge",
                data=[{"name": "Ada"}],
                path=tmp_path / "result.json",
                **arguments,
            )
        done = await px.batches.run(
            resource="contact", action="merge", data=[{"name": "Ada"}], poll_interval=0.02
        )

    assert done.status == "completed", "without a path, nothing needs a file"
    assert posts(fake, "create_batch") == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"url": "https://"}, "url must be an https:// URL of a public file, with a host"),
        ({"url": "https:///a.csv"}, "with a host"),
        ({"data": [{"n": 2**64}]}, r"fit in 64 bits: data\[0\]\['n'\] is 18446744073709551616"),
        ({"data": [{"n": 1}], "extra_body": {"x": [-(2**63) - 1]}}, r"x\[0\] is -9223"),
    ],
)
async def test_batch_values_the_api_would_refuse_are_refused_before_sending(
    fake: FakePackageX, arguments: dict[str, Any], message: str
) -> None:
    async with PackageX(fake.api_key, base_url=fake.url) as px:
        with pytest.raises(PackageXValueError, match=message):
            await px.batches.create(resource="contact", action="merge", **arguments)

    assert fake.requests == []


@pytest.mark.parametrize("fault", ["503:0", "429:0"])
async def test_a_create_turned_away_before_it_exists_is_resent_once(
    fake: FakePackageX, fault: str
) -> None:
    fake.faults.script("create_export", [fault])
    async with PackageX(fake.api_key, base_url=fake.url) as px:
        export = await px.exports.create(resource="contact")

    assert posts(fake, "create_export") == 2
    assert [job["id"] for job in fake.created_exports] == [export.id]


@pytest.mark.parametrize(
    ("fault", "error", "exists"),
    [
        ("500_after", InternalServerError, True),
        ("503_after:none", InternalServerError, True),
        ("reset_after", APIConnectionError, True),
        ("reset", APIConnectionError, False),
        ("500", InternalServerError, False),
    ],
)
async def test_a_create_that_may_have_acted_is_never_sent_twice(
    fake: FakePackageX, fault: str, error: type[Exception], exists: bool
) -> None:
    fake.faults.script("create_batch", [fault])
    async with PackageX(fake.api_key, base_url=fake.url, max_retries=3) as px:
        with pytest.raises(error, match="may or may not have been created") as caught:
            await px.batches.create(resource="contact", action="merge", data=[{"name": "A"}])

    assert posts(fake, "create_batch") == 1
    assert len(fake.created_batches) == (1 if exists else 0)
    assert caught.value.outcome_unknown is not None  # type: ignore[attr-defined]
