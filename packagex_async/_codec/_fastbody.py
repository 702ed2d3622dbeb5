"""The accelerator: documented answer bodies decoded straight into the models by msgspec.

Listing is decode-bound: ``orjson.loads`` builds dicts (about 2 us per batch) that
the generated structure functions then read key by key (about 4 us more). msgspec
parses and checks the same body against typed Structs in C, enum members included
(about 1.1 us per batch), and a generated function moves the checked values into
the attrs models (about 1.1 us). The models stay the attrs classes users know.

It is derived from the rulebook, never a second one: its Structs come from
``_rules.field_rules`` and accept only the documented form of each rule (a string,
a documented enum value, an integer within 64 bits, epoch seconds as an integer, a
``null`` where the default is ``None``), and only bodies made *entirely* of
documented keys (``forbid_unknown_fields``, with the envelope's and the objects'
ignored keys of ``_rules`` typed too). So msgspec checks every byte of a body it
accepts, and never skips a value unread: what it accepts, orjson reads the same
way, and the full decoder makes the same models from. Anything else (a status
PackageX added later, a millisecond or ISO timestamp, a ``null`` counter, a key the
models do not know, a number past 64 bits, a body that is not JSON) makes a reader
return ``None``, and ``_decode`` decodes the body the full way, which applies every
rule and words every error. ``tests/property/test_one_result.py`` holds the two to
the same result for every body.

A model with a free-form JSON object anywhere in it (``dict[str, Any]``: an
import's ``column_mapping``) is not accelerated: msgspec and orjson read the numbers
inside such an object differently (past 64 bits, past a double), so every body of
it goes the full way, and imports are few.

A model whose ``__init__`` only sets its fields is built by setting attributes on a
bare instance (an ``__init__`` call per model cost a quarter of the time); any other
(validators, converters, ``frozen``, ``__attrs_post_init__``) is built by calling
it, so it runs what the class asks for.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Annotated, Any

import attrs
import msgspec

from ..models import Page, Pagination
from ._fastgen import register_source
from ._rules import (
    ENVELOPE_KEYS,
    IGNORED_KEYS,
    MILLISECONDS_THRESHOLD,
    FieldRule,
    field_kind,
    field_rules,
    without_none,
)

__all__ = ["FastObject", "FastPage", "object_accelerator", "page_accelerator"]

FastObject = Callable[[bytes], Any]
"""A body to its model, or ``None``: go the full way."""
FastPage = Callable[[bytes, int, int], "Page[Any] | None"]
"""A body (and the page and limit asked for) to its ``Page``, or ``None``."""

_INTEGER: Any = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]
"""An integer orjson reads exactly (it reads one past 64 bits as a float)."""
_SECONDS: Any = Annotated[int, msgspec.Meta(ge=0, lt=MILLISECONDS_THRESHOLD)]
_TEXT: Any = Annotated[str, msgspec.Meta(min_length=1)]
_IGNORED: Any = str | bool | _INTEGER | list[str] | None
"""The form an ignored key may take on the fast path (any other: the full way)."""
_AS_IS = {"str": str, "int": _INTEGER, "float": float, "bool": bool}
_ERRORS = (TypeError, ValueError, KeyError, AttributeError, OverflowError)
"""What a model's own ``__init__`` (a validator, a converter) may raise: the full way."""


class _Pagination(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    page: Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
    limit: Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
    has_more: bool
    total_count: Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)] | None = None


@functools.cache
def page_accelerator(model: Any) -> FastPage:
    """The reader of ``model``'s list answers: ``data`` an array, ``pagination`` checked."""
    if _free_form(model):
        return _full_way
    struct, convert = _fast_model(model)
    envelope = _envelope(f"{model.__name__}PageBody", list[struct], _Pagination | None)  # type: ignore[valid-type]
    decode = msgspec.json.Decoder(envelope).decode

    def read(body: bytes, page: int, limit: int) -> Page[Any] | None:
        try:
            answer = decode(body)
            items = [convert(item) for item in answer.data]
        except _ERRORS:  # msgspec's DecodeError and ValidationError are ValueErrors
            return None
        sent = answer.pagination
        if sent is None:  # nothing after this page: the page and limit asked for
            return Page(items, Pagination(page, limit, False, None))
        return Page(items, Pagination(sent.page, sent.limit, sent.has_more, sent.total_count))

    return read


