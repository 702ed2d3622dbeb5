"""``px.files``: its arguments named exactly, the URL sent as given, progress everywhere."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from packagex_async import APIResponseValidationError, PackageX, PackageXTypeError

from ._secrets import KEY
from ._server import HostileServer, Received, response

BODY = b"x" * 5000


async def serve_body(request: Received, writer: asyncio.StreamWriter) -> None:
    writer.write(response(200, BODY))


async def call(px: PackageX, method: str, url: Any, tmp_path: Path, **kwargs: Any) -> Any:
    if method == "read":
        return await px.files.read(url, **kwargs)
    if method == "download":
        return await px.files.download(url, tmp_path / "f.bin", **kwargs)
    return b"".join([chunk async for chunk in px.files.stream(url, **kwargs)])


METHODS = ["read", "stream", "download"]


@pytest.mark.parametrize("method", METHODS)
async def test_a_progress_callback_that_is_not_callable_is_named(
    method: str, tmp_path: Path
) -> None:
    async with PackageX(KEY, base_url="http://127.0.0.1:1") as px:
        with pytest.raises(
            PackageXTypeError, match=r"^on_progress must be a callable or None, got int$"
        ):
            await call(px, method, "https://storage.example/f", tmp_path, on_progress=5)


@pytest.mark.parametrize("method", METHODS)
async def test_progress_is_reported_by_every_method(method: str, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    async with (
        HostileServer(serve_body) as storage,
        PackageX(KEY, base_url=storage.url) as px,
    ):
        got = await call(
            px, method, f"{storage.url}/f", tmp_path, on_progress=lambda d, t: seen.append((d, t))
        )

    assert seen[-1] == (len(BODY), len(BODY))
    assert got is not None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://a b/x", "url https://a b/x contains white space"),
        ("https://[bad/x", "url (an unreadable URL) is not a valid URL"),
        ("ftp://host/x?sig=1", "url ftp://host/x must be an https:// (or http://) URL"),
        ("https:///x", "url (an unreadable URL) has no host"),
    ],
    ids=["space", "invalid", "scheme", "no_host"],
)
async def test_a_url_that_cannot_be_fetched_is_named_with_its_problem(
    url: str, problem: str, tmp_path: Path
) -> None:
    async with PackageX(KEY, base_url="http://127.0.0.1:1") as px:
        with pytest.raises(ValueError, match=f"^{re.escape(problem)}$"):
            await px.files.read(url)


async def test_a_url_that_is_not_text_is_named() -> None:
    async with PackageX(KEY, base_url="http://127.0.0.1:1") as px:
        with pytest.raises(PackageXTypeError, match=r"^url must be a string, got int$"):
            await px.files.read(5)  # type: ignore[arg-type]


async def test_the_url_is_sent_exactly_as_given_its_escapes_untouched() -> None:
    """A presigned URL's signature covers its exact path and query: re-encoding breaks it."""
    target = "/bucket/a%2Fb%20c%7E/r%C3%A9sult.json?X-Amz-Signature=ab%2Bcd%3D&x=%7E"
    async with (
        HostileServer(serve_body) as storage,
        PackageX(KEY, base_url=storage.url) as px,
    ):
        await px.files.read(storage.url + target)

    assert storage.requests[0].target == target


async def test_a_download_writes_beside_the_target_under_a_hidden_random_name(
    tmp_path: Path,
) -> None:
    names: list[list[str]] = []
    async with (
        HostileServer(serve_body) as storage,
        PackageX(KEY, base_url=storage.url) as px,
    ):
        await px.files.download(
            f"{storage.url}/f",
            tmp_path / "out.bin",
            on_progress=lambda d, t: names.append(sorted(p.name for p in tmp_path.iterdir())),
        )

    (partial,) = names[0]
    assert re.fullmatch(r"\.out\.bin\.[0-9a-f]{8}\.part", partial)
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


async def test_a_coding_it_cannot_read_carries_the_status() -> None:
    async def brotli(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(200, b"\x0b", {"Content-Encoding": "br"}))

    async with (
        HostileServer(brotli) as storage,
        PackageX(KEY, base_url=storage.url) as px,
    ):
        with pytest.raises(APIResponseValidationError) as caught:
            await px.files.read(f"{storage.url}/f")

    assert caught.value.status == 200
    assert str(caught.value) == (
        f"GET {storage.url}/f came with Content-Encoding 'br', which the SDK does not decode "
        "(it asks for gzip, deflate)"
    )
