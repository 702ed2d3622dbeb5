"""``to_dict`` and ``to_json``: a model as plain dicts and lists, or as JSON bytes.

Web services hand the SDK's models on as JSON. ``attrs.asdict`` works but is slow
(about 18 us per batch here: it inspects every field of every nested model at run
time) and leaves enum members in. ``to_dict`` uses the package's one converter
instead, whose unstructure functions are generated once per class (about 3 us per
batch, six times faster).

The converter is configured for it in ``_converter.make_converter``: enum members
become their plain ``str`` (cattrs would pass a ``str``-subclass member through).
Integers of any size stay ``int``.

Datetimes stay aware ``datetime`` objects: orjson, FastAPI and aiohttp's
``json_response(dumps=...)`` with orjson serialize them as ISO 8601; the standard
library's ``json.dumps`` needs ``default=str`` for them.

``to_json`` is the step after, for handlers that answer with bytes: msgspec (a
dependency) encodes the attrs model itself in C (about 1 us per batch), keys sorted
by name (its order for slotted attrs classes), integers of any size included (a
counter of 2**64 that the SDK decoded encodes; orjson stops at 64 bits). The bytes
are those of ``orjson.dumps(to_dict(value), option=OPT_SORT_KEYS | OPT_UTC_Z)``
wherever orjson can encode them (``tests/property/test_to_json.py``).
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

import msgspec

from .._params import wrong_type
from ..models import Model
from ._converter import converter

__all__ = ["to_dict", "to_json"]

MODELS: tuple[type[Any], ...] = tuple(typing.get_origin(m) or m for m in typing.get_args(Model))
"""``models.Model`` as classes, for ``isinstance`` (``Page[Any]`` is checked as ``Page``)."""


def to_dict(value: Model) -> dict[str, Any]:
    """A model as plain data: dicts keyed by attribute name, lists, str, int, bool, None.

    Keys are the attribute names (``result_json_url``, not the wire's
    ``_result_json_url``); enum members become their plain ``str`` value, and a value
    the SDK does not know (an open enum's new status) stays the ``str`` it is.
    Nested models (a batch's ``phases`` and ``stats``, a page's items) are
    converted too. Datetimes stay timezone-aware ``datetime`` objects:
    ``orjson.dumps`` and FastAPI encode them, ``json.dumps`` needs ``default=str``.

    For a list of models, convert each: ``[to_dict(b) for b in batches]``.
    """
    _check_model("to_dict", value)
    plain: dict[str, Any] = converter.unstructure(value)
    return plain


def to_json(value: Model) -> bytes:
    """A model as UTF-8 JSON: ``to_dict(value)`` encoded, keys sorted by name.

    Datetimes are RFC 3339 in UTC with a ``Z`` (``"2023-11-14T22:13:27Z"``), enum
    members their plain value, integers of any size exact. msgspec encodes the model
    in C. A value JSON cannot hold, stored in a model by hand, is a ``TypeError``.
    """
    _check_model("to_json", value)
    return _ENCODE(value)


_ENCODE: Callable[[Any], bytes] = msgspec.json.Encoder(order="sorted").encode
"""Keys sorted, nested dicts' too (an import's ``column_mapping``), as orjson sorts them."""


def _check_model(function: str, value: object) -> None:
    if not isinstance(value, MODELS):
        allowed = ", ".join(model.__name__ for model in MODELS)
        wrong_type(
            f"{function}() takes a model of packagex_async ({allowed}), "
            f"got {type(value).__name__}"  # never a repr: a model's may hold a signed URL
        )
