"""The client: where the key comes from, what base URLs it accepts, its lifecycle."""

from __future__ import annotations

import re
from typing import Any

import aiohttp
import pytest

from packagex_async import PackageX

from ..builders import API, KEY, batch_json, envelope
from ..conftest import MockAPI


async def sent_key(mock_api: MockAPI, px: PackageX) -> str:
    mock_api.get("/v1/batches/b", payload=envelope(batch_json(1)))
    async with px:
        await px.batches.retrieve("b")
    [(_, kwargs)] = mock_api.sent()
    return str(kwargs["headers"]["PX-API-KEY"])


async def test_api_key_falls_back_to_the_environment(
    monkeypatch: pytest.MonkeyPatch, mock_api: MockAPI
) -> None:
    monkeypatch.setenv("PX_API_KEY", "px_from_env")

    assert await sent_key(mock_api, PackageX(base_url=API)) == "px_from_env"


async def test_explicit_key_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, mock_api: MockAPI
) -> None:
    monkeypatch.setenv("PX_API_KEY", "px_from_env")

    assert await sent_key(mock_api, PackageX("px_explicit", base_url=API)) == "px_explicit"


def test_missing_key_names_both_ways_to_give_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PX_API_KEY", raising=False)

    with pytest.raises(ValueError, match=r"pass PackageX\(api_key=...\) or set the PX_API_KEY"):
        PackageX()


@pytest.mark.parametrize("key", ["", " px_key", "px key", "px_key\n"])
def test_malformed_keys_are_refused_without_echoing_them(key: str) -> None:
    with pytest.raises(ValueError, match="api_key is empty or contains whitespace") as caught:
        PackageX(key)
    if key.strip():
        assert key.strip() not in str(caught.value)


def test_repr_never_shows_the_key() -> None:
    px = PackageX("px_secret_value_123")

    assert "px_secret_value_123" not in repr(px)
    assert repr(px) == "<PackageX base_url='https://api.packagex.io' open>"


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "https://api.example.com/"],
)
def test_accepted_base_urls(base_url: str) -> None:
    assert PackageX(KEY, base_url=base_url).base_url == base_url.rstrip("/")


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("http://api.packagex.io", "plain http://, which would send the API key unencrypted"),
        ("http://10.0.0.1", "plain http://"),
        ("ftp://api.packagex.io", "must be an https:// URL with a host"),
        ("api.packagex.io", "must be an https:// URL with a host"),
        ("https://user:pw@api.packagex.io", "must not carry credentials"),
    ],
)
def test_refused_base_urls(base_url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PackageX(KEY, base_url=base_url)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"timeout": 0}, ValueError, "timeout must be a finite number of seconds > 0"),
        ({"timeout": "5"}, TypeError, "timeout must be a number of seconds"),
        ({"max_retries": -1}, ValueError, "max_retries must be an integer >= 0"),
        ({"max_retries": 1.5}, TypeError, "max_retries must be an integer >= 0"),
        ({"retry_initial_delay": -0.1}, ValueError, "retry_initial_delay must be a finite"),
        ({"retry_max_delay": float("inf")}, ValueError, "retry_max_delay must be a finite"),
        ({"session": object()}, TypeError, "session must be an aiohttp.ClientSession"),
    ],
)
def test_bad_client_options(kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        PackageX(KEY, **kwargs)


async def test_close_is_idempotent_and_a_closed_client_refuses_requests() -> None:
    px = PackageX(KEY)
    assert px.closed is False
    await px.close()
    await px.close()

    assert px.closed is True
    with pytest.raises(RuntimeError) as caught:
        await px.batches.retrieve("batch_1")
    assert str(caught.value) == "this PackageX client is closed; create a new PackageX to go on"


async def test_context_manager_closes_the_session_it_created(mock_api: MockAPI) -> None:
    mock_api.get("/v1/batches/b", payload=envelope(batch_json(1)))

    async with PackageX(KEY, base_url=API) as px:
        await px.batches.retrieve("b")
        session = px._shared._session
        assert session is not None

    assert session.closed
    assert px.closed


async def test_a_borrowed_session_is_used_and_left_open(mock_api: MockAPI) -> None:
    mock_api.get("/v1/batches/b", payload=envelope(batch_json(1)))

    async with aiohttp.ClientSession() as session:
        async with PackageX(KEY, base_url=API, session=session) as px:
            batch = await px.batches.retrieve("b")
        assert not session.closed

    assert batch.id == "batch_0001"


async def test_a_borrowed_session_gets_the_key_per_request_and_keeps_its_own_headers(
    mock_api: MockAPI,
) -> None:
    async with aiohttp.ClientSession(headers={"X-Team": "ops"}) as session:
        assert await sent_key(mock_api, PackageX(KEY, base_url=API, session=session)) == KEY
        [(_, kwargs)] = mock_api.sent()

        assert kwargs["headers"]["X-Team"] == "ops"
        assert dict(session.headers) == {"X-Team": "ops"}


async def test_an_owned_client_keeps_the_key_off_its_storage_session_on_one_pool(
    mock_api: MockAPI,
) -> None:
    """API and storage requests share one connection pool (and ``connection_limit``),
    but only the API session carries the key: a storage host never sees it."""
    mock_api.get("/v1/batches/b", payload=envelope(batch_json(1)))
    async with PackageX(KEY, base_url=API, connection_limit=7) as px:
        await px.batches.retrieve("b")
        [(_, kwargs)] = mock_api.sent()
        assert kwargs["headers"]["PX-API-KEY"] == KEY
        api, storage = px._shared.get(), px._shared.get(storage=True)

        assert api.headers["PX-API-KEY"] == KEY
        assert "PX-API-KEY" not in storage.headers
        assert not storage.headers
        assert storage.connector is api.connector
        assert api.connector is not None
        assert api.connector.limit == 7

    assert api.closed
    assert storage.closed


async def test_a_presigned_url_on_the_api_host_is_still_fetched_without_the_key(
    mock_api: MockAPI,
) -> None:
    """What decides the session is the kind of request, not the host it goes to."""
    signed = f"{API}/exports/e.json?X-Amz-Signature=abc"
    mock_api.get(re.compile(re.escape(f"{API}/exports/e.json") + r"\?.*"), body=b"[]")
    async with PackageX(KEY, base_url=API) as px:
        assert await px.files.read(signed) == b"[]"

    [(_, kwargs)] = mock_api.sent()
    assert "PX-API-KEY" not in (kwargs.get("headers") or {})


def test_the_client_can_be_built_outside_a_running_loop() -> None:
    px = PackageX(KEY)

    assert px._shared._session is None
    assert not px.closed
