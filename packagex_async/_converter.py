"""The one cattrs converter that turns decoded JSON into the public attrs models.

Configured once, at import. Attrs models get the straight-line structure functions
of ``_fastgen`` (listing is decode-bound; see there), registered in this converter
so that everything else still dispatches through cattrs. ``detailed_validation``
is off: its messages are replaced by ours anyway (``_decode`` reports any failure
as ``APIResponseValidationError``), and it costs about 1.5x.

The hooks encode the tolerance the API docs ask for:
- open enums (``Status | str``): a known value becomes the member, an unknown one
  stays a string; registered as predicate hooks because the union form is ignored
  by ``register_structure_hook`` on some converters;
- timestamps: integer epoch seconds (the documented form), epoch milliseconds or
  ISO 8601 strings, always returned as aware UTC datetimes;
- booleans: real booleans, or the strings ``"true"`` / ``"false"`` (never ``bool("false")``);
- a missing key or a ``null`` means the field's default (``[]`` for lists, 0 for the
  counters of phases and stats, ``None`` elsewhere); unknown keys are ignored; a
  leading-underscore key maps onto the attribute named in the field's ``json`` metadata.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, TypeVar

import attrs
import cattrs

from ._fastgen import MILLISECONDS_THRESHOLD, make_structure_fn

__all__ = ["converter", "structure_list"]

T = TypeVar("T")

converter = cattrs.Converter(detailed_validation=False, forbid_extra_keys=False)


def _open_enum_of(tp: Any) -> type[enum.Enum] | None:
    """The enum class of an ``Enum | str [| None]`` annotation, else None."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return None
    args = typing.get_args(tp)
    enums = [a for a in args if isinstance(a, type) and issubclass(a, enum.Enum)]
    if len(enums) == 1 and str in args:
        return enums[0]
    return None


def _open_enum_hook(tp: Any) -> Callable[[Any, Any], Any]:
    members = _open_enum_of(tp)._value2member_map_  # type: ignore[union-attr]

    def structure(value: Any, _: Any) -> Any:
        if value is None:
            return None
        return members.get(value, value if isinstance(value, str) else str(value))

    return structure


def _structure_datetime(value: Any, _: Any) -> datetime:
    if type(value) is int and abs(value) < MILLISECONDS_THRESHOLD:
        return datetime.fromtimestamp(value, tz=timezone.utc)
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                return parsed.replace(tzinfo=timezone.utc)
            return parsed.astimezone(timezone.utc)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected epoch seconds or an ISO 8601 string, got {value!r}")
    if abs(value) >= MILLISECONDS_THRESHOLD:
        value = value / 1000
    return datetime.fromtimestamp(value, tz=timezone.utc)


def _structure_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    if value in (0, 1):
        return bool(value)
    raise TypeError(f"expected a boolean, got {value!r}")


def _attrs_hook(cls: type[Any]) -> Callable[[Any, Any], Any]:
    return make_structure_fn(cls, converter.get_structure_hook)


converter.register_structure_hook(datetime, _structure_datetime)
converter.register_structure_hook(bool, _structure_bool)
converter.register_structure_hook_factory(lambda tp: _open_enum_of(tp) is not None, _open_enum_hook)
converter.register_structure_hook_factory(attrs.has, _attrs_hook)


def structure_list(item_type: type[T]) -> Callable[[Any], list[T]]:
    """A fast function decoding a JSON array into a list of ``item_type``."""
    hook = converter.get_structure_hook(item_type)

    def structure(value: Any) -> list[T]:
        if not isinstance(value, list):
            raise TypeError(f"expected an array, got {type(value).__name__}")
        return [hook(item, item_type) for item in value]

    return structure
