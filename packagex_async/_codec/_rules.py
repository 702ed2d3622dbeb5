"""The decoding rulebook: how a JSON value becomes a model attribute, stated once.

Everything that decodes consumes these rules: the cattrs hooks registered by
``_converter``, the structure functions ``_fastgen`` generates (registered in that
converter), the msgspec accelerator ``_fastbody`` derives from ``field_rules``, and
the plain-cattrs reference in the tests. Generated code may inline the common case
of a rule (an integer timestamp, a known enum string, a ``null`` read as a constant
default), but every other value goes to the function here, so a rule is changed in
one place. ``tests/property/test_one_result.py`` holds every decoder to the same
results.

The rules, in the tolerant shape the API docs ask for:

- a model is read from a JSON object; unknown keys are ignored; a field's key on the
  wire is its ``json`` metadata (the leading-underscore URL keys), else its name;
- a missing key and a JSON ``null`` both mean the field's default (``[]`` for lists,
  0 for the counters, ``None`` elsewhere);
- a field without a default is required: a missing key is an error (``KeyError``),
  and a required text field (an ``id``) must be a non-empty string (``TypeError``);
- timestamps: epoch seconds (the documented form), epoch milliseconds, numeric
  strings or ISO 8601 strings, always returned as aware UTC datetimes;
- open enums (``Status | str``): a known value is the member, an unknown string
  stays a string, any other value is turned into one with ``str()``;
- booleans: real booleans, the strings ``"true"`` / ``"false"``, or 0 / 1.

A field's type is one the rules know (``field_kind``): ``str``, ``int``, ``float``,
``bool``, ``datetime``, an open enum, another attrs model, a free-form JSON object
(``dict[str, Any]``, kept as orjson reads it: an import's ``column_mapping``), or a
``list`` of one of these, each optionally ``| None``. Anything else, and any attrs feature the codec
cannot honour (``init=False``, a default that takes ``self``), is a ``TypeError``
when the codec is imported, with the reason: a model is never decoded by a rule
nobody wrote.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

import attrs

__all__ = [
    "ENVELOPE_KEYS",
    "IGNORED_KEYS",
    "MILLISECONDS_THRESHOLD",
    "FieldRule",
    "boolean",
    "field_hook",
    "field_kind",
    "field_rules",
    "json_dict",
    "json_object",
    "open_enum",
    "open_enum_members",
    "required_text",
    "timestamp",
    "without_none",
]

Hook = Callable[[Any, Any], Any]

ENVELOPE_KEYS = ("message", "status", "errors", "code", "endpoint")
"""The envelope's documented keys besides ``data`` and ``pagination``; not decoded."""

IGNORED_KEYS = ("object",)
"""Documented keys of an API object that the models do not keep (``"object": "batch"``).

Any other key is ignored as well (the API may add fields); the accelerator reads only
bodies made of documented keys and leaves the others to the full decoder."""

MILLISECONDS_THRESHOLD = 100_000_000_000
"""Epoch values at or above this are milliseconds (as seconds they'd be past year 5000)."""


def timestamp(value: Any, _: Any = None) -> datetime:
    """An aware UTC datetime from epoch seconds or milliseconds, as number or string,
    or from an ISO 8601 string.

    The docs promise integer seconds; the other forms are accepted so that a change
    of form on the server does not fail every listing. A naive ISO time is taken as
    UTC. A ``bool`` is refused: it is an ``int`` to Python, never a time to the API.
    Every value out of range is a shape error (``ValueError`` or ``OverflowError``):
    the ``OSError`` some huge values get from the C library would escape ``_decode``
    as a raw exception.
    """
    if isinstance(value, str):
        try:
            number: float | None = float(value)  # "1700000000" is a timestamp too
        except ValueError:
            number = None
        if number is None:  # parsed outside the handler: no chained traceback
            return _from_iso(value)
        value = number
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected epoch seconds or an ISO 8601 string, got {value!r}")
    if abs(value) >= MILLISECONDS_THRESHOLD:
        value = value / 1000
    try:
        return datetime.fromtimestamp(value, tz=timezone.utc)
    except OSError:  # the C library's answer to some huge values (1e17 s)
        raise ValueError(f"timestamp out of range: {value!r}") from None


