"""Generated structure functions for the attrs models: the decode hot path.

Listing is decode-bound once the network is fast: cattrs' own generated functions
build a keyword dict and call a hook per field, about 12 us for a batch here. The
function generated here is one straight expression per field, positional, with the
common cases inlined (a ``str`` passes through, an enum value is a dict lookup, a
list is a comprehension over its items' hook, a ``None`` is the field's default),
and the converter's hook called only for the rest.
It is registered *in* the one cattrs converter, so nested and list types still
dispatch through cattrs.

Rules it encodes: a missing key and a JSON ``null`` both mean the field's default;
a field without a default is required (its absence raises ``KeyError``, reported
by ``_decode`` as a shape error), and a required text field such as ``id`` must be
a non-empty string (a ``TypeError`` naming the field otherwise); the wire key comes
from the ``json`` metadata.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import attrs

__all__ = ["MILLISECONDS_THRESHOLD", "make_structure_fn"]

MILLISECONDS_THRESHOLD = 100_000_000_000
"""Epoch values at or above this are milliseconds (as seconds they'd be past year 5000)."""


def make_structure_fn(
    cls: type[Any], hook_for: Callable[[Any], Callable[[Any, Any], Any]]
) -> Callable[[Any, Any], Any]:
    """A function ``(mapping, type) -> cls`` for the attrs class ``cls``."""
    attrs.resolve_types(cls)  # the models use postponed (string) annotations
    fields = attrs.fields(cls)
    if any(not f.init or f.kw_only for f in fields):
        raise TypeError(f"{cls.__qualname__}: fields are passed positionally, in order")
    names: dict[str, Any] = {"__cl": cls}
    args = [_field_expr(i, f, names, hook_for) for i, f in enumerate(fields)]
    source = f"def structure(o, _=None):\n    g = o.get\n    return __cl({', '.join(args)})\n"
    exec(compile(source, f"<packagex_async structure {cls.__qualname__}>", "exec"), names)
    structure: Callable[[Any, Any], Any] = names["structure"]
    return structure


def _field_expr(
    index: int,
    field: attrs.Attribute,  # type: ignore[type-arg]
    names: dict[str, Any],
    hook_for: Callable[[Any], Callable[[Any, Any], Any]],
) -> str:
    key = field.metadata.get("json", field.name)
    inner = _without_none(field.type)
    names[f"__h{index}"], names[f"__t{index}"] = hook_for(inner), inner
    convert = f"__h{index}(v, __t{index})"
    if inner in (str, int, bool):
        convert = f"(v if type(v) is {inner.__name__} else {convert})"
    elif inner is datetime:
        names["__fromts"], names["__utc"] = datetime.fromtimestamp, timezone.utc
        names["__ms"] = MILLISECONDS_THRESHOLD
        # Plain epoch seconds, the documented form; anything else goes to the hook.
        convert = f"(__fromts(v, __utc) if type(v) is int and 0 <= v < __ms else {convert})"
    elif typing.get_origin(inner) is list:
        (item,) = typing.get_args(inner)
        names[f"__e{index}"], names[f"__et{index}"] = hook_for(item), item
        convert = f"([__e{index}(x, __et{index}) for x in v] if type(v) is list else {convert})"
    elif (members := _open_enum_members(inner)) is not None:
        names[f"__m{index}"] = members
        convert = f"(__m{index}.get(v, v) if type(v) is str else {convert})"
    if field.default is attrs.NOTHING and inner is str:
        names["__required"] = _required_text
        return f"(v if type(v := g({key!r})) is str and v else __required({key!r}, v))"
    if field.default is attrs.NOTHING:
        return f"((v := o[{key!r}]), {convert})[1]"
    names[f"__d{index}"] = field.default
    default = f"__d{index}"
    if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
        default = f"__d{index}.factory()"
    return f"({default} if (v := g({key!r})) is None else {convert})"


def _required_text(key: str, value: Any) -> str:
    """A required text field (an ``id``) is a non-empty string: never ``str(None)``."""
    got = "nothing" if value is None else repr(value)
    raise TypeError(f"field {key!r} must be a non-empty string, got {got}")


def _without_none(tp: Any) -> Any:
    """``X`` for ``X | None``; the type itself otherwise."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return tp
    args = tuple(a for a in typing.get_args(tp) if a is not type(None))
    return args[0] if len(args) == 1 else typing.Union[args]  # noqa: UP007


def _open_enum_members(tp: Any) -> dict[str, Any] | None:
    """The value-to-member map of an ``Enum | str`` annotation, else None."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return None
    args = typing.get_args(tp)
    enums = [a for a in args if isinstance(a, type) and issubclass(a, enum.Enum)]
    if len(enums) == 1 and str in args:
        return dict(enums[0]._value2member_map_)
    return None
