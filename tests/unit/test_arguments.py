"""Bad arguments fail before any request, naming the parameter and what is allowed."""

from __future__ import annotations

from typing import Any

import pytest

from packagex_async import BatchStatus, ExportStatus, PackageX

from ..conftest import MockAPI


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"status": "complete"}, ValueError, "status must be one of 'requested', 'queued'"),
        ({"status": 3}, TypeError, "status must be one of"),
        (
            {"status": ExportStatus.COMPLETED},
            TypeError,
            "status takes BatchStatus members or one of",
        ),
        ({"resource": "location"}, ValueError, "resource must be one of 'contact', 'group'"),
        (
            {"mode": "batch"},
            ValueError,
            "mode must be one of 'sync', 'mixed', 'async', got 'batch'",
        ),
        ({"via": "email"}, ValueError, "via must be one of 'api', 'file'"),
        ({"page": 0}, ValueError, "page must be an integer >= 1, got 0"),
        ({"page": "2"}, TypeError, "page must be an integer >= 1"),
        ({"page": True}, TypeError, "page must be an integer >= 1"),
        ({"limit": 0}, ValueError, "limit must be an integer >= 1, got 0"),
        ({"limit": -5}, ValueError, "limit must be an integer >= 1"),
        ({"limit": 2.5}, TypeError, "limit must be an integer >= 1"),
    ],
)
async def test_bad_batch_list_arguments(
    px: PackageX, mock_api: MockAPI, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        px.batches.list(**kwargs)
    assert mock_api.sent() == []


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"order_by": "name"}, ValueError, "order_by must be one of 'created_at', 'count_batches'"),
        ({"direction": "up"}, ValueError, "direction must be one of 'asc', 'desc', got 'up'"),
        ({"resource": "invoice"}, ValueError, "resource must be one of 'contact'"),
        ({"statuses": "done"}, ValueError, "statuses must be one of 'queued', 'processing'"),
        ({"statuses": ["completed", "expired"]}, ValueError, "got 'expired'"),
        ({"statuses": []}, ValueError, "statuses must name at least one value"),
        ({"statuses": 5}, TypeError, "statuses must be a value or a list of values"),
        ({"statuses": [BatchStatus.QUEUED]}, TypeError, "statuses takes ExportStatus members"),
        ({"search": 12}, TypeError, "search must be a string"),
        ({"page": -1}, ValueError, "page must be an integer >= 1"),
        ({"limit": None, "page": "1"}, TypeError, "page must be an integer >= 1"),
    ],
)
async def test_bad_export_list_arguments(
    px: PackageX, mock_api: MockAPI, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        px.exports.list(**kwargs)
    assert mock_api.sent() == []


@pytest.mark.parametrize(
    ("batch_id", "error", "message"),
    [
        ("", ValueError, "batch_id must be a non-empty id"),
        ("   ", ValueError, "batch_id must be a non-empty id"),
        (None, TypeError, "batch_id must be a string id, got NoneType"),
        (123, TypeError, "batch_id must be a string id, got int"),
        ("..", ValueError, "is not an id"),
    ],
)
async def test_bad_ids(
    px: PackageX, mock_api: MockAPI, batch_id: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        await px.batches.retrieve(batch_id)
    with pytest.raises(error, match=message.replace("batch_id", "export_id")):
        await px.exports.retrieve(batch_id)
    assert mock_api.sent() == []


@pytest.mark.parametrize("value", ["true", 1, None, "yes"])
@pytest.mark.parametrize(
    "flag",
    [
        "include_upload_csv",
        "include_upload_json",
        "include_errors_csv",
        "include_errors_json",
        "include_result_json",
    ],
)
async def test_batch_include_flags_must_be_bools(
    px: PackageX, mock_api: MockAPI, flag: str, value: object
) -> None:
    with pytest.raises(TypeError, match=f"{flag} must be True or False, got {value!r}"):
        await px.batches.retrieve("batch_1", **{flag: value})
    assert mock_api.sent() == []


@pytest.mark.parametrize("flag", ["include_csv", "include_json"])
async def test_export_include_flags_must_be_bools(
    px: PackageX, mock_api: MockAPI, flag: str
) -> None:
    with pytest.raises(TypeError, match=f"{flag} must be True or False, got 'false'"):
        await px.exports.retrieve("exp_1", **{flag: "false"})
    assert mock_api.sent() == []
