"""Caller mistakes are TypeError/ValueError naming the parameter, before any request.

The in-package fake records every request it receives (API and storage), so "before
any request" is ``fake.requests == []``, not a guess.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from packagex_async import PackageX
from packagex_async.testing import FakePackageX


@pytest.fixture
async def fake() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=3, exports=3, seed=5) as server:
        yield server


@pytest.fixture
async def px(fake: FakePackageX) -> AsyncIterator[PackageX]:
    async with PackageX(fake.api_key, base_url=fake.url, timeout=1.0) as client:
        yield client


async def consume(result: Any) -> None:
    """Await a coroutine, or drain an async iterator: whatever the call returned."""
    if hasattr(result, "__aiter__"):
        async for _ in result:
            pass
    elif isinstance(result, Awaitable):
        await result


async def call(make: Callable[[], Any]) -> None:
    """Make the call (a check may fire at once) and run what it returned."""
    await consume(make())


def nothing_sent(fake: FakePackageX) -> None:
    assert fake.requests == []
    assert fake.storage_requests == []


@pytest.mark.parametrize("path", [None, "", 123], ids=["none", "empty", "int"])
@pytest.mark.parametrize("resource", ["batches", "exports"])
async def test_download_to_a_bad_path_names_path(
    fake: FakePackageX, px: PackageX, resource: str, path: Any
) -> None:
    object_id = fake.batches[0]["id"] if resource == "batches" else fake.exports[0]["id"]
    file = "result_json" if resource == "batches" else "csv"

    with pytest.raises((TypeError, ValueError), match="path"):
        await call(lambda: getattr(px, resource).download(object_id, file, path))

    nothing_sent(fake)


@pytest.mark.parametrize("resource", ["batches", "exports"])
async def test_download_with_a_progress_that_is_not_callable_names_on_progress(
    fake: FakePackageX, px: PackageX, resource: str, tmp_path: Path
) -> None:
    object_id = fake.batches[0]["id"] if resource == "batches" else fake.exports[0]["id"]
    file = "result_json" if resource == "batches" else "csv"

    with pytest.raises(TypeError, match="on_progress"):
        await call(
            lambda: getattr(px, resource).download(
                object_id, file, tmp_path / "out", on_progress="x"
            )
        )

    nothing_sent(fake)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("on_progress", [5, "x", b"x"], ids=["int", "str", "bytes"])
@pytest.mark.parametrize("resource", ["batches", "exports"])
async def test_wait_with_a_progress_that_is_not_callable_names_on_progress(
    fake: FakePackageX, px: PackageX, resource: str, on_progress: Any
) -> None:
    object_id = fake.batches[0]["id"] if resource == "batches" else fake.exports[0]["id"]

    with pytest.raises(TypeError, match="on_progress"):
        await call(lambda: getattr(px, resource).wait(object_id, on_progress=on_progress))

    nothing_sent(fake)


SURROGATE_CALLS: dict[str, tuple[Callable[[PackageX], Any], str]] = {
    "exports.retrieve": (lambda px: px.exports.retrieve("\ud800"), "export_id"),
    "batches.retrieve": (lambda px: px.batches.retrieve("batch_\udfff"), "batch_id"),
    "exports.list(search)": (lambda px: px.exports.list(search="a\ud800"), "search"),
    "exports.wait": (lambda px: px.exports.wait("\ud800"), "export_id"),
    "batches.rows": (lambda px: px.batches.rows("\ud800", "result_json"), "batch_id"),
    "exports.download": (lambda px: px.exports.download("\ud800", "csv", "out"), "export_id"),
    "exports.retrieve_many": (lambda px: px.exports.retrieve_many(["\ud800"]), "export_id"),
}


@pytest.mark.parametrize("name", list(SURROGATE_CALLS))
async def test_a_lone_surrogate_is_a_value_error_naming_the_parameter(
    fake: FakePackageX, px: PackageX, name: str
) -> None:
    make, parameter = SURROGATE_CALLS[name]

    with pytest.raises(ValueError, match=parameter):
        await call(lambda: make(px))

    nothing_sent(fake)


@pytest.mark.parametrize(
    "base_url",
    [
        "https://api.example.com/?",
        "https://api.example.com/#",
        "https://api.example.com/?a=1",
        "https://api.example.com/v1#frag",
        "https://api.example.com?",
    ],
)
def test_a_base_url_with_a_query_or_fragment_is_a_value_error(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        PackageX("pxk_SECRETKEY_4f9a1c", base_url=base_url)
