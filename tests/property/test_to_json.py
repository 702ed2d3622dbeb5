"""``to_json`` gives the bytes orjson gives for ``to_dict``, sorted and with ``Z``.

msgspec encodes the attrs models itself; the bytes are those of orjson encoding
``to_dict``'s output with sorted keys and ``Z`` for UTC, where orjson can (not past
64 bits). Hypothesis builds models from wire objects (any text, unknown enum
values, timestamps with microseconds, nested phases and stats).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from packagex_async import to_dict, to_json
from packagex_async._codec._converter import converter
from packagex_async.models import Batch, BatchPhase, BatchStats, Export, Import, Page, Pagination

from .test_decoders_agree import wire_objects

FASTGEN = converter
ENCODE = to_json
MODELS = (Batch, Export, Import, BatchPhase, BatchStats, Pagination)


def by_orjson(value: Any) -> bytes:
    return orjson.dumps(to_dict(value), option=orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z)


@st.composite
def models(draw: st.DrawFn) -> Any:
    model = draw(st.sampled_from(MODELS))
    raw = draw(wire_objects(model, valid=True))
    value = FASTGEN.structure(raw, model)
    if model in (Batch, Export) and draw(st.booleans()):  # microseconds too
        stamp = draw(st.datetimes(datetime(1970, 1, 2), datetime(2100, 1, 1)))
        value.created_at = stamp.replace(tzinfo=timezone.utc)
    return value


@settings(max_examples=300)
@given(models())
def test_to_json_gives_orjsons_bytes(value: Any) -> None:
    assert ENCODE(value) == by_orjson(value)


@settings(max_examples=50)
@given(st.lists(models().filter(lambda m: isinstance(m, Batch)), max_size=3))
def test_pages_encode_alike(items: list[Batch]) -> None:
    page = Page(items, Pagination(page=1, limit=3, has_more=False, total_count=len(items)))

    assert ENCODE(page) == by_orjson(page)
