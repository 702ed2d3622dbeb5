"""``to_dict``: a model as plain dicts and lists, ready for a JSON encoder.

Web services hand the SDK's models on as JSON. ``attrs.asdict`` works but is slow
(about 18 us per batch here: it inspects every field of every nested model at run
time) and leaves enum members in. ``to_dict`` uses the package's one converter
instead, whose unstructure functions are generated once per class (about 3 us per
batch, six times faster).

The converter is configured for it in ``_converter.make_converter``: enum members
become their plain ``str`` (cattrs would pass a ``str``-subclass member through).

Datetimes stay aware ``datetime`` objects: orjson, FastAPI and aiohttp's
``json_response(dumps=...)`` with orjson serialize them as ISO 8601; the standard
library's ``json.dumps`` needs ``default=str`` for them.
"""

from __future__ import annotations

import reprlib
from typing import Any

from ._converter import converter
from ._params import wrong_type
from .models import Batch, BatchPhase, BatchStats, Export, Page, Pagination

__all__ = ["to_dict"]

MODELS = (Batch, Export, BatchPhase, BatchStats, Pagination, Page)
"""What ``to_dict`` accepts; anything else is a ``PackageXTypeError``."""


def to_dict(
    value: Batch | Export | BatchPhase | BatchStats | Pagination | Page[Any],
) -> dict[str, Any]:
    """A model as plain data: dicts keyed by attribute name, lists, str, int, bool, None.

    Keys are the attribute names (``result_json_url``, not the wire's
    ``_result_json_url``); enum members become their plain ``str`` value, and a value
    the SDK does not know (an open enum's new status) stays the ``str`` it is.
    Nested models (a batch's ``phases`` and ``stats``, a page's items) are
    converted too. Datetimes stay timezone-aware ``datetime`` objects:
    ``orjson.dumps`` and FastAPI encode them, ``json.dumps`` needs ``default=str``.

    For a list of models, convert each: ``[to_dict(b) for b in batches]``.
    """
    if not isinstance(value, MODELS):
        allowed = ", ".join(model.__name__ for model in MODELS)
        wrong_type(
            f"to_dict() takes a model of packagex_async ({allowed}), "
            f"got {type(value).__name__}: {reprlib.repr(value)}"
        )
    plain: dict[str, Any] = converter.unstructure(value)
    return plain
