"""What a failed answer becomes (``_http._failures``): the messages and fields callers read.

Pinned where mutation testing found them loose: redirects (with and without a
``Location``), storage errors quoting their body, envelope fields that are missing
or of another shape, and the excerpt of a body (cut at 200 characters, with ``...``
only when something was cut). See ``tests/MUTANTS.md`` and ``python -m tools.mutate``.
"""

from __future__ import annotations

import asyncio
import socket
import types
from typing import Any

import aiohttp
import pytest
import yarl

from packagex_async import (
    APIConnectionError,
    APIStatusError,
    BadRequestError,
    FileDownloadError,
    FileURLExpiredError,
    InternalServerError,
    PackageX,
)
from packagex_async._http._failures import from_exception
from packagex_async._http._redact import Redactor
from packagex_async._http._request import Request

from ..builders import KEY, envelope
from ..conftest import MockAPI
from ..hostile._server import HostileServer, Received, response

PATH = "/v1/batches/b"
STORAGE = "https://storage.example/bucket/b/result.json"
SIGNED = f"{STORAGE}?X-Amz-Signature=0123456789abcdef&X-Amz-Expires=300"


# -- redirects: never followed from the API, named for what they are


async def test_an_api_redirect_without_location_is_to_the_same_host(
    px: PackageX, mock_api: MockAPI
) -> None:
    mock_api.get(PATH, status=302)

    with pytest.raises(APIStatusError) as caught:
        await px.batches.retrieve("b")

    assert caught.value.status == 302
    assert caught.value.endpoint == PATH
    assert caught.value.message == (
        "the API redirected to the same host; redirects are not followed so that the API "
        "key is never sent to another host. Check base_url."
    )
    assert len(mock_api.sent()) == 1


async def test_an_api_redirect_names_its_target_without_the_query(
    px: PackageX, mock_api: MockAPI
) -> None:
    target = "https://elsewhere.example:8443/v1/batches/b?token=abcdef123"
    mock_api.get(PATH, status=307, headers={"Location": target})

    with pytest.raises(APIStatusError) as caught:
        await px.batches.retrieve("b")

    assert caught.value.message.startswith(
        "the API redirected to https://elsewhere.example:8443/v1/batches/b; "
    )


