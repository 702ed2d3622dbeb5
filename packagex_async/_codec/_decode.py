"""From a success envelope to public models, with shape errors the user can read.

The transport guarantees a JSON object with a ``data`` key; everything past that
(an object where an array belongs, a missing ``pagination``, a field of the wrong
type) is checked here and reported as ``APIResponseValidationError``. An envelope
``_fastbody`` decoded (a ``Decoded``) holds models already; its pagination is
checked all the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .._errors import APIResponseValidationError
from ..models import Page, Pagination
from ._converter import converter
from ._fastbody import Decoded

__all__ = ["decode_object", "decode_page"]

T = TypeVar("T")

_hooks: dict[type[Any], Callable[[Any, Any], Any]] = {}
"""Each model's structure function, looked up once (a retrieve decodes one object)."""

# What the converter raises on a value of the wrong shape with detailed_validation off.
_SHAPE_ERRORS = (TypeError, ValueError, KeyError, AttributeError, OverflowError)


def decode_object(envelope: dict[str, Any], model: type[T], endpoint: str) -> T:
    """The ``data`` object of a retrieve answer as ``model``."""
    data = envelope["data"]
    if isinstance(envelope, Decoded):  # msgspec read it into the model already
        decoded_already: T = data
        return decoded_already
    if not isinstance(data, dict):
        raise _shape_error(endpoint, f"'data' should be an object, got {_kind(data)}")
    try:
        structure = _hooks.get(model) or _hooks.setdefault(
            model, converter.get_structure_hook(model)
        )
        decoded: T = structure(data, model)
    except _SHAPE_ERRORS as exc:
        raise _shape_error(endpoint, f"the {model.__name__} could not be read: {exc}") from exc
    return decoded


def decode_page(
    envelope: dict[str, Any],
    structure_items: Callable[[Any], list[T]],
    endpoint: str,
    *,
    page: int,
    limit: int,
) -> Page[T]:
    """A list answer as a ``Page``: the decoded items and the pagination object.

    A ``pagination`` of ``null`` (the general docs allow it) means there is nothing
    after this page; ``page`` and ``limit`` are then the ones asked for.
    """
    data = envelope["data"]
    if not isinstance(data, list):
        raise _shape_error(endpoint, f"'data' should be an array, got {_kind(data)}")
    if "pagination" not in envelope:
        raise _shape_error(endpoint, "'pagination' should be an object, got nothing")
    pagination = _pagination(envelope["pagination"], endpoint, page=page, limit=limit)
    if isinstance(envelope, Decoded):  # msgspec read the items into models already
        return Page(data, pagination)
    try:
        return Page(structure_items(data), pagination)
    except _SHAPE_ERRORS as exc:
        raise _shape_error(endpoint, f"the page could not be read: {exc}") from exc


def _pagination(raw: Any, endpoint: str, *, page: int, limit: int) -> Pagination:
    """The pagination object, checked strictly: the walk steers by it."""
    if raw is None:
        return Pagination(page=page, limit=limit, has_more=False, total_count=None)
    if not isinstance(raw, dict):
        raise _shape_error(endpoint, f"'pagination' should be an object, got {_kind(raw)}")
    try:
        has_more = converter.structure(raw.get("has_more"), bool)
    except TypeError:
        raise _shape_error(
            endpoint, f"pagination.has_more should be a boolean, got {raw.get('has_more')!r}"
        ) from None
    total = raw.get("total_count")
    return Pagination(
        page=_whole(raw.get("page"), "page", endpoint, minimum=1),
        limit=_whole(raw.get("limit"), "limit", endpoint, minimum=1),
        has_more=has_more,
        total_count=None if total is None else _whole(total, "total_count", endpoint, minimum=0),
    )


def _whole(value: Any, name: str, endpoint: str, *, minimum: int) -> int:
    if type(value) is not int or value < minimum:
        raise _shape_error(
            endpoint, f"pagination.{name} should be an integer >= {minimum}, got {value!r}"
        )
    return value


def _shape_error(endpoint: str, problem: str) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"GET {endpoint}: the answer does not have the documented shape: {problem}", status=200
    )


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__
