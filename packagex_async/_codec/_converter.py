"""The one cattrs converter that turns decoded JSON into the public attrs models.

Configured once, at import, with the rules of ``_rules`` as its hooks: timestamps,
booleans and open enums (the latter as a predicate hook factory, because the union
form is ignored by ``register_structure_hook`` on some converters), and for each
attrs model the straight-line structure function ``_fastgen`` generates from the
rules (about 2.7x as fast as cattrs' own: 3.4 against 9.3 us per batch here; listing
is decode-bound). ``detailed_validation`` is off: its messages are replaced by ours
anyway (``_decode`` reports any failure as a shape error), and it costs about 1.5x.

``make_converter(models=...)`` builds one with another structure function for the
models: the tests' plain-cattrs reference passes cattrs' ``make_dict_structure_fn``,
built from the same rules, and every decoder is held to it.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.fns import identity

from . import _rules
from ._fastgen import make_structure_fn

__all__ = ["HookFactory", "converter", "make_converter", "structure_list"]

T = TypeVar("T")
Hook = Callable[[Any, Any], Any]
HookFactory = Callable[[Any, cattrs.Converter], Hook]
"""Makes the structure function of an attrs model for a converter."""


def make_converter(models: HookFactory | None = None) -> cattrs.Converter:
    """A new converter with the decoding rules; ``models`` structures attrs models
    (``_fastgen``'s generated functions by default)."""
    made = cattrs.Converter(detailed_validation=False, forbid_extra_keys=False)
    made.register_structure_hook(datetime, _rules.timestamp)
    made.register_structure_hook(bool, _rules.boolean)
    made.register_structure_hook_func(lambda tp: tp == dict[str, Any], _rules.json_dict)
    made.register_structure_hook_factory(_is_open_enum, _open_enum_hook)
    made.register_structure_hook_factory(attrs.has, models or _fastgen_hook)
    # The other way, for ``to_dict``: an enum member as its plain ``str`` (our enums
    # subclass ``str``, so cattrs would pass the member through), and an optional
    # plain field as it is, inline in the generated function.
    made.register_unstructure_hook_factory(_is_open_enum, lambda _: _plain_value)
    made.register_unstructure_hook_func(_is_optional_plain, identity)
    return made


def _is_open_enum(tp: Any) -> bool:
    return _rules.open_enum_members(tp) is not None


_PLAIN = frozenset({str, int, float, bool, datetime, type(None)})


def _is_optional_plain(tp: Any) -> bool:
    """``str | None``, ``int | None``, ``datetime | None``: nothing to convert."""
    union = typing.get_origin(tp) in (typing.Union, types.UnionType)
    return union and set(typing.get_args(tp)) <= _PLAIN


def _plain_value(value: Any) -> Any:
    """An open enum field's value: a member becomes its ``str``, anything else stays."""
    return value._value_ if isinstance(value, enum.Enum) else value


def _open_enum_hook(tp: Any) -> Hook:
    members = _rules.open_enum_members(tp)
    assert members is not None  # only called for types _is_open_enum accepted

    def structure(value: Any, _: Any) -> Any:
        return _rules.open_enum(members, value)

    return structure


def _fastgen_hook(cls: type[Any], made: cattrs.Converter) -> Hook:
    return make_structure_fn(cls, made.get_structure_hook)


converter = make_converter()
"""The converter of the package: the codec's readers and ``to_dict`` use it."""


def structure_list(
    item_type: type[T], *, using: cattrs.Converter | None = None
) -> Callable[[Any], list[T]]:
    """A fast function decoding a JSON array into a list of ``item_type``.

    ``using`` is the converter (the module's ``converter`` by default).
    """
    hook = (converter if using is None else using).get_structure_hook(item_type)

    def structure(value: Any) -> list[T]:
        if not isinstance(value, list):
            raise TypeError(f"expected an array, got {type(value).__name__}")
        return [hook(item, item_type) for item in value]

    return structure
