"""Proxies and TLS trust, as corporate networks need them, against real loopback peers.

The proxy is our own (``tests/proxying.py``): it records what it forwarded, the
tunnels it opened and every byte clients sent it. Loopback hosts are never proxied
(the SDK's rule), so the tests reach the fake API as ``api.packagex.test`` and its
storage as ``storage.packagex.test``: names only the proxy resolves (to 127.0.0.1),
as a corporate proxy resolves names its clients cannot. The API stands behind a TLS
front whose certificate the test makes; the storage host speaks plain http, for
plain forwarding.
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
    Export,
    PackageX,
    PackageXTypeError,
    PackageXValueError,
    Page,
)
from packagex_async._http._network import Network
from packagex_async.testing import FakePackageX

from ..proxying import ForwardProxy, TLSFront, self_signed

T = TypeVar("T")
API_HOST = "api.packagex.test"
STORAGE_HOST = "storage.packagex.test"
NAMES = {API_HOST: "127.0.0.1", STORAGE_HOST: "127.0.0.1"}
KEY = "pxk_proxy_tests_key_0042"
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
    async with FakePackageX(batches=5, exports=3, api_key=KEY) as started:
        yield started


@pytest.fixture
async def proxy() -> AsyncIterator[ForwardProxy]:
    async with ForwardProxy(hosts=NAMES) as started:
        yield started


@pytest.fixture
def tls(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """The front's server context and a client context trusting its certificate."""
    pytest.importorskip("cryptography")
    server, ca_file = self_signed(tmp_path, API_HOST)
    return server, ssl.create_default_context(cafile=str(ca_file))


