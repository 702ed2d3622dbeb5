"""Every public exception survives pickling: process pools hand errors back that way."""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

import packagex_async
from packagex_async import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    Batch,
    BatchStatus,
    Export,
    FileDownloadError,
    FileNotAvailableError,
    FileURLExpiredError,
    InternalServerError,
    JobFailedError,
    NotFoundError,
    PackageXError,
    PackageXTypeError,
    PackageXValueError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    WaitTimeoutError,
)

STATUS_FIELDS: dict[str, Any] = {
    "status": 404,
    "code": "not_found",
    "errors": [{"property": "id", "message": "unknown"}],
    "endpoint": "/v1/batches/batch_1",
}


def _examples() -> list[PackageXError]:
    """One instance of each public class, with every attribute it has set."""
    status = [
        cls("no such batch", **STATUS_FIELDS)
        for cls in (
            APIStatusError,
            BadRequestError,
            AuthenticationError,
            PermissionDeniedError,
            NotFoundError,
            InternalServerError,
        )
    ]
    throttled = RateLimitError("slow down", retry_after=2.5, **{**STATUS_FIELDS, "status": 429})
    cut = APIConnectionError("GET /v1/batches was cut short")
    cut.at_page(3)
    unsure = APIConnectionError("POST /v1/exports failed")
    unsure.outcome_unknown = "The export may exist; list exports to find it."
    batch = Batch(id="batch_1", status=BatchStatus.PROCESSING)
    return [
        *status,
        throttled,
        cut,
        unsure,
        APITimeoutError("GET /v1/batches took longer than 5s"),
        APIResponseValidationError("not the envelope", status=200, body=b"<html>"),
        ResponseTooLargeError("too large", status=200, limit=1024),
        PaginationError("page 2 repeats page 1", page=2),
        FileNotAvailableError("no result file: retrieve with include_result=True"),
        FileDownloadError("storage answered 500", status=500),
        FileURLExpiredError("expired", status=403),
        WaitTimeoutError("still processing after 30s", last=batch),
        JobFailedError("the export failed", job=Export(id="export_1", status="failed")),
        PackageXError("the base class"),
        PackageXValueError("timeout must be positive, got -1"),
        PackageXTypeError("timeout must be a number, got str"),
    ]


def test_every_public_exception_class_has_an_example() -> None:
    public = {
        obj
        for name in packagex_async.__all__
        if isinstance(obj := getattr(packagex_async, name), type) and issubclass(obj, PackageXError)
    }
    assert public == {type(error) for error in _examples()}


@pytest.mark.parametrize("error", _examples(), ids=lambda error: type(error).__name__)
def test_round_trip_keeps_class_message_and_attributes(error: PackageXError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert vars(copy) == vars(error)
    assert copy.resumes_at == error.resumes_at


def raise_not_found(batch_id: str) -> None:
    """Run in a worker process: fails the way a retrieve of an unknown id does."""
    raise NotFoundError(
        f"no batch {batch_id}", status=404, code="not_found", endpoint=f"/v1/batches/{batch_id}"
    )


def test_an_error_raised_in_a_process_pool_worker_reaches_the_caller() -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(raise_not_found, "batch_9")
        with pytest.raises(NotFoundError) as caught:
            future.result(timeout=120)
    assert caught.value.status == 404
    assert caught.value.code == "not_found"
    assert caught.value.endpoint == "/v1/batches/batch_9"
    assert str(caught.value) == "HTTP 404 [not_found] from /v1/batches/batch_9: no batch batch_9"