@functools.cache
def object_accelerator(model: Any) -> FastObject:
    """The reader of ``model``'s retrieve and create answers: ``data`` one object."""
    if _free_form(model):
        return _full_way
    struct, convert = _fast_model(model)
    decode = msgspec.json.Decoder(_envelope(f"{model.__name__}Body", struct)).decode

    def read(body: bytes) -> Any:
        try:
            return convert(decode(body).data)
        except _ERRORS:
            return None

    return read


def _full_way(*_: Any) -> None:
    """The reader of a model the accelerator does not take: every body the full way."""
    return


def _free_form(tp: Any) -> bool:
    """Whether ``tp`` holds a free-form JSON object (``dict[str, Any]``) anywhere."""
    kind = field_kind(tp)
    if kind == "list":
        return _free_form(without_none(typing.get_args(tp)[0]))
    if kind == "model":
        return any(_free_form(rule.type) for rule in field_rules(tp))
    return kind == "object"


def _envelope(name: str, data: Any, pagination: Any = None) -> Any:
    """The envelope Struct: ``data`` required, and ``pagination`` when it has a type
    (a list answer); the other documented keys ignored."""
    fields: list[tuple[Any, ...]] = [("data", data)]
    fields.append(
        ("pagination", _IGNORED, None) if pagination is None else ("pagination", pagination)
    )
    fields += [(key, _IGNORED, None) for key in ENVELOPE_KEYS]
    return msgspec.defstruct(name, fields, forbid_unknown_fields=True, gc=False)


@attrs.define
class _Source:
    """The generated function's text and the names it refers to."""

    names: dict[str, Any] = attrs.Factory(lambda: {"__new": object.__new__})
    lines: list[str] = attrs.Factory(list)

    def name(self, value: Any) -> str:
        """A global of the generated function holding ``value``."""
        key = f"__g{len(self.names)}"
        self.names[key] = value
        return key


@functools.cache
def _fast_model(cls: Any) -> tuple[type[Any], Callable[[Any], Any]]:
    """The Struct that reads ``cls`` from JSON, and the function from it to ``cls``.

    Built once per model, for both readers. The function's source is in
    ``linecache`` for tracebacks.
    """
    source = _Source()
    struct = _model(cls, "s", 0, source)
    body = "".join(f"    {line}\n" for line in source.lines)
    text = f"def convert(s):\n{body}    return o0\n"
    exec(compile(text, register_source(cls, text, "fast body"), "exec"), source.names)
    convert: Callable[[Any], Any] = source.names["convert"]
    return struct, convert


def _model(cls: type[Any], value: str, depth: int, source: _Source) -> Any:
    """The Struct of ``cls``; appends the lines building ``o{depth}`` from ``value``.

    One Struct field per attrs field (``f0``, ``f1``, ... under their wire keys),
    plus the ignored keys. Temporaries are named by ``depth`` so a nested model's do
    not overwrite its parent's.
    """
    plain, fields, rules = _plain_init(cls), attrs.fields(cls), field_rules(cls)
    make = source.name(cls)
    if plain:
        source.lines.append(f"o{depth} = __new({make})")
    wires = []
    for i, rule in enumerate(rules):
        target = f"o{depth}.{rule.name}" if plain else f"a{depth}_{i}"
        wire = _field(rule, f"{value}.f{i}", target, depth, source)
        wires.append(_struct_field(i, rule, wire))
    if not plain:
        args = [f"a{depth}_{i}" for i, f in enumerate(fields) if not f.kw_only]
        args += [f"{f.alias}=a{depth}_{i}" for i, f in enumerate(fields) if f.kw_only]
        source.lines.append(f"o{depth} = {make}({', '.join(args)})")
    keys = {rule.key for rule in rules}
    for j, key in enumerate(k for k in IGNORED_KEYS if k not in keys):
        wires.append((f"i{j}", _IGNORED, msgspec.field(default=None, name=key)))
    return msgspec.defstruct(f"{cls.__name__}Wire", wires, forbid_unknown_fields=True, gc=False)