@pytest.fixture
async def front(
    fake: FakePackageX, tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> AsyncIterator[TLSFront]:
    """TLS in front of the fake API; reach it as ``https://api.packagex.test:PORT``."""
    async with TLSFront(tls[0], yarl.URL(fake.url).port or 0) as started:
        yield started


def api_url(front: TLSFront) -> str:
    return f"https://{API_HOST}:{front.port}"


async def _first_page(paginator: AsyncPaginator[T]) -> Page[T]:
    async with paginator:
        async for page in paginator.pages():
            return page
    raise AssertionError("no page")


async def _completed_export(px: PackageX) -> Export:
    page = await _first_page(px.exports.list(limit=50))
    done = next(export for export in page.data if export.status == "completed")
    return await px.exports.retrieve(done.id, include_json=True)


def _named_storage(url: str | None) -> str:
    """The presigned URL with the storage host named as only the proxy knows it."""
    assert url is not None
    return str(yarl.URL(url).with_host(STORAGE_HOST))


async def test_environment_proxies_carry_api_and_storage_requests(
    fake: FakePackageX,
    proxy: ForwardProxy,
    front: TLSFront,
    tls: tuple[ssl.SSLContext, ssl.SSLContext],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with PackageX(fake.api_key, base_url=api_url(front), ssl=tls[1]) as px:
        export = await _completed_export(px)
        body = await px.files.read(_named_storage(export.json_url))
        await _first_page(px.with_options(timeout=30).batches.list(limit=1))

    assert body.startswith(b"[")
    assert proxy.tunnels == [f"{API_HOST}:{front.port}"]  # one kept-alive tunnel, 3 calls
    assert [url.split("?")[0] for url in proxy.forwarded] == [
        _named_storage(export.json_url).split("?")[0]
    ]
    assert [r.route for r in fake.requests] == ["list_exports", "retrieve_export", "list_batches"]
    assert len(fake.storage_requests) == 1
    assert fake.api_key.encode() not in proxy.seen  # the tunnelled bytes are TLS records
    assert len(proxy.seen) > 1000
    assert fake.requests[0].header("PX-API-KEY") == fake.api_key


async def test_no_proxy_is_honoured(
    fake: FakePackageX,
    proxy: ForwardProxy,
    front: TLSFront,
    tls: tuple[ssl.SSLContext, ssl.SSLContext],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", f"localhost,{STORAGE_HOST}")
    async with PackageX(fake.api_key, base_url=api_url(front), ssl=tls[1], max_retries=0) as px:
        export = await _completed_export(px)
        with pytest.raises(APIConnectionError, match=f"could not connect to {STORAGE_HOST}"):
            await px.files.read(_named_storage(export.json_url))  # directly: no such name

    assert proxy.tunnels == [f"{API_HOST}:{front.port}"]
    assert proxy.forwarded == []
    assert fake.storage_requests == []


async def test_trust_env_false_ignores_the_environment(
    fake: FakePackageX, proxy: ForwardProxy, front: TLSFront, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    async with PackageX(
        fake.api_key, base_url=api_url(front), trust_env=False, max_retries=0
    ) as px:
        with pytest.raises(APIConnectionError, match=f"could not connect to {API_HOST}"):
            await px.batches.retrieve("batch_1")

    assert proxy.tunnels == []
    assert fake.requests == []


async def test_loopback_hosts_are_never_proxied(
    fake: FakePackageX, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """http:// is allowed for loopback only; a proxy would read the key there."""
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with PackageX(fake.api_key, base_url=fake.url) as px:
        export = await _completed_export(px)
        await px.files.read(export.json_url or "")
    async with PackageX(fake.api_key, base_url=fake.url, proxy=proxy.url) as px:
        await px.batches.retrieve(fake.batches[0]["id"])

    assert proxy.forwarded == []
    assert proxy.seen == b""
    assert len(fake.requests) == 3
    assert len(fake.storage_requests) == 1


def test_the_proxy_decision_per_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp:3128")
    monkeypatch.setenv("NO_PROXY", ".internal.example,storage.example:8443")
    network = Network(proxy=None, trust_env=True, ssl=None)

    def via(url: str) -> str | None:
        chosen = network.proxy_for(yarl.URL(url))
        return None if chosen is None else str(chosen)

    assert via("https://api.packagex.io/v1/batches") == "http://proxy.corp:3128"
    assert via("https://files.internal.example/x") is None
    assert via("https://storage.example:8443/x") is None
    assert via("https://storage.example/x") == "http://proxy.corp:3128"
    assert via("http://plain.example/x") is None  # HTTP_PROXY is not set
    for loopback in ("http://127.0.0.1:8080/", "http://localhost/", "http://[::1]:80/"):
        assert via(loopback) is None
    assert (
        Network(proxy=None, trust_env=False, ssl=None).proxy_for(
            yarl.URL("https://api.packagex.io")
        )
        is None
    )


async def test_an_explicit_proxy_wins_over_the_environment_and_sends_its_credentials(
    fake: FakePackageX,
    front: TLSFront,
    tls: tuple[ssl.SSLContext, ssl.SSLContext],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # nothing listens there
    async with (
        ForwardProxy(f"{PROXY_USER}:{PROXY_PASSWORD}", hosts=NAMES) as guarded,
        _through(guarded.port, fake, front, tls) as px,
    ):
        export = await _completed_export(px)
        await px.files.read(_named_storage(export.json_url))
        shown = repr(px)

    assert guarded.refused == 0
    assert guarded.tunnels == [f"{API_HOST}:{front.port}"]
    assert len(guarded.forwarded) == 1
    assert PROXY_PASSWORD not in shown


def _through(
    port: int,
    fake: FakePackageX,
    front: TLSFront,
    tls: tuple[ssl.SSLContext, ssl.SSLContext],
    **options: Any,
) -> PackageX:
    """A client using the proxy on ``port`` with credentials; the URL stays in this frame.

    (Error trackers record the locals of the frame that catches an error too.)
    """
    proxy = f"http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{port}"
    return PackageX(fake.api_key, base_url=api_url(front), ssl=tls[1], proxy=proxy, **options)


def _shown(error: BaseException) -> str:
    formatted = traceback.TracebackException.from_exception(error, capture_locals=True)
    return "".join(formatted.format())


async def _refusals(
    fake: FakePackageX, front: TLSFront, tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> tuple[list[APIConnectionError], int, int]:
    """A tunnel and a forward refused with 407 by a proxy expecting another password,
    then an unreachable proxy: the three errors, the refusals counted, the proxy port."""
    async with (
        ForwardProxy(f"{PROXY_USER}:other-password", hosts=NAMES) as guarded,
        _through(guarded.port, fake, front, tls, max_retries=2) as px,
    ):
        with pytest.raises(APIConnectionError) as tunnel_refused:
            await px.batches.retrieve("batch_1")
        url = f"http://{STORAGE_HOST}:{front.port}/bucket/file.json?X-Amz-Signature=abc"
        with pytest.raises(APIConnectionError) as forward_refused:
            await px.files.read(url)
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    async with _through(port, fake, front, tls, max_retries=1) as px:
        with pytest.raises(APIConnectionError) as unreachable:
            await px.batches.retrieve("batch_1")
    errors = [tunnel_refused.value, forward_refused.value, unreachable.value]
    return errors, guarded.refused, port


async def test_a_proxy_refusing_the_credentials_is_said_and_not_retried(
    fake: FakePackageX,
    front: TLSFront,
    tls: tuple[ssl.SSLContext, ssl.SSLContext],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)

    (tunnel, forward, unreachable), refused, port = await _refusals(fake, front, tls)

    assert refused == 2  # no retry: a wrong password stays wrong
    for error in (tunnel, forward):
        assert str(error).endswith(
            "the proxy refused it with HTTP 407: check the user and password of proxy= "
            "or HTTP(S)_PROXY"
        )
    assert f"127.0.0.1:{port}" in str(unreachable)
    assert "retry 1 of 1" in caplog.text  # the unreachable proxy's retry was logged


async def test_a_proxy_forbidding_the_host_is_said_by_its_status_and_not_retried(
    fake: FakePackageX, front: TLSFront, tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    async with (
        ForwardProxy(f"{PROXY_USER}:{PROXY_PASSWORD}", hosts=NAMES, refuse_tunnels=403) as proxy,
        _through(proxy.port, fake, front, tls, max_retries=2) as px,
    ):
        with pytest.raises(APIConnectionError) as caught:
            await px.batches.retrieve("batch_1")

    assert str(caught.value).endswith("the proxy refused it with HTTP 403")
    assert proxy.refused == 1


@pytest.mark.frame_locals
async def test_proxy_credentials_are_never_shown(
    fake: FakePackageX,
    front: TLSFront,
    tls: tuple[ssl.SSLContext, ssl.SSLContext],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)

    errors, _, _ = await _refusals(fake, front, tls)

    shown = [_shown(error) for error in errors]  # before any assert adds to the locals
    for text in shown:
        assert PROXY_PASSWORD not in text
        assert KEY not in text
    assert PROXY_PASSWORD not in caplog.text


async def test_a_self_signed_server_is_refused_without_its_ca(
    fake: FakePackageX, tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    async with (
        TLSFront(tls[0], yarl.URL(fake.url).port or 0) as direct,
        PackageX(fake.api_key, base_url=direct.url) as px,
    ):
        with pytest.raises(APIConnectionError, match="(?i)certificate"):
            await px.batches.retrieve("batch_1")

    assert fake.requests == []


async def test_presigned_downloads_use_the_same_certificate_trust(
    fake: FakePackageX, tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    server, client = tls
    async with PackageX(fake.api_key, base_url=fake.url) as plain:
        export = await _completed_export(plain)
    storage = yarl.URL(export.json_url or "")
    async with TLSFront(server, storage.port or 0) as front:
        behind_tls = str(storage.with_scheme("https").with_port(front.port))
        async with PackageX(fake.api_key, base_url=fake.url, ssl=client) as px:
            body = await px.files.read(behind_tls)
        async with PackageX(fake.api_key, base_url=fake.url) as untrusting:
            with pytest.raises(APIConnectionError, match="(?i)certificate"):
                await untrusting.files.read(behind_tls)

    assert body.startswith(b"[")
    assert len(fake.storage_requests) == 1


async def test_netrc_adds_nothing_to_api_or_storage_requests(
    fake: FakePackageX, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """aiohttp's own trust_env=True would send these as ``Authorization: Basic``."""
    netrc = tmp_path / ".netrc"
    netrc.write_text(
        "machine 127.0.0.1 login netrcuser password netrc-secret\n"
        "default login anyuser password default-secret\n"
    )
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HOME", str(tmp_path))
    async with PackageX(fake.api_key, base_url=fake.url) as px:  # trust_env=True
        export = await _completed_export(px)
        await px.files.read(export.json_url or "")

    for request in [*fake.requests, *fake.storage_requests]:
        assert request.header("Authorization") is None
    assert fake.storage_requests[0].header("PX-API-KEY") is None


async def test_a_borrowed_session_is_used_as_is(
    fake: FakePackageX, proxy: ForwardProxy, front: TLSFront, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    async with (
        aiohttp.ClientSession() as session,  # aiohttp's trust_env=False
        PackageX(fake.api_key, base_url=api_url(front), session=session, max_retries=0) as px,
    ):
        with pytest.raises(APIConnectionError, match=f"could not connect to {API_HOST}"):
            await px.batches.retrieve("batch_1")

    assert proxy.tunnels == []
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
