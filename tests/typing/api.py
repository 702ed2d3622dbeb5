"""The public API as users write it: type-checked by mypy (see .ci/run), never run.

A change that makes a documented call stop type-checking, or changes what it
returns, fails CI here even when every runtime test passes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typing_extensions import assert_type

from packagex_async import (
    AsyncPaginator,
    Batch,
    BatchStatus,
    Download,
    Export,
    ExportStatus,
    Import,
    JobFailedError,
    PackageX,
    PackageXError,
    Page,
    RedisPacing,
    RetrieveResult,
    WaitTimeoutError,
    to_dict,
    to_json,
)
from packagex_async.testing import (
    MockJobs,
    make_batch,
    make_export,
    make_import,
    mock_packagex,
)


async def listing(px: PackageX) -> None:
    paginator = px.batches.list(status=BatchStatus.COMPLETED, limit=100, concurrency=4)
    assert_type(paginator, AsyncPaginator[Batch])
    async for batch in paginator:
        assert_type(batch, Batch)
        assert_type(batch.id, str)
    async for page in px.exports.list(statuses=[ExportStatus.COMPLETED, "failed"]).pages():
        assert_type(page, Page[Export])
    assert_type(paginator.next_page, "int | None")
    px.exports.list(extra_query={"created_at": "gte:2024-01-01", "archived": False})


async def retrieving(px: PackageX) -> None:
    assert_type(await px.batches.retrieve("batch_1", include_result_json=True), Batch)
    assert_type(to_dict(await px.batches.retrieve("batch_1")), dict[str, Any])
    assert_type(to_json(await px.exports.retrieve("exp_1")), bytes)
    assert_type(await px.exports.retrieve("exp_1", include_csv=True), Export)
    results = await px.exports.retrieve_many(["exp_1", "exp_2"], concurrency=4)
    assert_type(results, list[RetrieveResult[Export]])
    assert_type(results[0].unwrap(), Export)


async def jobs(px: PackageX, target: Path) -> None:
    assert_type(await px.batches.wait("batch_1", timeout=None), Batch)
    assert_type(await px.exports.wait("exp_1", on_progress=lambda e: print(e.status)), Export)
    done = await px.exports.download("exp_1", "csv", target, on_progress=lambda n, t: None)
    assert_type(done, Download)
    async for row in px.exports.rows("exp_1", format="csv"):
        assert_type(row, dict[str, str])
    async for record in px.exports.rows("exp_1"):
        assert_type(record, dict[str, Any])
    async for result in px.batches.rows("batch_1", "result_json"):
        assert_type(result, dict[str, Any])
    async for error_row in px.batches.rows("batch_1", "errors_csv"):
        assert_type(error_row, dict[str, str])
    async for chunk in px.files.stream("https://files.example.com/a.csv?sig=x"):
        assert_type(chunk, bytes)


async def options(px: PackageX) -> None:
    quick = px.with_options(timeout=5, max_retries=0)
    assert_type(quick, PackageX)
    assert_type(quick.timeout, float)
    try:
        await quick.batches.retrieve("batch_1")
    except PackageXError as error:
        assert_type(error.page, "int | None")


async def job_errors(px: PackageX) -> None:
    try:
        await px.batches.run(resource="contact", action="delete", data=[{"id": "c_1"}])
    except JobFailedError as failed:
        assert_type(failed.job, "Batch | Export | Import")
        print(failed.job.status, failed.job.id)
    except WaitTimeoutError as slow:
        assert_type(slow.last, "Batch | Export | Import | None")
        if slow.last is not None:
            print(slow.last.status)


def with_options_typo_is_a_type_error(px: PackageX) -> None:
    px.with_options(timout=5)  # type: ignore[arg-type]


def to_dict_takes_models_only(batches: list[Batch]) -> None:
    to_dict(batches)  # type: ignore[arg-type]
    to_json(batches)  # type: ignore[arg-type]


async def wrong_file_name_is_a_type_error(px: PackageX, target: Path) -> None:
    await px.exports.download("exp_1", "xlsx", target)  # type: ignore[arg-type]


async def shared_pacing() -> None:
    pacing = RedisPacing("redis://127.0.0.1:6379/0", namespace="px-prod", timeout=0.5)
    assert_type(pacing.where, str)
    async with PackageX(rate_limit=50, pacing=pacing) as px:
        assert_type(await px.batches.retrieve("batch_1"), Batch)


async def imports(px: PackageX) -> None:
    job = await px.imports.create(resource="contact", action="merge", data=[{"name": "Ada"}])
    assert_type(job, Import)
    done = await px.imports.wait(job.id)
    assert_type(done.has_errors_file, "bool | None")
    async for row in px.imports.rows(job.id, "errors_csv"):
        assert_type(row, dict[str, str])
    async for item in px.imports.list(limit=5):
        assert_type(item, Import)


async def mocking() -> None:
    with mock_packagex() as api:
        assert_type(api.imports, MockJobs[Import])
        assert_type(api.batches, MockJobs[Batch])
        assert_type(make_import(status="failed"), Import)
        api.imports.add(make_import(id="imp_1", has_errors_file=True))
        api.batches.add(make_batch(id="batch_1"))
        api.exports.add(make_export())
        api.imports.fail("imp_gone", status=404)
        assert_type(api.imports.items, list[Import])
        api.imports.add(make_batch())  # type: ignore[arg-type]
        async with PackageX("pxk_test") as px:
            assert_type(await px.imports.retrieve("imp_1"), Import)