def _from_iso(text: str) -> datetime:
    """An ISO 8601 string (``Z`` allowed, as Python 3.10 does not) as an aware UTC time."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def boolean(value: Any, _: Any = None) -> bool:
    """A real boolean from ``true``, ``"true"`` or ``1`` (and their opposites).

    Never ``bool(value)``: ``bool("false")`` is ``True``. Anything else is a
    ``TypeError``, so a ``has_more`` of another shape cannot steer a listing.
    """
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    if value in (0, 1):
        return bool(value)
    raise TypeError(f"expected a boolean, got {value!r}")


def open_enum(members: Mapping[Any, enum.Enum], value: Any) -> Any:
    """The member for a documented value; an unknown value as a plain string.

    A status or resource the API adds later must not fail every listing that meets
    one. A non-string is made a string so the attribute's
    type stays ``Enum | str`` (an unhashable value such as a list is a ``TypeError``).
    ``None`` stays ``None`` (the field's default).
    """
    if value is None:
        return None
    return members.get(value, value if isinstance(value, str) else str(value))


def open_enum_members(tp: Any) -> Mapping[Any, enum.Enum] | None:
    """The value-to-member map of an ``Enum | str [| None]`` annotation, else None.

    This is what makes a field an open enum; both backends ask this one function.
    """
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return None
    args = typing.get_args(tp)
    enums = [a for a in args if isinstance(a, type) and issubclass(a, enum.Enum)]
    if len(enums) == 1 and str in args:
        return dict(enums[0]._value2member_map_)
    return None


def required_text(key: str, value: Any) -> str:
    """A required text field (an ``id``) is a non-empty string: never ``str(None)``.

    A model without its id cannot be retrieved again or told apart in a listing;
    ``value`` is ``None`` both for a ``null`` and for a missing key.
    """
    if isinstance(value, str) and value:
        return value
    got = "nothing" if value is None else repr(value)
    raise TypeError(f"field {key!r} must be a non-empty string, got {got}")


def json_object(value: Any) -> Mapping[str, Any]:
    """A model is read from a JSON object; anything else is a ``TypeError``.

    Without this check a list or a string would pass ``key in value`` tests and
    decode as a model of defaults.
    """
    if isinstance(value, Mapping):
        return value
    kind = "null" if value is None else type(value).__name__
    raise TypeError(f"expected an object, got {kind}")


def json_dict(value: Any, _: Any = None) -> dict[str, Any]:
    """A free-form JSON object (``dict[str, Any]``), as it was read; else a ``TypeError``."""
    return dict(json_object(value))


def without_none(tp: Any) -> Any:
    """``X`` for ``X | None``; the type itself otherwise.

    ``null`` is handled by the default rule before a value reaches its type's hook.
    """
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return tp
    args = tuple(a for a in typing.get_args(tp) if a is not type(None))
    return args[0] if len(args) == 1 else typing.Union[args]  # noqa: UP007


@attrs.frozen
class FieldRule:
    """What the rules say about one attrs field, worked out once per class."""

    name: str
    key: str  # the key on the wire
    type: Any  # the annotation without ``None``: what a non-null value decodes to
    required: bool  # no default: the key must be there
    text: bool  # a required ``str``: must also be a non-empty string
    default: Any  # the default value, when ``factory`` is None
    factory: Callable[[], Any] | None  # makes a fresh default (``[]``), else None

    def default_value(self) -> Any:
        """What a missing key or a ``null`` decodes to: the field's default."""
        return self.default if self.factory is None else self.factory()


def field_rules(cls: type[Any]) -> tuple[FieldRule, ...]:
    """The rule of each field of the attrs class ``cls``, in order.

    A field the codec cannot read is a ``TypeError`` saying which and why.
    """
    attrs.resolve_types(cls)  # the models use postponed (string) annotations
    return tuple(_field_rule(cls, field) for field in attrs.fields(cls))


def _field_rule(cls: type[Any], field: attrs.Attribute) -> FieldRule:  # type: ignore[type-arg]
    """One field's rule: key from the ``json`` metadata, default from attrs."""
    where = f"{cls.__qualname__}.{field.name}"
    if not field.init:
        raise TypeError(
            f"{where}: init=False cannot be decoded (the codec sets fields by __init__)"
        )
    default: Any = field.default
    factory: Callable[[], Any] | None = None
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            raise TypeError(f"{where}: a default taking self is not supported")
        default, factory = None, default.factory
    inner = without_none(field.type)
    field_kind(inner, where)
    required = field.default is attrs.NOTHING
    return FieldRule(
        name=field.name,
        key=field.metadata.get("json", field.name),
        type=inner,
        required=required,
        text=required and inner is str,
        default=default,
        factory=factory,
    )


_SCALARS = {str: "str", int: "int", float: "float", bool: "bool", datetime: "datetime"}


def field_kind(tp: Any, where: str = "a field") -> str:
    """Which rule reads a non-null ``tp``: a scalar's name, ``enum``, ``model``,
    ``object`` (``dict[str, Any]``) or ``list``.

    Any other type is a ``TypeError`` naming ``where`` and what is allowed, raised
    when the codec is built: a closed enum would fail every listing on a status the
    API adds, and a type without a rule would be decoded by whatever cattrs does.
    """
    if tp in _SCALARS:
        return _SCALARS[tp]
    if open_enum_members(tp) is not None:
        return "enum"
    if isinstance(tp, type) and attrs.has(tp):
        return "model"
    if tp == dict[str, Any]:
        return "object"
    if typing.get_origin(tp) is list and len(args := typing.get_args(tp)) == 1:
        if field_kind(without_none(args[0]), where) != "list" and not _optional(args[0]):
            return "list"
        raise TypeError(f"{where}: a list holds items of one non-null kind, not {args[0]!r}")
    why = (
        "an enum must be open (Enum | str); "
        if isinstance(tp, type) and issubclass(tp, enum.Enum)
        else ""
    )
    raise TypeError(
        f"{where}: the codec has no rule for {tp!r}; {why}a field is str, int, float, bool, "
        "datetime, an Enum | str, an attrs model, dict[str, Any] or a list of one of these, "
        "optionally "
        "| None (add a rule in packagex_async/_codec/_rules.py)"
    )


def _optional(tp: Any) -> bool:
    return without_none(tp) is not tp


def field_hook(rule: FieldRule, hook_for: Callable[[Any], Hook]) -> Hook:
    """A field's whole rule as one cattrs hook ``(value, type) -> attribute``.

    The slow path, for decoders that do not inline: required text checked, ``null``
    read as the default, anything else given to the hook of the field's type.
    """
    if rule.text:
        return lambda value, _: required_text(rule.key, value)
    hook, tp = hook_for(rule.type), rule.type
    if rule.required:
        return lambda value, _: hook(value, tp)
    return lambda value, _: rule.default_value() if value is None else hook(value, tp)