def _plain_init(cls: type[Any]) -> bool:
    """Whether setting every attribute on a bare instance is what ``cls(...)`` does:
    no validators, converters, hooks or frozen ``__setattr__`` (an alias only renames
    the argument, so it does not matter here)."""
    setattr_: object = cls.__setattr__  # attrs replaces it for validators and frozen classes
    return (
        setattr_ is object.__setattr__
        and not hasattr(cls, "__attrs_pre_init__")
        and not hasattr(cls, "__attrs_post_init__")
        and all(f.validator is None and f.converter is None for f in attrs.fields(cls))
    )


def _struct_field(index: int, rule: FieldRule, wire: Any) -> tuple[Any, ...]:
    """A ``defstruct`` field: required, or with the default ``_field`` chose for it."""
    name = f"f{index}"
    if rule.required:
        return (name, wire, msgspec.field(name=rule.key))
    if _nullable(rule):
        return (name, wire | None, msgspec.field(default=None, name=rule.key))
    if _as_is(rule.type):  # the default itself, made by msgspec
        if rule.factory is not None:
            return (name, wire, msgspec.field(default_factory=rule.factory, name=rule.key))
        return (name, wire, msgspec.field(default=rule.default, name=rule.key))
    return (name, wire | msgspec.UnsetType, msgspec.field(default=msgspec.UNSET, name=rule.key))


def _nullable(rule: FieldRule) -> bool:
    """Whether ``null`` is the documented form of the field's default (``None``)."""
    return not rule.required and rule.factory is None and rule.default is None


def _as_is(tp: Any) -> bool:
    """Whether msgspec's value is the attribute: a scalar, an enum member, a list of those."""
    kind = field_kind(tp)
    if kind == "list":
        return _as_is(typing.get_args(tp)[0])
    return kind not in ("datetime", "model")


def _wire(tp: Any) -> Any:
    """The Struct type of a value msgspec's result is taken as is for."""
    kind = field_kind(tp)
    if kind == "enum":  # ``Enum | str``: msgspec maps the documented values
        return next(a for a in typing.get_args(tp) if a is not str)
    if kind == "list":
        return list[_wire(typing.get_args(tp)[0])]  # type: ignore[misc]
    return _AS_IS[kind]


def _field(rule: FieldRule, value: str, target: str, depth: int, source: _Source) -> Any:
    """The Struct type of one field; appends the lines setting ``target`` from ``value``."""
    if rule.text:
        source.lines.append(f"{target} = {value}")
        return _TEXT
    if _as_is(rule.type):
        source.lines.append(f"{target} = {value}")
        return _wire(rule.type)
    v, built = f"v{depth}", _Source(source.names)
    wire = _converted(rule.type, v, target, depth, built)
    source.lines.append(f"{v} = {value}")
    if rule.required:
        source.lines.extend(built.lines)
        return wire
    if _nullable(rule):
        source.lines.extend((f"if {v} is None:", f"    {target} = None", "else:"))
    else:
        default = source.name(rule.default_value)
        source.lines.extend((f"if {v} is __unset:", f"    {target} = {default}()", "else:"))
        source.names["__unset"] = msgspec.UNSET
    source.lines.extend(f"    {line}" for line in built.lines)
    return wire


def _converted(tp: Any, v: str, target: str, depth: int, source: _Source) -> Any:
    """A datetime, a model or a list needing conversion: its Struct type and lines."""
    kind = field_kind(tp)
    if kind == "datetime":
        source.names["__fromts"], source.names["__utc"] = datetime.fromtimestamp, timezone.utc
        source.lines.append(f"{target} = __fromts({v}, __utc)")
        return _SECONDS
    if kind == "model":
        struct = _model(tp, v, depth + 1, source)
        source.lines.append(f"{target} = o{depth + 1}")
        return struct
    item = without_none(typing.get_args(tp)[0])  # a list of datetimes or models
    x, inner = f"x{depth}", _Source(source.names)
    wire = _converted(item, x, f"y{depth}", depth, inner)
    inner.lines.append(f"l{depth}.append(y{depth})")
    source.lines.extend((f"l{depth} = []", f"for {x} in {v}:"))
    source.lines.extend(f"    {line}" for line in inner.lines)
    source.lines.append(f"{target} = l{depth}")
    return list[wire]  # type: ignore[valid-type]
