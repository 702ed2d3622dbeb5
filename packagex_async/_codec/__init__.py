"""The codec: answer bodies to models, and models to dicts and JSON, in one package.

- ``_rules``: the rulebook, how a JSON value becomes an attribute, stated once;
- ``_fastgen``: the structure functions generated from it, registered in the one
  cattrs converter (``_converter``): the SDK decodes through cattrs;
- ``_fastbody``: the msgspec accelerator, derived from the same rules, which takes
  only bodies in the documented form and gives the converter's result for them;
- ``_decode``: the readers resources hand the pipeline (bytes in, models out), the
  accelerator first and the full way for every other body;
- ``_serialize``: ``to_dict`` and ``to_json``.

msgspec is a dependency, not an extra. Listing is decode-bound, and only msgspec's
typed decoding reads a page within the speed the SDK promises (a listing at limit
100 within 1.20x the client CPU of raw aiohttp + orjson dicts; without it, 1.5x).
It is a well-kept C library with wheels for every platform and Python the SDK
supports, so every user gets that speed and one behaviour; there is no switch.
The plain-cattrs reference every decoder is held to lives in the tests
(``tests/reference.py``), and ``tests/conftest.py`` can run the suites with it
(``PACKAGEX_TEST_DECODER=reference``).

Every public model is built into both decoders when this package is imported: a
field the rules cannot read fails the import with a ``TypeError`` naming the field
and why, never a silent fall back to something slower or different.
"""

from __future__ import annotations

import typing
from typing import Any

from ..models import JobModel
from ._converter import converter
from ._decode import object_reader, page_reader, use_reference
from ._fastbody import object_accelerator, page_accelerator
from ._serialize import to_dict, to_json

__all__ = [
    "build",
    "converter",
    "object_reader",
    "page_reader",
    "to_dict",
    "to_json",
    "use_reference",
]


def build(model: Any) -> None:
    """Builds every decoder of ``model`` now; a ``TypeError`` says what cannot be read."""
    converter.get_structure_hook(model)
    object_accelerator(model)
    page_accelerator(model)


for _model in typing.get_args(JobModel):  # every resource's model
    build(_model)
