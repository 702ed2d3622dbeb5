"""From an answer body to public models: the one way every answer is decoded.

A reader (``object_reader``, ``page_reader``) is what a resource hands the pipeline:
bytes in, a model or a ``Page`` out. It first asks the accelerator (``_fastbody``),
which takes only bodies in the documented form; any other body is decoded the full
way here: ``orjson`` parses it, the converter's structure functions apply every rule
of ``_rules``. Both give the same result for a body the accelerator takes.

A body that is not the JSON envelope (not JSON, not an object, no ``data``) is a
``NotEnvelope``; an envelope without the documented shape (an object where an array
belongs, a missing ``pagination``, a field of the wrong type) is a ``Misshapen``
saying what is wrong. The pipeline turns those into ``APIResponseValidationError``
with the method and path of the request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import cattrs
import orjson

from .._http import Misshapen, NotEnvelope
from ..models import Page, Pagination
from ._converter import converter, structure_list
from ._fastbody import object_accelerator, page_accelerator

__all__ = [
    "SHAPE_ERRORS",
    "decode_object",
    "decode_page",
    "object_reader",
    "page_reader",
    "parse",
    "use_reference",
]

T = TypeVar("T")

SHAPE_ERRORS = (TypeError, ValueError, KeyError, AttributeError, OverflowError)
"""What the converter raises on a value of the wrong shape (``detailed_validation`` off)."""


@attrs.define
class _Decoding:
    """The converter the full way uses, and whether the accelerator is tried first."""

    converter: cattrs.Converter
    accelerate: bool = True
    hooks: dict[Any, Any] = attrs.Factory(dict)
    """Each model's structure function (and list function), looked up once."""


_decoding = _Decoding(converter)


def use_reference(reference: cattrs.Converter | None) -> None:
    """For the tests: decode every answer the full way with ``reference`` (the
    plain-cattrs one), without the accelerator; ``None`` restores the package's."""
    global _decoding
    _decoding = _Decoding(converter) if reference is None else _Decoding(reference, False)


def object_reader(model: type[T]) -> Callable[[bytes], T]:
    """Reads a retrieve or create answer: ``data`` one ``model``."""
    fast = object_accelerator(model)  # type: ignore[arg-type]  # classes are hashable

    def read(body: bytes) -> T:
        if _decoding.accelerate and (decoded := fast(body)) is not None:
            return decoded  # type: ignore[no-any-return]
        return decode_object(parse(body), model)

    return read


def page_reader(model: type[T]) -> Callable[[bytes, int, int], Page[T]]:
    """Reads a list answer for page ``page`` of ``limit`` items as a ``Page``."""
    fast = page_accelerator(model)  # type: ignore[arg-type]  # classes are hashable

    def read(body: bytes, page: int, limit: int) -> Page[T]:
        if _decoding.accelerate and (decoded := fast(body, page, limit)) is not None:
            return decoded
        return decode_page(parse(body), model, page=page, limit=limit)

    return read


def parse(body: bytes) -> dict[str, Any]:
    """The envelope: a JSON object with ``data``, or ``NotEnvelope``."""
    try:
        envelope = orjson.loads(body)
    except orjson.JSONDecodeError:
        envelope = None
    if not isinstance(envelope, dict) or "data" not in envelope:
        raise NotEnvelope("not the JSON envelope")
    return envelope


def decode_object(envelope: dict[str, Any], model: type[T]) -> T:
    """The ``data`` object of a retrieve or create answer as ``model``."""
    data = envelope["data"]
    if not isinstance(data, dict):
        raise Misshapen(f"'data' should be an object, got {_kind(data)}")
    hooks = _decoding.hooks
    structure = hooks.get(model) or hooks.setdefault(
        model, _decoding.converter.get_structure_hook(model)
    )
    try:
        decoded: T = structure(data, model)
    except SHAPE_ERRORS as exc:
        problem = f"the {model.__name__} could not be read: {exc}"
    else:
        return decoded
    raise Misshapen(problem)  # outside the handler: the converter's error is not chained


def decode_page(envelope: dict[str, Any], model: type[T], *, page: int, limit: int) -> Page[T]:
    """A list answer as a ``Page``: the decoded items, the pagination object and the
    envelope's ``events`` when it has a list of them (the accelerator leaves a body with
    ``events`` to this way).

    A ``pagination`` of ``null`` (the general docs allow it) means there is nothing
    after this page; ``page`` and ``limit`` are then the ones asked for.
    """
    data = envelope["data"]
    if not isinstance(data, list):
        raise Misshapen(f"'data' should be an array, got {_kind(data)}")
    if "pagination" not in envelope:
        raise Misshapen("'pagination' should be an object, got nothing")
    pagination = _pagination(envelope["pagination"], page=page, limit=limit)
    events = envelope.get("events")
    events = events if isinstance(events, list) else None  # optional, never a failure
    hooks, key = _decoding.hooks, (list, model)
    structure = hooks.get(key) or hooks.setdefault(
        key, structure_list(model, using=_decoding.converter)
    )
    try:
        return Page(structure(data), pagination, events)
    except SHAPE_ERRORS as exc:
        problem = f"the page could not be read: {exc}"
    raise Misshapen(problem)


def _pagination(raw: Any, *, page: int, limit: int) -> Pagination:
    """The pagination object, checked strictly: the walk steers by it."""
    if raw is None:
        return Pagination(page=page, limit=limit, has_more=False, total_count=None)
    if not isinstance(raw, dict):
        raise Misshapen(f"'pagination' should be an object, got {_kind(raw)}")
    try:
        has_more = _decoding.converter.structure(raw.get("has_more"), bool)
    except TypeError:
        has_more = None
    if has_more is None:
        raise Misshapen(f"pagination.has_more should be a boolean, got {raw.get('has_more')!r}")
    total = raw.get("total_count")
    return Pagination(
        page=_whole(raw.get("page"), "page", minimum=1),
        limit=_whole(raw.get("limit"), "limit", minimum=1),
        has_more=has_more,
        total_count=None if total is None else _whole(total, "total_count", minimum=0),
    )


def _whole(value: Any, name: str, *, minimum: int) -> int:
    if type(value) is not int or value < minimum:
        raise Misshapen(f"pagination.{name} should be an integer >= {minimum}, got {value!r}")
    return value


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__
