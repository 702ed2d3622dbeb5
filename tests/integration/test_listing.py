"""Listing and retrieving over real HTTP: the SDK against the fake, end to end."""

from __future__ import annotations

import aiohttp
import pytest

from packagex_async import (
    AuthenticationError,
    BadRequestError,
    Batch,
    BatchStatus,
    ExportStatus,
    NotFoundError,
    PackageX,
)
from packagex_async.testing import FakePackageX


def api_calls(fake: FakePackageX, route: str) -> list[dict[str, str]]:
    return [r.query for r in fake.requests if r.route == route]


async def test_every_batch_once_in_order_at_the_default_page_size(
    fake: FakePackageX, px: PackageX
) -> None:
    ids = [batch.id async for batch in px.batches.list()]

    assert ids == [b["id"] for b in fake.batches]
    assert [q["page"] for q in api_calls(fake, "list_batches")] == ["1", "2", "3"]
    assert {q["limit"] for q in api_calls(fake, "list_batches")} == {"25"}


async def test_every_export_once_in_order_at_the_default_page_size(
    fake: FakePackageX, px: PackageX
) -> None:
    ids = [export.id async for export in px.exports.list()]

    assert ids == [e["id"] for e in fake.exports]
    assert len(api_calls(fake, "list_exports")) == 3
    assert {q["limit"] for q in api_calls(fake, "list_exports")} == {"10"}


async def test_batches_are_decoded_in_full(fake: FakePackageX, px: PackageX) -> None:
    batches: list[Batch] = [batch async for batch in px.batches.list(limit=100)]

    statuses = {batch.status for batch in batches}
    assert statuses == set(BatchStatus)
    assert all(b.created_at is not None and b.created_at.tzinfo for b in batches)
    stamps = [b.created_at for b in batches]
    assert stamps == sorted(stamps)  # type: ignore[type-var]
    assert all(b.stats is not None for b in batches)


async def test_batch_filters_match_the_fakes_data(fake: FakePackageX, px: PackageX) -> None:
    got = [b.id async for b in px.batches.list(status="failed", resource="shipment", limit=5)]

    expected = [
        b["id"] for b in fake.batches if b["status"] == "failed" and b["resource"] == "shipment"
    ]
    assert got == expected


async def test_export_statuses_search_and_ordering(fake: FakePackageX, px: PackageX) -> None:
    paginator = px.exports.list(
        statuses=[ExportStatus.COMPLETED, "failed"], order_by="count_total", direction="desc"
    )
    got = [e async for e in paginator]

    assert {e.status for e in got} == {ExportStatus.COMPLETED, ExportStatus.FAILED}
    counts = [e.count_total for e in got]
    assert counts == sorted(counts, reverse=True)  # type: ignore[type-var]
    word = str(fake.exports[0]["name"]).split()[0]
    found = [e async for e in px.exports.list(search=word.upper())]
    assert found
    assert all(word.lower() in (e.name or "").lower() for e in found)


async def test_retrieve_with_file_urls_that_storage_serves(
    fake: FakePackageX, px: PackageX
) -> None:
    added = fake.add_batch(status="completed", rows=20, errors=3)

    batch = await px.batches.retrieve(
        added["id"], include_errors_json=True, include_errors_csv=True
    )

    assert batch.errors_json_url is not None
    assert batch.errors_json_url.startswith(fake.storage_url)
    async with aiohttp.ClientSession() as plain, plain.get(batch.errors_json_url) as answer:
        assert answer.status == 200
        assert isinstance(await answer.json(content_type=None), list)
    assert fake.key_leaks == 0


async def test_unknown_id_is_not_found(px: PackageX) -> None:
    with pytest.raises(NotFoundError) as caught:
        await px.exports.retrieve("exp_does_not_exist")

    assert caught.value.status == 404
    assert caught.value.endpoint is not None


async def test_an_id_with_a_slash_stays_one_segment(fake: FakePackageX, px: PackageX) -> None:
    with pytest.raises(NotFoundError):
        await px.batches.retrieve("batch_1/../../v1/exports")

    assert fake.requests[-1].path.count("/") == 3


async def test_wrong_key_is_an_authentication_error(fake: FakePackageX) -> None:
    async with PackageX("px_wrong_key", base_url=fake.url) as px:
        with pytest.raises(AuthenticationError) as caught:
            await px.batches.retrieve(fake.batches[0]["id"])

    assert caught.value.status == 401
    assert len(fake.requests) == 1


async def test_a_bad_parameter_comes_back_as_bad_request() -> None:
    async with (
        FakePackageX(batches=3, max_limit=50) as fake,
        PackageX(fake.api_key, base_url=fake.url) as px,
    ):
        with pytest.raises(BadRequestError) as caught:
            [b async for b in px.batches.list(limit=51)]

    assert caught.value.status == 400
    assert "limit" in str(caught.value.errors)
