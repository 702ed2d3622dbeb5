"""``mock_packagex()``: the SDK, unchanged, reads models served by aioresponses."""

from __future__ import annotations

import subprocess
import sys
import typing
from datetime import datetime

import aiohttp
import pytest

from packagex_async import (
    APIConnectionError,
    Batch,
    BatchStatus,
    Export,
    Import,
    ImportStatus,
    InternalServerError,
    NotFoundError,
    PackageX,
    PackageXTypeError,
)
from packagex_async.resources import SPECS
from packagex_async.testing import (
    MockJobs,
    MockPackageX,
    make_batch,
    make_export,
    make_import,
    mock_packagex,
)
from packagex_async.testing._mock import compat_response_class

KEY = "pxk_mock_test_key"


async def test_a_retrieve_returns_the_added_batch() -> None:
    batch = make_batch(id="bat_1", status="processing")
    with mock_packagex() as api:
        api.batches.add(batch)
        async with PackageX(KEY) as px:
            got = await px.batches.retrieve("bat_1")

    assert got == batch
    assert got.status is BatchStatus.PROCESSING
    assert isinstance(got.created_at, datetime)


async def test_urls_are_sent_only_for_the_include_flags_asked() -> None:
    url = "https://storage.example/bat_1/result.json?X-Amz-Signature=abc"
    with mock_packagex() as api:
        api.batches.add(make_batch(id="bat_1", result_json_url=url))
        async with PackageX(KEY) as px:
            plain = await px.batches.retrieve("bat_1")
            asked = await px.batches.retrieve("bat_1", include_result_json=True)

    assert plain.result_json_url is None
    assert asked.result_json_url == url


async def test_lists_are_paged_by_the_requests_limit_and_page() -> None:
    exports = [make_export(name=f"export {n}") for n in range(7)]
    with mock_packagex() as api:
        api.exports.add(*exports)
        async with PackageX(KEY) as px:
            pages = [page async for page in px.exports.list(limit=3).pages()]
            everything = [export async for export in px.exports.list(limit=3)]

    assert [len(page.data) for page in pages] == [3, 3, 1]
    assert [page.pagination.has_more for page in pages] == [True, True, False]
    assert {page.pagination.total_count for page in pages} == {7}
    assert [page.pagination.page for page in pages] == [1, 2, 3]
    assert everything == exports


async def test_a_status_filter_is_applied() -> None:
    with mock_packagex() as api:
        api.batches.add(make_batch(status="completed"), make_batch(status="failed"))
        async with PackageX(KEY) as px:
            failed = [batch async for batch in px.batches.list(status="failed")]

    assert [batch.status for batch in failed] == [BatchStatus.FAILED]


async def test_fail_answers_with_the_status_and_an_unknown_id_is_a_404() -> None:
    with mock_packagex() as api:
        api.batches.fail("bat_gone")
        api.exports.fail("exp_broken", status=500, message="database unavailable")
        async with PackageX(KEY, max_retries=1) as px:
            with pytest.raises(NotFoundError) as gone:
                await px.batches.retrieve("bat_gone")
            with pytest.raises(InternalServerError, match="database unavailable"):
                await px.exports.retrieve("exp_broken")
            with pytest.raises(NotFoundError, match="bat_never_added"):
                await px.batches.retrieve("bat_never_added")

    assert gone.value.code == "not_found"


async def test_other_routes_go_through_the_underlying_aioresponses() -> None:
    with mock_packagex() as api:
        api.aioresponses.get("https://example.com/hook", payload={"ok": True})
        async with aiohttp.ClientSession() as session:
            answer = await session.get("https://example.com/hook")
            assert await answer.json() == {"ok": True}


async def test_another_base_url() -> None:
    with mock_packagex("https://sandbox.packagex.test") as api:
        api.exports.add(make_export(id="exp_1"))
        async with PackageX(KEY, base_url="https://sandbox.packagex.test") as px:
            export = await px.exports.retrieve("exp_1")

    assert export.id == "exp_1"


async def test_the_fixture(packagex_mock: MockPackageX) -> None:
    packagex_mock.exports.add(make_export(id="exp_fixture", count_total=3))
    async with PackageX(KEY) as px:
        export = await px.exports.retrieve("exp_fixture")

    assert export.count_total == 3


def test_factories_make_realistic_models_and_refuse_unknown_fields() -> None:
    first, second = make_batch(), make_batch()
    export = make_export(status="processing")

    assert first.id != second.id
    assert first.status is BatchStatus.COMPLETED
    assert first.created_at is not None
    assert first.updated_at is not None
    assert first.created_at < first.updated_at
    assert export.status == "processing"
    assert isinstance(export, Export)
    with pytest.raises(PackageXTypeError, match="make_batch\\(\\) has no field colour"):
        make_batch(colour="red")
    with mock_packagex() as api, pytest.raises(PackageXTypeError, match="takes Batch models"):
        api.batches.add(make_export())  # type: ignore[arg-type]


