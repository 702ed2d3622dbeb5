"""JSON bodies shaped like the API's, for request-shape unit tests."""

from __future__ import annotations

from typing import Any

API = "https://api.packagex.io"
KEY = "px_unit_test_key"


def envelope(
    data: Any, *, pagination: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """A success envelope as the API documents it."""
    body = {
        "message": "ok",
        "data": data,
        "status": 200,
        "errors": [],
        "code": None,
        "pagination": pagination,
        "endpoint": "/v1/test",
    }
    body.update(extra)
    return body


def page_envelope(items: list[Any], *, page: int, limit: int, total: int) -> dict[str, Any]:
    pagination = {
        "page": page,
        "limit": limit,
        "has_more": page * limit < total,
        "total_count": total,
    }
    return envelope(items, pagination=pagination)


def batch_json(number: int, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": f"batch_{number:04d}",
        "object": "batch",
        "organization_id": "org_1",
        "resource": "shipment",
        "mode": "sync",
        "via": "api",
        "action": "merge",
        "status": "completed",
        "duplicate_handling": "use_first",
        "reason": None,
        "phases": [
            {
                "name": "validate",
                "mode": "sync",
                "total": 3,
                "processed": 3,
                "success": 2,
                "error": 1,
            }
        ],
        "stats": {"created": 2, "updated": 0, "deleted": 0, "overwritten": 0, "events": 2},
        "created_at": 1_700_000_000 + number,
        "updated_at": 1_700_000_100 + number,
        "updated_by": "user_1",
        "checksum": "abc",
        "_upload_url": None,
        "_upload_csv_url": None,
        "_upload_json_url": None,
        "_errors_csv_url": None,
        "_errors_json_url": None,
        "_result_json_url": None,
    }
    body.update(fields)
    return body


def export_json(number: int, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": f"exp_{number:04d}",
        "object": "export",
        "organization_id": "org_1",
        "name": f"Weekly shipments {number}",
        "resource": "shipment",
        "status": "completed",
        "count_batches": 1,
        "count_total": 40,
        "created_at": 1_700_000_000 + number,
        "updated_at": 1_700_000_050 + number,
        "_json_url": None,
        "_csv_url": None,
        "_csv_error_url": None,
        "_csv_sanitized_url": None,
    }
    body.update(fields)
    return body
