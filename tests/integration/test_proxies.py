"""Proxies and TLS trust, as corporate networks need them, against real loopback peers.

The proxy is our own (``tests/proxying.py``): it records what it forwarded, the
tunnels it opened and every byte clients sent it. The fake API stands behind it,
plain or behind a TLS front whose certificate the test makes.
"""

from __future__ import annotations

import logging
import socket
import ssl
import traceback
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import pytest
import yarl

from packagex_async import (
    APIConnectionError,
    AsyncPaginator,
    PackageX,
    PackageXTypeError,
    PackageXValueError,
    Page,
)
from packagex_async.testing import FakePackageX

from ..proxying import ForwardProxy, TLSFront, self_signed

T = TypeVar("T")
PROXY_USER = "proxyuser"
PROXY_PASSWORD = "pr0xy-s3cret-pw"
PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy variable of the machine running the tests leaks into them."""
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("REQUEST_METHOD", raising=False)


@pytest.fixture
async def fake() -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=5, exports=3) as started:
        yield started


@pytest.fixture
async def proxy() -> AsyncIterator[ForwardProxy]:
    async with ForwardProxy() as started:
        yield started


@pytest.fixture
def tls(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext, Path]:
    """The front's server context, a client context trusting it, and its CA file."""
    pytest.importorskip("cryptography")
    server, ca_file = self_signed(tmp_path)
    return server, ssl.create_default_context(cafile=str(ca_file)), ca_file


async def _first_page(paginator: AsyncPaginator[T]) -> Page[T]:
    async with paginator:
        async for page in paginator.pages():
            return page
    raise AssertionError("no page")


async def _work(px: PackageX, tmp_path: Path) -> None:
    """An API read and a presigned file download."""
    page = await _first_page(px.exports.list(limit=50))
    done = next(export for export in page.data if export.status == "completed")
    await px.exports.download(done.id, "json", tmp_path / "export.json")


