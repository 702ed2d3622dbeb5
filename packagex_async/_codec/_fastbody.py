"""Answer bodies decoded straight into the models by msgspec, when it is installed.

Listing is decode-bound: ``orjson.loads`` builds dicts (about 2 us per batch) that
the generated structure functions then read key by key (about 4 us more). msgspec
parses and checks the same body against typed Structs in C, enum members included
(about 1.1 us per batch), and a generated function moves the checked values into
the attrs models (about 1.1 us). The models stay the attrs classes users know.

This is a fast path, never a second rulebook. Its Structs, derived from
``_rules.field_rules``, accept only the documented form of each rule: a string, a
documented enum value, an integer counter, epoch seconds as an integer, a ``null``
where the default is ``None``. Anything else (a status PackageX added later, a
millisecond or ISO timestamp, a ``null`` counter, a value of another shape, a body
that is not an envelope) makes the reader return ``None``, and the pipeline decodes
the body the full way, which applies every rule and words every error. So do the
bodies orjson would read differently: integers past 64 bits (orjson makes them
floats), text that is not UTF-8, nesting past the recursion limit. A body therefore
reads the same with msgspec or without it (``tests/property/test_fast_bodies.py``),
with two differences: a number orjson refuses (``1e999``) in a key the models ignore
does not fail a body msgspec can read, and a counter below -2**63 is read exactly,
where orjson reads a float.
"""

from __future__ import annotations

import enum
import functools
import sys
import typing
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Annotated, Any

import attrs
import orjson

from ._converter import DECODER
from ._fastgen import register_source
from ._rules import MILLISECONDS_THRESHOLD, FieldRule, field_rules, open_enum_members

try:
    import msgspec
except ImportError:  # the ``fast`` extra is not installed: every body goes the full way
    msgspec = None  # type: ignore[assignment]

__all__ = ["BodyReader", "Decoded", "make_object_reader", "make_page_reader", "reader_for"]

BodyReader = Callable[[bytes], "Decoded | None"]
"""A body to its envelope with ``data`` already decoded, or ``None``: go the full way."""


class Decoded(dict[str, Any]):
    """An envelope whose ``data`` already holds the models (a list of them for a page).

    A ``dict`` so that the envelope checks after it (``pagination`` present or not)
    are the ones every body goes through; ``_decode`` skips structuring it again.
    """


class _Unsupported(Exception):
    """A field type the fast path has no Struct form for: its model always goes the full way."""


def reader_for(model: type[Any], *, page: bool) -> BodyReader | None:
    """The fast reader of ``model``'s pages (or single objects), if this process uses one.

    ``None`` when msgspec is not the decoder (not installed, or
    ``PACKAGEX_ASYNC_DECODER`` names another) or ``model`` has a field it cannot read.
    """
    if DECODER != "msgspec" or msgspec is None:
        return None
    try:
        return _reader(model, page)  # type: ignore[arg-type]  # classes are hashable
    except _Unsupported:
        return None


@functools.cache
def _reader(model: type[Any], page: bool) -> BodyReader:
    """Built once per model: every client (``with_options`` makes one per call) shares it."""
    return make_page_reader(model) if page else make_object_reader(model)


def make_page_reader(model: type[Any]) -> BodyReader:
    """A reader of list answers: ``data`` an array of ``model``, ``pagination`` as sent."""
    struct, convert = _fast_model(model)
    envelope = msgspec.defstruct(
        f"{model.__name__}PageBody",
        [("data", list[struct]), ("pagination", msgspec.Raw, msgspec.UNSET)],  # type: ignore[valid-type]
        gc=False,
    )
    decoder = msgspec.json.Decoder(envelope)

    def read(body: bytes) -> Decoded | None:
        answer = _decode(decoder, body)
        if answer is None:
            return None
        decoded = Decoded(data=[convert(item) for item in answer.data])
        if answer.pagination is not msgspec.UNSET:  # read as orjson reads it: the full way's
            decoded["pagination"] = orjson.loads(memoryview(answer.pagination))
        return decoded

    return read


