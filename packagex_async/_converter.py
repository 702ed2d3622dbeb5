"""The one cattrs converter that turns decoded JSON into the public attrs models.

Configured once, at import, with generated structure functions and
``detailed_validation=False``: listing is decode-bound, and the detailed mode costs
about 1.5x for error messages we replace with our own anyway (the transport wraps
any decode failure in ``APIResponseValidationError``).

The hooks encode the tolerance the API docs ask for:
- open enums (``Status | str``): a known value becomes the member, an unknown one
  stays a string; registered as predicate hooks because the union form is ignored
  by ``register_structure_hook`` on some converters;
- timestamps: integer epoch seconds (the documented form), epoch milliseconds or
  ISO 8601 strings, always returned as aware UTC datetimes;
- booleans: real booleans, or the strings ``"true"`` / ``"false"`` (never ``bool("false")``);
- lists that arrive as ``null`` are empty lists, and a ``null`` counter of a phase or
  stats object is its default (0) rather than a crash;
- a leading-underscore key maps onto the attribute named in the field's ``json``
  metadata; unknown keys are ignored.
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
from cattrs.cols import is_mutable_sequence, list_structure_factory
from cattrs.gen import make_dict_structure_fn, override

__all__ = ["converter", "structure_list"]

T = TypeVar("T")

# Epoch values above this are read as milliseconds (as seconds they'd be past year 5000).
_MILLISECONDS_THRESHOLD = 100_000_000_000

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
    if abs(value) >= _MILLISECONDS_THRESHOLD:
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


def _nullable_list_hook(tp: Any) -> Callable[[Any, Any], Any]:
    structure_items = list_structure_factory(tp, converter)

    def structure(value: Any, _: Any) -> Any:
        return [] if value is None else structure_items(value, tp)

    return structure


def _attrs_hook(cls: type[Any]) -> Callable[[Any, Any], Any]:
    renames: dict[str, Any] = {
        field.name: override(rename=field.metadata["json"])
        for field in attrs.fields(cls)
        if "json" in field.metadata
    }
    structure = make_dict_structure_fn(cls, converter, **renames)
    if not _has_plain_defaults(cls):
        return structure

    def structure_dropping_nulls(value: Any, tp: Any) -> Any:
        if None in value.values():
            value = {k: v for k, v in value.items() if v is not None}
        return structure(value, tp)

    return structure_dropping_nulls


def _has_plain_defaults(cls: type[Any]) -> bool:
    """Whether some field has a non-None literal default (a null should mean that)."""
    return any(
        field.default is not None
        and field.default is not attrs.NOTHING
        and not isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
        for field in attrs.fields(cls)
    )


def _structure_optional_str(value: Any, _: Any) -> str | None:
    return value if value is None or type(value) is str else str(value)


def _structure_optional_int(value: Any, _: Any) -> int | None:
    return value if value is None or type(value) is int else int(value)


def _structure_optional_datetime(value: Any, _: Any) -> datetime | None:
    return None if value is None else _structure_datetime(value, None)


def _is(expected: Any) -> Callable[[Any], bool]:
    return lambda tp: bool(tp == expected)


# Exact-type fast paths for the optional scalars every model is made of.
converter.register_structure_hook_func(_is(str | None), _structure_optional_str)
converter.register_structure_hook_func(_is(int | None), _structure_optional_int)
converter.register_structure_hook_func(_is(datetime | None), _structure_optional_datetime)
converter.register_structure_hook(datetime, _structure_datetime)
converter.register_structure_hook(bool, _structure_bool)
converter.register_structure_hook_factory(lambda tp: _open_enum_of(tp) is not None, _open_enum_hook)
converter.register_structure_hook_factory(is_mutable_sequence, _nullable_list_hook)
converter.register_structure_hook_factory(attrs.has, _attrs_hook)


def structure_list(item_type: type[T]) -> Callable[[Any], list[T]]:
    """A fast function decoding a JSON array into a list of ``item_type``."""
    hook = converter.get_structure_hook(list[item_type])  # type: ignore[valid-type]
    list_type = list[item_type]  # type: ignore[valid-type]

    def structure(value: Any) -> list[T]:
        return hook(value, list_type)  # type: ignore[no-any-return]

    return structure
