"""The documented response envelope, on every API response, success or error.

``{"message", "data", "status", "errors", "code", "pagination", "endpoint"}``: ``data``
is an object (retrieve, create), an array (list, even when empty) or null (errors);
``pagination`` is set on list responses only. Bodies are built with orjson, the
cheapest part of a handler.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from aiohttp import web

__all__ = [
    "created_response",
    "error_response",
    "list_response",
    "object_response",
    "xml_error",
]


def _body(
    *,
    endpoint: str,
    status: int,
    message: str,
    data: Any,
    code: str | None = None,
    errors: Sequence[Any] = (),
    pagination: dict[str, Any] | None = None,
) -> bytes:
    return orjson.dumps(
        {
            "message": message,
            "data": data,
            "status": status,
            "errors": list(errors),
            "code": code,
            "pagination": pagination,
            "endpoint": endpoint,
        }
    )


def _json(body: bytes, status: int, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.Response(body=body, status=status, content_type="application/json", headers=headers)


def object_response(endpoint: str, message: str, data: dict[str, Any]) -> web.Response:
    """200 with one object as ``data``."""
    return _json(_body(endpoint=endpoint, status=200, message=message, data=data), 200)


def created_response(endpoint: str, message: str, data: dict[str, Any]) -> web.Response:
    """201 with the created object as ``data``."""
    return _json(_body(endpoint=endpoint, status=201, message=message, data=data), 201)


def list_response(
    endpoint: str, message: str, data: list[dict[str, Any]], page: int, limit: int, total: int
) -> web.Response:
    """200 with an array and ``pagination`` (``has_more`` = page * limit < total_count)."""
    pagination = {
        "page": page,
        "limit": limit,
        "has_more": page * limit < total,
        "total_count": total,
    }
    body = _body(endpoint=endpoint, status=200, message=message, data=data, pagination=pagination)
    return _json(body, 200)


def error_response(
    endpoint: str,
    status: int,
    code: str,
    message: str,
    errors: Sequence[Any] = (),
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """An error envelope: ``data`` null, ``code`` and ``errors`` set."""
    body = _body(
        endpoint=endpoint, status=status, message=message, data=None, code=code, errors=errors
    )
    return _json(body, status, headers)


def xml_error(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> web.Response:
    """An object-store style error: XML body, as S3 and GCS answer presigned requests."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>\n"
    )
    return web.Response(text=body, status=status, content_type="application/xml", headers=headers)
