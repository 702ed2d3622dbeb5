"""The cattrs converter that turns decoded JSON into the public attrs models.

Configured once, at import, with the rules of ``_rules`` as its hooks: timestamps,
booleans and open enums (the latter as a predicate hook factory, because the union
form is ignored by ``register_structure_hook`` on some converters).
``detailed_validation`` is off: its messages are replaced by ours anyway (``_decode``
reports any failure as ``APIResponseValidationError``), and it costs about 1.5x.

Two backends build the structure function of an attrs model, from the same rules:

- ``fastgen`` (the default): the straight-line functions of ``_fastgen``, about 2.7x
  as fast as the ``cattrs`` backend (3.4 against 9.3 us per batch here; listing is
  decode-bound);
- ``cattrs``: cattrs' ``make_dict_structure_fn`` with one override per field (wire
  key, null-as-default, required text), built by ``_rules.field_hook``. Plain cattrs:
  the fallback if a generated function ever misbehaves, and the reference the
  property test holds ``fastgen`` to.

In front of both, when the ``fast`` extra (msgspec) is installed, ``_fastbody``
decodes whole answer bodies into the models in C, and hands anything but the
documented form of a value back to the converter.

The environment variable ``PACKAGEX_ASYNC_DECODER`` is read once, at import:
``msgspec`` (bodies through ``_fastbody``, the rest through ``fastgen``), ``fastgen``
or ``cattrs``; unset or empty means ``msgspec`` when it is installed, else
``fastgen``. ``make_converter`` builds a converter of either backend on demand (the
tests use both).
"""

from __future__ import annotations

import enum
import importlib.util
import os
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Literal, TypeVar

import attrs
import cattrs
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, override

from . import _rules
from ._fastgen import make_structure_fn

__all__ = [
    "DECODER",
    "DECODER_VARIABLE",
    "Backend",
    "Decoder",
    "converter",
    "decoder_from_env",
    "make_converter",
    "structure_list",
]

T = TypeVar("T")
Decoder = Literal["msgspec", "fastgen", "cattrs"]
Backend = Literal["fastgen", "cattrs"]
Hook = Callable[[Any, Any], Any]

DECODER_VARIABLE = "PACKAGEX_ASYNC_DECODER"
"""The environment variable choosing the decoder at import: ``msgspec``, ``fastgen``
or ``cattrs``."""


def decoder_from_env(
    environ: Mapping[str, str] = os.environ, *, msgspec_installed: bool | None = None
) -> Decoder:
    """The decoder ``PACKAGEX_ASYNC_DECODER`` asks for; when unset or empty, ``msgspec``
    if it is installed (``msgspec_installed``, looked up when ``None``), else ``fastgen``.

    Any other value is a ``ValueError`` at import: a misspelt fallback switch must not
    quietly keep the decoder it was meant to turn off. So is ``msgspec`` without it.
    """
    if msgspec_installed is None:
        msgspec_installed = importlib.util.find_spec("msgspec") is not None
    value = environ.get(DECODER_VARIABLE, "").strip().lower()
    if value == "":
        return "msgspec" if msgspec_installed else "fastgen"
    if value in ("fastgen", "cattrs"):
        return value  # type: ignore[return-value]  # narrowed by the test above
    if value != "msgspec":
        raise ValueError(
            f"{DECODER_VARIABLE} must be 'msgspec', 'fastgen' or 'cattrs', got {value!r}"
        )
    if not msgspec_installed:
        raise ValueError(
            f"{DECODER_VARIABLE}=msgspec needs msgspec: pip install 'packagex_async[fast]'"
        )
    return "msgspec"


def make_converter(decoder: Backend = "fastgen") -> cattrs.Converter:
    """A new converter with the decoding rules, structuring attrs models with ``decoder``."""
    if decoder not in ("fastgen", "cattrs"):
        raise ValueError(f"decoder must be 'fastgen' or 'cattrs', got {decoder!r}")
    made = cattrs.Converter(detailed_validation=False, forbid_extra_keys=False)
    made.register_structure_hook(datetime, _rules.timestamp)
    made.register_structure_hook(bool, _rules.boolean)
    made.register_structure_hook_factory(_is_open_enum, _open_enum_hook)
    models = _fastgen_hook if decoder == "fastgen" else _cattrs_hook
    made.register_structure_hook_factory(attrs.has, models)
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


def _fastgen_hook(cls: type[Any], made: cattrs.BaseConverter) -> Hook:
    return make_structure_fn(cls, made.get_structure_hook)


def _cattrs_hook(cls: type[Any], made: cattrs.BaseConverter) -> Hook:
    """cattrs' generated function for ``cls``, each field overridden by its rule.

    cattrs reads a required key itself (``o[key]``, a ``KeyError`` when missing); a
    missing required *text* key is checked first, so it fails as ``fastgen`` does.
    """
    rules = _rules.field_rules(cls)
    overrides: dict[str, Any] = {
        rule.name: override(
            rename=rule.key, struct_hook=_rules.field_hook(rule, made.get_structure_hook)
        )
        for rule in rules
    }
    generated = make_dict_structure_fn(cls, made, _cattrs_forbid_extra_keys=False, **overrides)
    texts = [rule.key for rule in rules if rule.text]

    def structure(value: Any, _: Any) -> Any:
        obj = _rules.json_object(value)
        for key in texts:
            if key not in obj:
                _rules.required_text(key, None)
        return generated(obj, cls)

    return structure


DECODER: Decoder = decoder_from_env()
"""The decoder of this process, from ``PACKAGEX_ASYNC_DECODER`` at import."""

converter = make_converter("cattrs" if DECODER == "cattrs" else "fastgen")
"""The converter ``_decode`` and the resources use."""


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