def make_object_reader(model: type[Any]) -> BodyReader:
    """A reader of retrieve answers: ``data`` one ``model``."""
    struct, convert = _fast_model(model)
    envelope = msgspec.defstruct(f"{model.__name__}Body", [("data", struct)], gc=False)
    decoder = msgspec.json.Decoder(envelope)

    def read(body: bytes) -> Decoded | None:
        answer = _decode(decoder, body)
        return None if answer is None else Decoded(data=convert(answer.data))

    return read


def _decode(decoder: Any, body: bytes) -> Any:
    """The body as the envelope Struct, or ``None`` where the full way must judge it.

    msgspec skips the keys the models ignore without checking their UTF-8, and
    nests as deep as Python's recursion limit allows, where orjson stops at 1,024:
    a body that is not UTF-8 goes the full way (orjson refuses it), and so does
    every body when the recursion limit is raised past what a C stack holds.
    """
    if sys.getrecursionlimit() > _MAX_RECURSION_LIMIT:
        return None
    if not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        return decoder.decode(body)
    except (ValueError, RecursionError):  # msgspec's DecodeError and ValidationError
        return None


def _fast_model(cls: type[Any]) -> tuple[type[Any], Callable[[Any], Any]]:
    """The Struct that reads ``cls`` from JSON, and the function from it to ``cls``.

    The function sets each attribute of a bare instance, nested models inlined: an
    ``__init__`` call per model (5.3 per batch) cost a quarter of the function's
    time. Only for classes whose ``__init__`` does nothing but set them
    (``_plain_init``). Its source is in ``linecache`` for tracebacks.
    """
    if msgspec is None:
        raise _Unsupported("msgspec is not installed")
    names: dict[str, Any] = {"__new": object.__new__}
    lines: list[str] = []
    struct = _model(cls, "s", 0, names, lines)
    body = "".join(f"    {line}\n" for line in lines)
    source = f"def convert(s):\n{body}    return o0\n"
    exec(compile(source, register_source(cls, source, "fast body"), "exec"), names)
    convert: Callable[[Any], Any] = names["convert"]
    return struct, convert


def _model(cls: type[Any], source: str, depth: int, names: dict[str, Any], lines: list[str]) -> Any:
    """The Struct of ``cls``; appends the lines building ``o{depth}`` from ``source``.

    The Struct has one field per attrs field, in order, under its wire key; each is
    set on the instance, converted where the rule says. Temporaries are named by
    ``depth`` so a nested model's do not overwrite its parent's.
    """
    if not _plain_init(cls):
        raise _Unsupported(f"{cls.__name__}: its __init__ does more than set attributes")
    names[f"__cl{len(names)}"] = cls
    lines.append(f"o{depth} = __new(__cl{len(names) - 1})")
    fields = []
    for rule in field_rules(cls):
        wire = _field(rule, f"{source}.{rule.name}", f"o{depth}.{rule.name}", depth, names, lines)
        fields.append(_struct_field(rule, wire))
    return msgspec.defstruct(f"{cls.__name__}Wire", fields, gc=False)


def _plain_init(cls: type[Any]) -> bool:
    """Whether setting every attribute on a bare instance is what ``cls(...)`` does:
    no validators, converters, hooks or frozen ``__setattr__``, every field an argument."""
    setattr_: object = cls.__setattr__  # attrs replaces it for validators and frozen classes
    return (
        setattr_ is object.__setattr__
        and not hasattr(cls, "__attrs_pre_init__")
        and not hasattr(cls, "__attrs_post_init__")
        and all(f.init and f.validator is None and f.converter is None for f in attrs.fields(cls))
    )


def _nullable(rule: FieldRule) -> bool:
    """Whether ``null`` is the documented form of the field's default (``None``)."""
    return not rule.required and rule.factory is None and rule.default is None