async def test_a_storage_redirect_without_location_is_a_connection_error() -> None:
    async def redirect_nowhere(_: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(response(302, b""))

    async with (
        HostileServer(redirect_nowhere) as storage,
        PackageX(KEY, base_url=storage.url, max_retries=0) as px,
    ):
        with pytest.raises(APIConnectionError) as caught:
            await px.files.read(f"{storage.url}/bucket/f.json?X-Amz-Signature=0123456789")

    assert str(caught.value) == (
        f"GET {storage.url}/bucket/f.json redirected to the same host (HTTP 302)"
    )


# -- storage errors


async def test_a_storage_error_quotes_its_body(px: PackageX, mock_api: MockAPI) -> None:
    mock_api.get(SIGNED, status=404, body=b"NoSuchKey")

    with pytest.raises(FileDownloadError) as caught:
        await px.files.read(SIGNED)

    assert caught.value.status == 404
    assert (
        str(caught.value) == f"the storage host answered GET {STORAGE} with HTTP 404: 'NoSuchKey'"
    )


async def test_a_storage_403_says_the_url_expired(px: PackageX, mock_api: MockAPI) -> None:
    mock_api.get(SIGNED, status=403, body=b"AccessDenied")

    with pytest.raises(FileURLExpiredError) as caught:
        await px.files.read(SIGNED)

    assert str(caught.value) == (
        f"the storage host refused GET {STORAGE} (HTTP 403): the presigned URL has expired "
        "or is not valid. Retrieve the batch or export again for a fresh URL."
    )


# -- envelope fields of an error answer


@pytest.mark.parametrize(
    ("fields", "code", "errors", "endpoint"),
    [
        ({"code": None, "errors": None, "endpoint": None}, None, [], PATH),
        ({"error_code": "E1", "errors": "not a list", "endpoint": ""}, "E1", [], PATH),
        (
            {"code": 17, "errors": [{"p": "x"}], "endpoint": "/v1/other"},
            "17",
            [{"p": "x"}],
            "/v1/other",
        ),
    ],
)
async def test_error_fields_are_read_only_in_their_documented_shapes(
    px: PackageX,
    mock_api: MockAPI,
    fields: dict[str, Any],
    code: str | None,
    errors: list[Any],
    endpoint: str,
) -> None:
    body = {"message": "no", "data": None, **fields}
    mock_api.get(PATH, status=400, payload=body)

    with pytest.raises(BadRequestError) as caught:
        await px.batches.retrieve("b")

    assert (caught.value.code, caught.value.errors, caught.value.endpoint) == (
        code,
        errors,
        endpoint,
    )


# -- the excerpt of a body that is not the envelope


@pytest.mark.parametrize(
    ("body", "excerpt"),
    [
        (b"", "(empty body)"),
        (b"a" * 200, repr("a" * 200)),
        (b"a" * 201, repr("a" * 200 + "...")),
        (b"<p>short</p>", "'<p>short</p>'"),
    ],
)
async def test_the_excerpt_of_a_body_is_its_first_200_characters(
    px: PackageX, mock_api: MockAPI, body: bytes, excerpt: str
) -> None:
    mock_api.get(PATH, status=500, body=body, repeat=True)

    with pytest.raises(InternalServerError) as caught:
        await px.batches.retrieve("b")

    assert caught.value.message == f"the answer was not the PackageX JSON envelope: {excerpt}"


async def test_an_error_envelope_message_defaults_to_the_status(
    px: PackageX, mock_api: MockAPI
) -> None:
    mock_api.get(PATH, status=409, payload=envelope(None, message=None))

    with pytest.raises(APIStatusError) as caught:
        await px.batches.retrieve("b")

    assert caught.value.message == "HTTP 409"


async def test_a_refused_connection_names_host_port_and_reason_not_aiohttp_internals() -> None:
    async with HostileServer(response(200, b"{}")) as server:
        url = server.url  # the server is gone once the block ends: the port refuses
    port = url.rsplit(":", 1)[1]
    async with PackageX(KEY, base_url=url, max_retries=0) as px:
        with pytest.raises(APIConnectionError) as caught:
            await px.batches.retrieve("b")

    assert str(caught.value) == (
        f"GET /v1/batches/b could not connect to 127.0.0.1:{port}: Connection refused"
    )


def test_a_name_that_does_not_resolve_is_named_with_the_resolvers_reason() -> None:
    """A resolver error carries its own negative code, which ``os.strerror`` does not know."""
    key = types.SimpleNamespace(host="api.packagex.invalid", port=443, ssl=True)
    resolver = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    request = Request.api(
        "GET", yarl.URL("https://api.packagex.invalid/v1/batches/b"),
        headers={}, redactor=Redactor([KEY]), timeout=5.0,
    )  # fmt: skip

    failure = from_exception(request, aiohttp.ClientConnectorError(key, resolver))

    assert str(failure.error) == (
        "GET /v1/batches/b could not connect to api.packagex.invalid:443: Name or service not known"
    )


@pytest.mark.parametrize(
    ("os_error", "reason"),
    [(OSError("Connect call failed"), "Connect call failed"), (OSError(), "OSError")],
)
def test_a_connect_error_without_a_code_is_named_by_its_text_or_its_kind(
    os_error: OSError, reason: str
) -> None:
    key = types.SimpleNamespace(host="127.0.0.1", port=8080, ssl=False)
    request = Request.api(
        "GET", yarl.URL("http://127.0.0.1:8080/v1/batches/b"),
        headers={}, redactor=Redactor([KEY]), timeout=5.0,
    )  # fmt: skip

    failure = from_exception(request, aiohttp.ClientConnectorError(key, os_error))

    assert str(failure.error) == f"GET /v1/batches/b could not connect to 127.0.0.1:8080: {reason}"
