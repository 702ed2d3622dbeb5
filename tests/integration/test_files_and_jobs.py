"""Waiting for jobs and fetching their files, against the fake's moving jobs and storage."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from packagex_async import (
    APIConnectionError,
    APIResponseValidationError,
    Batch,
    BatchStatus,
    Download,
    Export,
    FileNotAvailableError,
    FileURLExpiredError,
    PackageX,
    WaitTimeoutError,
)
from packagex_async.testing import FakePackageX

from .conftest import JobWaits


async def plain_get(url: str) -> bytes:
    """The file as storage serves it, fetched without any SDK code."""
    async with aiohttp.ClientSession() as http, http.get(url) as answer:
        assert answer.status == 200
        return await answer.read()


def assert_key_never_reached_storage(fake: FakePackageX) -> None:
    assert fake.key_leaks == 0
    assert fake.storage_requests
    assert all(r.header("PX-API-KEY") is None for r in fake.storage_requests)


# --- waiting -----------------------------------------------------------------------------


# ``job_waits``: wait()'s sleeps move the fake's clock, so jobs move by its schedule.
STEP = 10.0  # seconds per job status; polls every 4 s see each status at least twice
POLL = {"poll_interval": 4.0, "max_poll_interval": 4.0}


async def test_wait_returns_the_completed_batch_and_reports_progress(
    fake: FakePackageX, px: PackageX, job_waits: JobWaits
) -> None:
    job = fake.add_batch(status="queued", final_status="completed", step_seconds=STEP)
    seen: list[Batch] = []

    batch = await px.batches.wait(job["id"], timeout=100, on_progress=seen.append, **POLL)

    assert batch.status is BatchStatus.COMPLETED
    polls = ["queued"] * 3 + ["processing"] * 2 + ["completed"]  # at 0, 4, 8 | 12, 16 | 20
    assert [str(b.status) for b in seen] == polls
    assert job_waits.sleeps == [4.0] * 5


@pytest.mark.parametrize("final", ["failed", "timed_out", "expired"])
async def test_wait_returns_other_final_statuses_too(
    fake: FakePackageX, px: PackageX, job_waits: JobWaits, final: str
) -> None:
    job = fake.add_batch(status="queued", final_status=final, step_seconds=STEP)

    batch = await px.batches.wait(job["id"], timeout=100, **POLL)

    assert batch.status == final
    assert job_waits.now == 20.0


async def test_wait_for_an_export(fake: FakePackageX, px: PackageX, job_waits: JobWaits) -> None:
    job = fake.add_export(status="queued", final_status="completed", step_seconds=STEP, rows=12)
    polled: list[Export] = []

    export = await px.exports.wait(job["id"], timeout=100, on_progress=polled.append, **POLL)

    assert export.status == "completed"
    polls = ["queued"] * 3 + ["processing"] * 2 + ["completed"]
    assert [str(e.status) for e in polled] == polls


async def test_wait_gives_up_at_its_timeout_with_the_last_state(
    fake: FakePackageX, px: PackageX, job_waits: JobWaits
) -> None:
    job = fake.add_batch(status="queued", final_status="completed", step_seconds=30)

    with pytest.raises(WaitTimeoutError, match=r"is still queued after 0\.3s") as caught:
        await px.batches.wait(job["id"], timeout=0.3, poll_interval=0.05)

    # Polls 0.05 s apart, growing by half; the last sleep is cut to end at the deadline.
    assert job_waits.sleeps == pytest.approx([0.05, 0.075, 0.1125, 0.0625])
    assert job_waits.now == pytest.approx(0.3)
    # Each poll may take only the time left: 0.3 s, then less after each sleep.
    assert job_waits.poll_timeouts[:4] == pytest.approx([0.3, 0.25, 0.175, 0.0625])
    assert isinstance(caught.value.last, Batch)
    assert caught.value.last.status == "queued"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"timeout": 0}, ValueError),
        ({"timeout": float("inf")}, ValueError),
        ({"poll_interval": -1}, ValueError),
        ({"max_poll_interval": float("nan")}, ValueError),
        ({"max_poll_interval": "1"}, TypeError),
        ({"timeout": True}, TypeError),
    ],
)
async def test_wait_checks_its_arguments(
    fake: FakePackageX, px: PackageX, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error, match=f"{next(iter(kwargs))} must be a .*number of seconds"):
        await px.batches.wait("batch_1", **kwargs)
    assert fake.requests == []


async def test_wait_without_a_timeout_polls_until_final(fake: FakePackageX, px: PackageX) -> None:
    job = fake.add_batch(status="completed")

    batch = await px.batches.wait(job["id"], timeout=None)

    assert batch.status == "completed"


# --- downloads ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "file", ["upload_csv", "upload_json", "errors_csv", "errors_json", "result_json"]
)
async def test_each_batch_file_downloads_exactly(
    fake: FakePackageX, px: PackageX, tmp_path: Path, file: str
) -> None:
    job = fake.add_batch(status="completed", rows=30, errors=4)
    target = tmp_path / f"{file}.out"

    done = await px.batches.download(job["id"], file, target)  # type: ignore[arg-type]

    assert done == Download(target, target.stat().st_size)
    fresh = await px.batches.retrieve(job["id"], **{f"include_{file}": True})
    assert target.read_bytes() == await plain_get(getattr(fresh, f"{file}_url"))
    assert_key_never_reached_storage(fake)


@pytest.mark.parametrize("file", ["json", "csv", "csv_error", "csv_sanitized"])
async def test_each_export_file_downloads(
    fake: FakePackageX, px: PackageX, tmp_path: Path, file: str
) -> None:
    job = fake.add_export(status="completed", rows=25)

    done = await px.exports.download(job["id"], file, tmp_path / "out")  # type: ignore[arg-type]

    assert done.size == (tmp_path / "out").stat().st_size
    assert list(tmp_path.iterdir()) == [tmp_path / "out"]
    assert_key_never_reached_storage(fake)


async def test_download_reports_progress_up_to_content_length(
    fake: FakePackageX, px: PackageX, tmp_path: Path
) -> None:
    job = fake.add_export(status="completed", rows=20_000)
    progress: list[tuple[int, int | None]] = []

    done = await px.exports.download(
        job["id"], "csv", tmp_path / "big.csv", on_progress=lambda n, t: progress.append((n, t))
    )

    assert len(progress) > 1
    assert [n for n, _ in progress] == sorted(n for n, _ in progress)
    assert progress[-1] == (done.size, done.size)


async def test_a_cut_download_is_retried_from_the_start(
    fake: FakePackageX, px: PackageX, tmp_path: Path
) -> None:
    job = fake.add_export(status="completed", rows=5_000)
    fake.faults.script("storage", ["truncate", "reset"])

    done = await px.exports.download(job["id"], "json", tmp_path / "data.json")

    rows = json.loads((tmp_path / "data.json").read_bytes())
    assert len(rows) == 5_000
    assert done.size == (tmp_path / "data.json").stat().st_size


async def test_a_download_that_keeps_failing_leaves_nothing_behind(
    fake: FakePackageX, tmp_path: Path
) -> None:
    job = fake.add_export(status="completed", rows=5_000)
    target = tmp_path / "data.csv"
    target.write_text("the previous file")
    fake.faults.script("storage", ["truncate"] * 10)

    async with PackageX(fake.api_key, base_url=fake.url, max_retries=2) as px:
        with pytest.raises(APIConnectionError, match="cut short|ended after"):
            await px.exports.download(job["id"], "csv", target)

    assert target.read_text() == "the previous file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]


async def test_a_missing_file_names_the_setting_that_would_create_it(
    fake: FakePackageX, px: PackageX, tmp_path: Path
) -> None:
    job = fake.add_batch(status="completed", rows=5, save_result=False, save_upload=False)

    with pytest.raises(FileNotAvailableError, match="save_result=true"):
        await px.batches.download(job["id"], "result_json", tmp_path / "r.json")
    with pytest.raises(FileNotAvailableError, match="save_upload=true"):
        await px.batches.download(job["id"], "upload_csv", tmp_path / "u.csv")
    assert list(tmp_path.iterdir()) == []


async def test_an_unfinished_export_has_no_file_yet(fake: FakePackageX, px: PackageX) -> None:
    job = fake.add_export(status="processing")

    with pytest.raises(
        FileNotAvailableError, match=r"status: processing\): export files exist once"
    ):
        await px.exports.download(job["id"], "csv", "never-written.csv")


async def test_an_expired_url_says_to_retrieve_again(fake: FakePackageX, px: PackageX) -> None:
    job = fake.add_export(status="completed", rows=3)
    export = await px.exports.retrieve(job["id"], include_json=True)
    assert export.json_url is not None
    fake.clock.advance(3_600)

    with pytest.raises(FileURLExpiredError, match="Retrieve the batch or export again") as caught:
        await px.files.read(export.json_url)

    assert caught.value.status == 403
    assert "Signature" not in str(caught.value)
    assert_key_never_reached_storage(fake)


async def test_bad_file_names_are_refused_before_any_request(
    fake: FakePackageX, px: PackageX
) -> None:
    with pytest.raises(ValueError, match="file must be one of 'upload_csv', 'upload_json'"):
        await px.batches.download("batch_1", "result_csv", "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="format must be 'json' or 'csv', got 'xml'"):
        px.exports.rows("exp_1", format="xml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="file must be one of"):
        px.batches.rows("batch_1", "data")  # type: ignore[arg-type]
    assert fake.requests == []


# --- reading and rows --------------------------------------------------------------------


async def test_read_and_stream_give_the_same_bytes(fake: FakePackageX, px: PackageX) -> None:
    job = fake.add_export(status="completed", rows=3_000)
    export = await px.exports.retrieve(job["id"], include_csv=True)
    assert export.csv_url is not None

    whole = await px.files.read(export.csv_url)
    chunks = [chunk async for chunk in px.files.stream(export.csv_url)]

    assert len(chunks) > 1
    assert b"".join(chunks) == whole == await plain_get(export.csv_url)
    assert_key_never_reached_storage(fake)


async def test_export_rows_from_json_and_csv(fake: FakePackageX, px: PackageX) -> None:
    job = fake.add_export(status="completed", rows=2_500)
    export = await px.exports.retrieve(job["id"], include_json=True, include_csv=True)
    assert export.json_url is not None
    assert export.csv_url is not None

    json_rows = [row async for row in px.exports.rows(job["id"], format="json")]
    csv_rows = [row async for row in px.exports.rows(job["id"], format="csv")]

    assert json_rows == json.loads(await plain_get(export.json_url))
    expected_csv = list(csv.DictReader(io.StringIO((await plain_get(export.csv_url)).decode())))
    assert csv_rows == expected_csv
    assert len(json_rows) == len(csv_rows) == 2_500


@pytest.mark.parametrize("file", ["errors_csv", "errors_json", "result_json"])
async def test_batch_rows(fake: FakePackageX, px: PackageX, file: str) -> None:
    job = fake.add_batch(status="completed", rows=40, errors=6)

    rows = [row async for row in px.batches.rows(job["id"], file)]  # type: ignore[arg-type]

    assert len(rows) == (34 if file == "result_json" else 6)
    assert all(isinstance(row, dict) for row in rows)


async def test_a_file_that_is_not_what_it_claims_is_a_validation_error(
    fake: FakePackageX, px: PackageX
) -> None:
    job = fake.add_export(status="completed", rows=50)
    fake.faults.script("storage", ["invalid_json"])

    with pytest.raises(
        APIResponseValidationError, match="the json file of exp_.* could not be read"
    ):
        [row async for row in px.exports.rows(job["id"], format="json")]


async def test_wait_is_bounded_even_when_the_api_stalls(
    fake: FakePackageX, job_waits: JobWaits
) -> None:
    job = fake.add_batch(status="queued", final_status="completed", step_seconds=30)
    fake.faults.script("retrieve_batch", ["ok", "stall:3600", "stall:3600", "stall:3600"])

    async with PackageX(fake.api_key, base_url=fake.url, timeout=3600) as px:
        with pytest.raises(WaitTimeoutError, match="is still queued after 0.5s") as caught:
            await px.batches.wait(job["id"], timeout=0.5, poll_interval=0.05)

    # The stalled poll was given the time left (0.5 s - 0.05 s), not the client's hour.
    assert job_waits.sleeps == [0.05]
    assert job_waits.poll_timeouts == pytest.approx([0.5, 0.45])
    assert caught.value.last is not None
    assert caught.value.last.status == "queued"
    await fake.until_in_flight("retrieve_batch", 0)  # the stalled request was let go


async def test_wait_without_any_answer_says_so(fake: FakePackageX, job_waits: JobWaits) -> None:
    job = fake.add_batch(status="queued", final_status="completed", step_seconds=30)
    fake.faults.script("retrieve_batch", ["stall:3600"])

    async with PackageX(fake.api_key, base_url=fake.url, timeout=3600) as px:
        with pytest.raises(WaitTimeoutError, match="had no answer after 0.3s") as caught:
            await px.batches.wait(job["id"], timeout=0.3)

    assert caught.value.last is None
    assert job_waits.poll_timeouts == [0.3]
    assert job_waits.sleeps == []