def _struct_field(rule: FieldRule, wire: Any) -> tuple[Any, ...]:
    """A ``defstruct`` field: required, or nullable with ``None`` for a default of
    ``None``, or with its own default (then a ``null`` is not the documented form)."""
    if rule.required:
        return (rule.name, wire, msgspec.field(name=rule.key))
    if _nullable(rule):
        return (rule.name, wire | None, msgspec.field(default=None, name=rule.key))
    if rule.factory is not None:
        return (rule.name, wire, msgspec.field(default_factory=rule.factory, name=rule.key))
    return (rule.name, wire, msgspec.field(default=rule.default, name=rule.key))


_MAX_RECURSION_LIMIT = 10_000
"""Above this recursion limit the fast path stands aside: a body nested that deep
could overflow the C stack inside msgspec (orjson, the full way, stops at 1,024)."""

if msgspec is not None:
    _SECONDS: Any = Annotated[int, msgspec.Meta(ge=0, lt=MILLISECONDS_THRESHOLD)]
    _INTEGER: Any = Annotated[int, msgspec.Meta(le=2**63 - 1)]
    """An integer orjson reads exactly (it reads one past 64 bits as a float). No lower
    bound: msgspec's ``ge`` check costs 0.3 us per batch, and a counter below -2**63
    is the one difference it would catch (exact here, rounded by orjson)."""


def _field(
    rule: FieldRule, value: str, target: str, depth: int, names: dict[str, Any], lines: list[str]
) -> Any:
    """The Struct type of one field; appends the lines setting ``target`` from ``value``."""
    tp, v, nullable = rule.type, f"v{depth}", _nullable(rule)
    if rule.text:
        lines.append(f"{target} = {value}")
        return Annotated[str, msgspec.Meta(min_length=1)]
    if tp is int:
        lines.append(f"{target} = {value}")
        return _INTEGER
    if tp in (str, bool):
        lines.append(f"{target} = {value}")
        return tp
    if open_enum_members(tp) is not None:  # ``Enum | str``: msgspec maps known values
        (members,) = (a for a in typing.get_args(tp) if _is_enum(a))
        lines.append(f"{target} = {value}")
        return members
    if tp is datetime:
        names["__fromts"], names["__utc"] = datetime.fromtimestamp, timezone.utc
        if nullable:
            lines.append(f"{v} = {value}")
            lines.append(f"{target} = None if {v} is None else __fromts({v}, __utc)")
        else:
            lines.append(f"{target} = __fromts({value}, __utc)")
        return _SECONDS
    if attrs.has(tp):
        return _nested(tp, value, target, depth, names, lines, nullable)
    if typing.get_origin(tp) is list and attrs.has(item := typing.get_args(tp)[0]):
        lines.extend((f"l{depth} = []", f"for x{depth} in {value}:"))
        built: list[str] = []
        struct = _model(item, f"x{depth}", depth + 1, names, built)
        built.append(f"l{depth}.append(o{depth + 1})")
        lines.extend(f"    {line}" for line in built)
        lines.append(f"{target} = l{depth}")
        return list[struct]  # type: ignore[valid-type]
    raise _Unsupported(f"{rule.name}: no fast form for {tp!r}")


def _nested(
    tp: type[Any],
    value: str,
    target: str,
    depth: int,
    names: dict[str, Any],
    lines: list[str],
    nullable: bool,
) -> Any:
    """A nested model field: built as ``o{depth + 1}``, or ``None`` where allowed."""
    v = f"v{depth}"
    built: list[str] = []
    struct = _model(tp, v, depth + 1, names, built)
    built.append(f"{target} = o{depth + 1}")
    lines.append(f"{v} = {value}")
    if not nullable:
        lines.extend(built)
        return struct
    lines.extend((f"if {v} is None:", f"    {target} = None", "else:"))
    lines.extend(f"    {line}" for line in built)
    return struct


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)
