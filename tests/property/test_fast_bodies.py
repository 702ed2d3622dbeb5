"""msgspec's fast path (``_fastbody``) reads a body as the full decoder does, or not at all.

The fast readers accept only the documented form of each value and hand everything
else back (``None``), so the only way they could be wrong is to accept a body and
read it differently. Hypothesis builds answer bodies from the wire objects of
``test_decoders_agree`` (mostly valid, sometimes not), and each fast result must be
what the pipeline makes of it without msgspec (``orjson.loads``, then the generated
decoder), types included. Bodies in the documented form must take the fast path, or
it would be dead code that only looks fast.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("msgspec")  # the ``fast`` extra; without it no body takes this path

from packagex_async._codec._converter import make_converter, structure_list
from packagex_async._codec._fastbody import Decoded, make_object_reader, make_page_reader
from packagex_async._codec._rules import field_rules, open_enum_members
from packagex_async.models import Batch, Export

from .test_decoders_agree import junk, outcome, snapshot, wire_objects

FASTGEN = make_converter("fastgen")
READ_MODELS = (Batch, Export)
# Readers are built inside each test (a millisecond each), not at import: mutation
# testing sees which tests reach the generator only while they run.


unknown_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),  # JSON has no NaN
    st.text(max_size=6),
    st.lists(st.integers(), max_size=2),
)
"""What a key the models do not know may hold in valid JSON."""


def documented_values(tp: Any) -> st.SearchStrategy[Any]:
    """A value of ``tp`` in the form the API documents (what the fast path is for)."""
    if tp is str:
        return st.text(max_size=8)
    if tp is int:
        return st.integers(0, 10**6)
    if tp is bool:
        return st.booleans()
    if (members := open_enum_members(tp)) is not None:
        return st.sampled_from(sorted(members))
    if attrs.has(tp):
        return documented_objects(tp)
    if getattr(tp, "__name__", "") == "datetime":
        return st.integers(0, 4_000_000_000)
    (item,) = tp.__args__  # list[X]
    return st.lists(documented_values(item), max_size=3)


@st.composite
def documented_objects(draw: st.DrawFn, cls: type[Any]) -> dict[str, Any]:
    """A wire object of ``cls`` as documented: keys missing, ``null`` where the default
    is ``None``, or documented values, among unknown keys."""
    obj: dict[str, Any] = draw(st.dictionaries(st.text(max_size=4), unknown_values, max_size=2))
    for rule in field_rules(cls):
        obj.pop(rule.key, None)
        if rule.text:
            obj[rule.key] = draw(st.text(min_size=1, max_size=8))
            continue
        kind = draw(st.sampled_from(["value"] * 6 + ["missing", "null"]))
        if kind == "value":
            obj[rule.key] = draw(documented_values(rule.type))
        elif kind == "null" and rule.default is None and rule.factory is None:
            obj[rule.key] = None
    return obj


def body_of(envelope: dict[str, Any]) -> bytes:
    """The envelope as JSON (the standard library's: junk has integers orjson refuses)."""
    return json.dumps(envelope).encode()


def page_body(items: Any, pagination: Any) -> bytes:
    envelope = {"data": items}
    if pagination is not ...:
        envelope["pagination"] = pagination
    return body_of(envelope)


paginations = st.just(...) | st.none() | st.fixed_dictionaries({"page": st.integers(1, 9)})


def full_way(body: bytes) -> Any:
    """The envelope as the pipeline reads it without msgspec (``None``: garbled)."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


def below_64_bits(value: Any) -> bool:
    """Whether ``value`` holds an integer below -2**63: the one documented difference
    (msgspec reads it exactly, orjson as a float)."""
    if isinstance(value, dict):
        return any(below_64_bits(item) for item in value.values())
    if isinstance(value, list):
        return any(below_64_bits(item) for item in value)
    return type(value) is int and value < -(2**63)


@settings(max_examples=300)
@given(st.data())
def test_a_fast_page_is_the_full_decoders_page_or_none(data: st.DataObject) -> None:
    model = data.draw(st.sampled_from(READ_MODELS))
    items = data.draw(st.lists(wire_objects(model) | documented_objects(model), max_size=4))
    body = page_body(items, data.draw(paginations))

    fast = make_page_reader(model)(body)

    if fast is not None and not below_64_bits(json.loads(body)):
        assert isinstance(fast, Decoded)
        envelope = full_way(body)
        assert envelope is not None
        full = outcome(structure_list(model, using=FASTGEN), envelope["data"])
        assert snapshot(fast["data"]) == full
        assert fast.get("pagination", ...) == envelope.get("pagination", ...)


@settings(max_examples=300)
@given(st.data())
def test_a_fast_object_is_the_full_decoders_object_or_none(data: st.DataObject) -> None:
    model = data.draw(st.sampled_from(READ_MODELS))
    body = body_of({"data": data.draw(wire_objects(model) | documented_objects(model) | junk)})

    fast = make_object_reader(model)(body)

    if fast is not None and not below_64_bits(json.loads(body)):
        envelope = full_way(body)
        assert envelope is not None
        assert snapshot(fast["data"]) == outcome(FASTGEN.structure, envelope["data"], model)


@settings(max_examples=200)
@given(st.data())
def test_documented_bodies_take_the_fast_path(data: st.DataObject) -> None:
    model = data.draw(st.sampled_from(READ_MODELS))
    items = data.draw(st.lists(documented_objects(model), max_size=4))

    fast = make_page_reader(model)(page_body(items, {"page": 1}))
    one = make_object_reader(model)(body_of({"data": items[0] if items else {"id": "x"}}))

    assert fast is not None
    assert snapshot(fast["data"]) == snapshot(structure_list(model, using=FASTGEN)(items))
    assert one is not None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b'{"data": {"id": "a"}}',  # an object where the page's array belongs
        b'{"pagination": null}',  # no data at all
        b'{"data": [{"id": "a"}]} trailing',
        b'{"data": [{"id": "a\xff"}]}',  # not UTF-8
        b'{"data": [{"id": ""}]}',  # an empty id is an error the full way words
        b'{"data": [{"id": "a", "created_at": 1700000000000}]}',  # milliseconds
        b'{"data": [{"id": "a", "created_at": "2024-01-01T00:00:00Z"}]}',  # ISO
        b'{"data": [{"id": "a", "phases": null}]}',  # null where the default is []
        b'{"data": [{"id": "a", "status": 7}]}',  # an enum that is not a string
        b'{"data": [{"id": "a", "status": "paused"}]}',  # a status added later
    ],
)
def test_anything_but_the_documented_form_goes_the_full_way(body: bytes) -> None:
    assert make_page_reader(Batch)(body) is None