async def test_environment_proxy_carries_api_and_storage_requests(
    fake: FakePackageX, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with PackageX(fake.api_key, base_url=fake.url) as px:
        await _work(px, tmp_path)
        await _first_page(px.with_options(timeout=30).batches.list(limit=1))

    assert [url.split("?")[0] for url in proxy.forwarded] == [
        f"{fake.url}/v1/exports",
        f"{fake.url}/v1/exports/{fake.requests[1].path.rsplit('/', 1)[1]}",
        proxy.forwarded[2].split("?")[0],
        f"{fake.url}/v1/batches",
    ]
    assert proxy.forwarded[2].startswith(fake.storage_url)
    assert len(fake.requests) == 3
    assert len(fake.storage_requests) == 1


async def test_no_proxy_is_honoured(
    fake: FakePackageX, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    async with PackageX(fake.api_key, base_url=fake.url) as px:
        await _work(px, tmp_path)

    assert proxy.forwarded == []
    assert len(fake.requests) == 2
    assert len(fake.storage_requests) == 1


async def test_trust_env_false_ignores_the_environment(
    fake: FakePackageX, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with PackageX(fake.api_key, base_url=fake.url, trust_env=False) as px:
        await _work(px, tmp_path)

    assert proxy.forwarded == []
    assert len(fake.requests) == 2


async def test_an_explicit_proxy_wins_over_the_environment_and_sends_its_credentials(
    fake: FakePackageX, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    async with ForwardProxy(f"{PROXY_USER}:{PROXY_PASSWORD}") as guarded:
        proxy_url = f"http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{guarded.port}"
        async with PackageX(fake.api_key, base_url=fake.url, proxy=proxy_url) as px:
            await _work(px, tmp_path)
            shown = repr(px)

    assert guarded.refused == 0
    assert len(guarded.forwarded) == 3
    assert PROXY_PASSWORD not in shown


def _through(fake: FakePackageX, port: int, **options: Any) -> PackageX:
    """A client using the proxy on ``port`` with credentials; the URL stays in this frame."""
    proxy = f"http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{port}"
    return PackageX(fake.api_key, base_url=fake.url, proxy=proxy, **options)


async def test_proxy_credentials_are_never_shown(
    fake: FakePackageX, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with (
        ForwardProxy(f"{PROXY_USER}:other-password") as guarded,
        _through(fake, guarded.port, max_retries=1) as px,
    ):
        with pytest.raises(APIConnectionError) as refused:
            await _first_page(px.batches.list(limit=1))

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    async with _through(fake, port, max_retries=1) as px:
        with pytest.raises(APIConnectionError) as unreachable:
            await px.batches.retrieve("batch_1")

    assert "the proxy refused it with HTTP 407: check the user and password" in str(refused.value)
    assert f"127.0.0.1:{port}" in str(unreachable.value)
    for error in (refused.value, unreachable.value):
        formatted = traceback.TracebackException.from_exception(error, capture_locals=True)
        text = "".join(formatted.format())
        assert PROXY_PASSWORD not in text
        assert fake.api_key not in text
    assert PROXY_PASSWORD not in caplog.text
    assert caplog.records  # the retry was logged, and its line looked at


async def test_https_goes_through_a_connect_tunnel_the_proxy_cannot_read(
    fake: FakePackageX,
    proxy: ForwardProxy,
    tls: tuple[ssl.SSLContext, ssl.SSLContext, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, client, _ = tls
    async with TLSFront(server, yarl.URL(fake.url).port or 0) as front:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        async with PackageX(fake.api_key, base_url=front.url, ssl=client) as px:
            page = await _first_page(px.batches.list(limit=2))

    assert len(page.data) == 2
    assert proxy.tunnels == [f"127.0.0.1:{front.port}"]
    assert proxy.forwarded == []
    assert len(proxy.seen) > 200  # the tunnelled TLS records passed through it
    assert fake.api_key.encode() not in proxy.seen
    assert fake.requests[0].header("PX-API-KEY") == fake.api_key


async def test_a_self_signed_server_is_refused_without_its_ca(
    fake: FakePackageX, tls: tuple[ssl.SSLContext, ssl.SSLContext, Path]
) -> None:
    server, _, _ = tls
    async with (
        TLSFront(server, yarl.URL(fake.url).port or 0) as front,
        PackageX(fake.api_key, base_url=front.url) as px,
    ):
        with pytest.raises(APIConnectionError, match="(?i)certificate"):
            await _first_page(px.batches.list(limit=1))

    assert fake.requests == []


@pytest.fixture
def netrc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A netrc with entries for the loopback hosts, found by ``$NETRC`` and in ``$HOME``."""
    path = tmp_path / ".netrc"
    path.write_text(
        "machine 127.0.0.1 login netrcuser password netrc-secret\n"
        "default login anyuser password default-secret\n"
    )
    path.chmod(0o600)
    monkeypatch.setenv("NETRC", str(path))
    monkeypatch.setenv("HOME", str(tmp_path))
    return path


async def test_netrc_adds_nothing_to_api_or_storage_requests(
    fake: FakePackageX, netrc: Path, tmp_path: Path
) -> None:
    async with PackageX(fake.api_key, base_url=fake.url) as px:  # trust_env=True
        await _work(px, tmp_path)

    for request in [*fake.requests, *fake.storage_requests]:
        assert request.header("Authorization") is None
    assert fake.storage_requests[0].header("PX-API-KEY") is None


async def test_a_borrowed_session_is_used_as_is(
    fake: FakePackageX, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with (
        aiohttp.ClientSession() as session,  # aiohttp's trust_env=False
        PackageX(fake.api_key, base_url=fake.url, session=session) as px,
    ):
        await _work(px, tmp_path)

    assert proxy.forwarded == []
    with pytest.raises(PackageXValueError, match="session you pass is used as is"):
        PackageX(fake.api_key, session=session, proxy=proxy.url)


@pytest.mark.parametrize(
    ("options", "error", "named"),
    [
        ({"proxy": 3128}, PackageXTypeError, "proxy must be a proxy URL string, got int"),
        ({"proxy": "socks5://127.0.0.1:1080"}, PackageXValueError, "http:// (or https://)"),
        ({"proxy": "http://"}, PackageXValueError, "proxy"),
        ({"ssl": True}, PackageXTypeError, "ssl must be an ssl.SSLContext"),
        ({"trust_env": "yes"}, PackageXTypeError, "trust_env must be True or False"),
    ],
)
def test_wrong_network_settings_are_refused_by_name(
    options: dict[str, object], error: type[Exception], named: str
) -> None:
    with pytest.raises(error) as caught:
        PackageX("pxk_test_key", **options)  # type: ignore[arg-type]
    assert named in str(caught.value)


def test_an_unusable_environment_proxy_says_which_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"socks5://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:1080")
    with pytest.raises(PackageXValueError) as caught:
        PackageX("pxk_test_key")
    assert "HTTPS_PROXY" in str(caught.value)
    assert "trust_env=False" in str(caught.value)
    assert PROXY_PASSWORD not in str(caught.value)
    PackageX("pxk_test_key", trust_env=False)  # the way out works


async def test_a_tunnel_the_proxy_refuses_is_not_retried_and_hides_the_password(
    fake: FakePackageX, tls: tuple[ssl.SSLContext, ssl.SSLContext, Path]
) -> None:
    server, client, _ = tls
    async with (
        TLSFront(server, yarl.URL(fake.url).port or 0) as front,
        ForwardProxy(f"{PROXY_USER}:other-password") as guarded,
    ):
        proxy = f"http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{guarded.port}"
        options: dict[str, Any] = {"base_url": front.url, "ssl": client, "proxy": proxy}
        del proxy
        async with PackageX(fake.api_key, max_retries=3, **options) as px:
            del options
            with pytest.raises(APIConnectionError) as refused:
                await px.batches.retrieve("batch_1")

    assert "the proxy refused it with HTTP 407" in str(refused.value)
    assert guarded.refused == 1
    assert guarded.tunnels == []
    formatted = traceback.TracebackException.from_exception(refused.value, capture_locals=True)
    assert PROXY_PASSWORD not in "".join(formatted.format())


async def test_presigned_downloads_use_the_same_certificate_trust(
    fake: FakePackageX, tls: tuple[ssl.SSLContext, ssl.SSLContext, Path]
) -> None:
    server, client, _ = tls
    async with PackageX(fake.api_key, base_url=fake.url) as plain:
        page = await _first_page(plain.exports.list(limit=50))
        done = next(export for export in page.data if export.status == "completed")
        export = await plain.exports.retrieve(done.id, include_json=True)
    assert export.json_url is not None
    storage = yarl.URL(export.json_url)
    async with TLSFront(server, storage.port or 0) as front:
        behind_tls = str(storage.with_scheme("https").with_port(front.port))
        async with PackageX(fake.api_key, base_url=fake.url, ssl=client) as px:
            body = await px.files.read(behind_tls)
        async with PackageX(fake.api_key, base_url=fake.url) as untrusting:
            with pytest.raises(APIConnectionError, match="(?i)certificate"):
                await untrusting.files.read(behind_tls)

    assert body.startswith(b"[")
    assert len(fake.storage_requests) == 1
