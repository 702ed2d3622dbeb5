"""Error statuses and malformed answers become the documented exceptions."""

from __future__ import annotations

import pytest
from aiohttp import ClientConnectionError

from packagex_async import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PackageX,
    PackageXError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
)

from ..builders import KEY, envelope
from ..conftest import MockAPI


def error_envelope(status: int, message: str, code: str, errors: list[object]) -> dict[str, object]:
    return envelope(None, status=status, message=message, code=code, errors=errors)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, APIStatusError),
        (422, APIStatusError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
    ],
)
async def test_each_status_raises_its_class_with_the_envelope_fields(
    mock_api: MockAPI, status: int, error_class: type[APIStatusError]
) -> None:
    body = error_envelope(status, "Something is off", "some_code", [{"property": "status"}])
    mock_api.get("/v1/batches/b", status=status, payload=body, repeat=True)

    async with PackageX(KEY, base_url="https://api.packagex.io", max_retries=0) as px:
        with pytest.raises(error_class) as caught:
            await px.batches.retrieve("b")

    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, PackageXError)
    assert error.status == status
    assert error.code == "some_code"
    assert error.message == "Something is off"
    assert error.errors == [{"property": "status"}]
    assert error.endpoint == "/v1/test"
    assert f"HTTP {status}" in str(error)
    assert "Something is off" in str(error)


async def test_older_error_code_key_is_read(px: PackageX, mock_api: MockAPI) -> None:
    body = {"message": "no", "status": 404, "error_code": "batch_not_found", "data": None}
    mock_api.get("/v1/batches/b", status=404, payload=body)

    with pytest.raises(NotFoundError) as caught:
        await px.batches.retrieve("b")

    assert caught.value.code == "batch_not_found"
    assert caught.value.endpoint == "/v1/batches/b"


async def test_html_error_page_keeps_its_status_class(px: PackageX, mock_api: MockAPI) -> None:
    html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    mock_api.get("/v1/batches/b", status=502, body=html, content_type="text/html", repeat=True)

    with pytest.raises(InternalServerError) as caught:
        await px.batches.retrieve("b")

    assert caught.value.status == 502
    assert "not the PackageX JSON envelope" in str(caught.value)
    assert "502 Bad Gateway" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("<html>hello</html>", "not the PackageX JSON envelope"),
        ('{"data": [1, 2', "not the PackageX JSON envelope"),
        ('["data"]', "not the PackageX JSON envelope"),
        ('{"message": "ok"}', "not the PackageX JSON envelope"),
        ('{"data": []}', "'data' should be an object, got list"),
        ('{"data": {"id": "b", "created_at": "yesterday"}}', "could not be read"),
        (
            '{"data": {"status": "completed"}}',
            "field 'id' must be a non-empty string",
        ),
        ('{"data": {"id": "b", "phases": [1]}}', "could not be read"),
    ],
)
async def test_success_status_with_a_wrong_body_is_a_validation_error(
    px: PackageX, mock_api: MockAPI, body: str, problem: str
) -> None:
    mock_api.get("/v1/batches/b", status=200, body=body, repeat=True)

    with pytest.raises(APIResponseValidationError, match=problem) as caught:
        await px.batches.retrieve("b")

    assert caught.value.status == 200


async def test_list_item_that_is_not_an_object_is_a_validation_error(
    px: PackageX, mock_api: MockAPI
) -> None:
    pagination = {"page": 1, "limit": 10, "has_more": False, "total_count": 1}
    mock_api.get("/v1/exports", payload=envelope(["exp_1"], pagination=pagination))

    with pytest.raises(APIResponseValidationError, match="the page could not be read"):
        [e async for e in px.exports.list()]


async def test_list_without_a_pagination_key_is_a_validation_error(
    px: PackageX, mock_api: MockAPI
) -> None:
    body = envelope([])
    del body["pagination"]
    mock_api.get("/v1/exports", payload=body)

    with pytest.raises(APIResponseValidationError, match="'pagination' should be an object"):
        [e async for e in px.exports.list()]


async def test_a_null_pagination_ends_the_listing_after_that_page(
    px: PackageX, mock_api: MockAPI
) -> None:
    mock_api.get("/v1/exports", payload=envelope([{"id": "exp_1"}, {"id": "exp_2"}]))

    paginator = px.exports.list()
    assert [e.id async for e in paginator] == ["exp_1", "exp_2"]
    assert paginator.next_page is None
    assert len(mock_api.sent()) == 1


async def test_connection_failure_is_an_api_connection_error(
    px: PackageX, mock_api: MockAPI
) -> None:
    mock_api.get("/v1/batches/b", exception=ClientConnectionError("refused"), repeat=True)

    with pytest.raises(
        APIConnectionError, match="GET /v1/batches/b failed: ClientConnectionError: refused"
    ):
        await px.batches.retrieve("b")


async def test_redirect_is_refused_without_following_it(px: PackageX, mock_api: MockAPI) -> None:
    mock_api.get("/v1/batches/b", status=302, headers={"Location": "https://evil.example/x"})

    with pytest.raises(APIStatusError, match="redirected to https://evil.example") as caught:
        await px.batches.retrieve("b")

    assert caught.value.status == 302
    assert len(mock_api.sent()) == 1


async def test_a_server_error_is_retried_and_the_retry_succeeds(
    px: PackageX, mock_api: MockAPI
) -> None:
    mock_api.get("/v1/batches/b", status=503, payload=envelope(None, status=503))
    mock_api.get("/v1/batches/b", payload=envelope({"id": "b"}))

    batch = await px.batches.retrieve("b")

    assert batch.id == "b"
    assert len(mock_api.sent()) == 2


async def test_retries_stop_after_max_retries(mock_api: MockAPI) -> None:
    mock_api.get("/v1/batches/b", status=500, payload=envelope(None, status=500), repeat=True)

    async with PackageX(KEY, base_url="https://api.packagex.io", max_retries=3) as px:
        with pytest.raises(InternalServerError):
            await px.batches.retrieve("b")

    assert len(mock_api.sent()) == 4


async def test_a_client_error_is_not_retried(px: PackageX, mock_api: MockAPI) -> None:
    mock_api.get("/v1/batches/b", status=400, payload=envelope(None, status=400), repeat=True)

    with pytest.raises(BadRequestError):
        await px.batches.retrieve("b")

    assert len(mock_api.sent()) == 1


def test_the_resume_hint_is_rendered_from_the_page_attribute() -> None:
    error = InternalServerError("boom", status=500)
    assert str(error) == "HTTP 500: boom"

    error.at_page(3)

    assert error.page == 3
    assert error.resumes_at == 3
    assert error.detail == "HTTP 500: boom"
    assert str(error) == "HTTP 500: boom (listing stopped at page 3; resume with list(page=3))"
    assert error.args == ("HTTP 500: boom",)  # the text itself is never edited


def test_a_pagination_error_names_its_page_but_offers_no_resume() -> None:
    error = PaginationError("page 4 repeats items already listed", page=4)

    assert error.page == 4
    assert error.resumes_at is None
    assert str(error) == "page 4 repeats items already listed"
