"""Generated structure functions for the attrs models: the decode hot path.

Listing is decode-bound once the network is fast: cattrs' own generated functions
build a keyword dict and call a hook per field, about 12 us for a batch here. The
function generated here is one straight expression per field, positional, with the
common case of each rule of ``_rules`` inlined (a ``str`` passes through, an integer
timestamp is ``fromtimestamp``, a known enum string is a dict lookup, a list is a
comprehension over its items' hook, a ``None`` is the field's default), and the
converter's hook, which is the rule itself, called for everything else. It holds no
rule of its own: what a field's key, default and requirement are comes from
``_rules.field_rules``.

It is registered *in* the cattrs converter (``_converter``), so nested and list
types still dispatch through cattrs. The tests' plain-cattrs reference builds
cattrs' own generated functions from the same rules, and holds these to them.
Fields are passed positionally, in order; a ``kw_only`` one by its ``__init__``
name (its attrs ``alias``).

The source of each generated function is registered in ``linecache`` under its own
file name (``<packagex_async generated structure packagex_async.models.Batch>``),
one field per line, so a traceback through it shows the line of the field that failed.
"""

from __future__ import annotations

import itertools
import linecache
import typing
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import attrs

from ._rules import (
    MILLISECONDS_THRESHOLD,
    FieldRule,
    field_rules,
    json_object,
    open_enum_members,
    required_text,
)

__all__ = ["make_structure_fn", "register_source"]

Hook = Callable[[Any, Any], Any]

_TEMPLATE = """\
def structure(o, _=None):
    try:
        g = o.get
    except AttributeError:
        g = __object(o).get
    return __cl(
        {args},
    )
"""


def make_structure_fn(cls: type[Any], hook_for: Callable[[Any], Hook]) -> Hook:
    """A function ``(mapping, type) -> cls`` for the attrs class ``cls``."""
    names: dict[str, Any] = {"__cl": cls, "__object": json_object}
    rules = field_rules(cls)  # a field the codec cannot read is refused here, with why
    exprs = [_field_expr(i, rule, names, hook_for) for i, rule in enumerate(rules)]
    fields = attrs.fields(cls)
    # A call's positional arguments first, then the ``kw_only`` fields by name.
    args = [e for f, e in zip(fields, exprs, strict=True) if not f.kw_only]
    args += [f"{f.alias}={e}" for f, e in zip(fields, exprs, strict=True) if f.kw_only]
    source = _TEMPLATE.format(args=",\n        ".join(args))
    exec(compile(source, register_source(cls, source), "exec"), names)
    structure: Hook = names["structure"]
    return structure


def _field_expr(
    index: int, rule: FieldRule, names: dict[str, Any], hook_for: Callable[[Any], Hook]
) -> str:
    """The expression reading one field: required text, required, or defaulted."""
    key = rule.key
    if rule.text:
        names["__required"] = required_text
        return f"(v if type(v := g({key!r})) is str and v else __required({key!r}, v))"
    convert = _convert_expr(index, rule.type, names, hook_for)
    if rule.required:
        return f"((v := o[{key!r}]), {convert})[1]"
    return f"({_default_expr(index, rule, names)} if (v := g({key!r})) is None else {convert})"


def _default_expr(index: int, rule: FieldRule, names: dict[str, Any]) -> str:
    """The field's default as an expression: a literal when one reads back exactly."""
    if rule.factory is list:
        return "[]"
    if rule.factory is not None:
        names[f"__d{index}"] = rule.factory
        return f"__d{index}()"
    if rule.default is None or type(rule.default) in (bool, int, str):
        return repr(rule.default)
    names[f"__d{index}"] = rule.default
    return f"__d{index}"


def _convert_expr(
    index: int, tp: Any, names: dict[str, Any], hook_for: Callable[[Any], Hook]
) -> str:
    """The expression turning a non-null ``v`` into ``tp``: a fast path, else the hook."""
    names[f"__h{index}"], names[f"__t{index}"] = hook_for(tp), tp
    convert = f"__h{index}(v, __t{index})"
    if tp in (str, int, bool):
        return f"(v if type(v) is {tp.__name__} else {convert})"
    if tp is datetime:
        names["__fromts"], names["__utc"] = datetime.fromtimestamp, timezone.utc
        names["__ms"] = MILLISECONDS_THRESHOLD
        # Plain epoch seconds, the documented form; anything else goes to the rule.
        return f"(__fromts(v, __utc) if type(v) is int and 0 <= v < __ms else {convert})"
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp)
        names[f"__e{index}"], names[f"__et{index}"] = hook_for(item), item
        return f"([__e{index}(x, __et{index}) for x in v] if type(v) is list else {convert})"
    if (members := open_enum_members(tp)) is not None:
        names[f"__m{index}"] = members
        return f"(__m{index}.get(v, v) if type(v) is str else {convert})"
    return convert


def register_source(cls: type[Any], source: str, kind: str = "structure") -> str:
    """Puts ``source`` in ``linecache`` under a file name of its own, and returns the name.

    Tracebacks and debuggers read generated code from there. The name is reused only
    for identical source (the same class in another converter), as cattrs does.
    ``kind`` says which generator made it (``_fastbody`` makes ``fast body`` ones).
    """
    base = f"<packagex_async generated {kind} {cls.__module__}.{cls.__qualname__}"
    lines = source.splitlines(keepends=True)
    for number in itertools.count(1):
        filename = f"{base}>" if number == 1 else f"{base}-{number}>"
        entry = (len(source), None, lines, filename)
        if linecache.cache.setdefault(filename, entry) == entry:
            return filename
    raise AssertionError("unreachable")  # pragma: no cover