async def test_plain_aioresponses_on_this_aiohttp_is_named_not_retried() -> None:
    """Without the compatible response class (aiohttp 3.14), the failure says what it is."""
    from aioresponses import aioresponses

    with aioresponses() as plain:
        plain.get(
            "https://api.packagex.io/v1/batches/bat_1",
            payload={"data": {"id": "bat_1"}},
            repeat=True,
            response_class=aiohttp.ClientResponse,
        )
        async with PackageX(KEY, max_retries=3) as px:
            if compat_response_class() is aiohttp.ClientResponse:  # aiohttp < 3.14
                assert isinstance(await px.batches.retrieve("bat_1"), Batch)
                return
            with pytest.raises(APIConnectionError) as caught:
                await px.batches.retrieve("bat_1")

    assert "failed inside the HTTP library" in str(caught.value)
    assert "unexpected TypeError" in str(caught.value)
    assert "not retried" in str(caught.value)
    assert len(next(iter(plain.requests.values()))) == 1


def test_the_testing_package_imports_without_aioresponses() -> None:
    code = (
        "import sys; sys.modules['aioresponses'] = None\n"
        "import packagex_async.testing as t\n"
        "try:\n    t.mock_packagex().__enter__()\n"
        "except ImportError as e:\n    print(e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert 'pip install "packagex_async[mock]"' in result.stdout


async def test_every_registered_resource_is_mocked_by_name() -> None:
    job = Import("imp_1", status="failed", has_errors_file=True, column_mapping={"a": "b"})
    with mock_packagex() as api:
        api.jobs["imports"].add(job)
        async with PackageX(KEY) as px:
            got = await px.imports.retrieve("imp_1")
            listed = [i.id async for i in px.imports.list()]

    assert got == job
    assert got.status is ImportStatus.FAILED
    assert listed == ["imp_1"]
    assert set(api.jobs) == {"batches", "exports", "imports"}
    assert api.jobs["batches"] is api.batches


def test_each_registered_resource_has_a_typed_attribute_serving_its_model() -> None:
    """The annotations a type checker reads name every resource of the registry, each
    with its own model, and the attribute is the same object as ``jobs[name]``."""
    hints = typing.get_type_hints(MockPackageX)
    typed = {
        name: typing.get_args(hint)[0]
        for name, hint in hints.items()
        if typing.get_origin(hint) is MockJobs
    }

    assert typed == {spec.name: spec.model for spec in SPECS}
    with mock_packagex() as api:
        assert all(getattr(api, name) is api.jobs[name] for name in typed)


async def test_an_import_made_by_the_factory_reads_back_whole_through_the_sdk() -> None:
    upload = "https://storage.example/imp_1/upload.csv?X-Amz-Signature=abc"
    made = make_import(id="imp_1", upload_csv_url=upload, location_id="loc_1")
    with mock_packagex() as api:
        api.imports.add(made)
        async with PackageX(KEY) as px:
            plain = await px.imports.retrieve("imp_1")
            asked = await px.imports.retrieve("imp_1", include_upload_csv=True)

    assert asked == made
    assert plain.upload_csv_url is None
    assert plain.location_id == "loc_1"
    assert plain.column_mapping == {"name": "Name", "email": "Email"}
    assert [phase.name for phase in plain.phases][:3] == [
        "prevalidation",
        "preparsing",
        "transforming",
    ]


async def test_imports_are_listed_ten_to_a_page_as_the_api_does() -> None:
    imports = [make_import() for _ in range(12)]
    with mock_packagex() as api:
        api.imports.add(*imports)
        async with PackageX(KEY) as px:
            pages = [page async for page in px.imports.list().pages()]

    assert [len(page.data) for page in pages] == [10, 2]
    assert [item for page in pages for item in page.data] == imports


def test_make_import_is_a_finished_import_and_refuses_unknown_fields() -> None:
    first, second = make_import(), make_import(status="failed", has_errors_file=True)

    assert first.id != second.id
    assert first.id.startswith("imp_")
    assert first.status is ImportStatus.COMPLETED
    assert (first.has_upload_file, first.has_errors_file) == (True, False)
    assert first.created_at is not None
    assert first.updated_at is not None
    assert first.created_at < first.updated_at
    assert (second.status, second.has_errors_file) == ("failed", True)
    with pytest.raises(PackageXTypeError, match="make_import\\(\\) has no field colour"):
        make_import(colour="red")
    with (
        mock_packagex() as api,
        pytest.raises(PackageXTypeError, match="takes Import models \\(make_import"),
    ):
        api.imports.add(make_batch())  # type: ignore[arg-type]
