"""The generated decoders (``_fastgen``) and the plain-cattrs reference decode every
object alike.

Both are built from the one rulebook in ``_rules``; ``_fastgen`` also inlines fast
paths, which is where they could drift (``test_one_result`` does the same for whole
bodies, the accelerator included). Hypothesis builds wire objects for the
models, mostly valid and sometimes not (wrong types, nulls, unknown enum values,
millisecond and ISO timestamps, a missing or empty id, extra keys, non-objects), and
each must decode to the same model through both backends, or fail in both with a
shape error. Models are compared with their types (``BatchStatus.FAILED`` equals
``"failed"``, but it is not the same answer).
"""

from __future__ import annotations

import enum
import typing
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from packagex_async._codec._converter import converter, structure_list
from packagex_async._codec._decode import SHAPE_ERRORS
from packagex_async._codec._rules import open_enum_members, without_none
from packagex_async.models import Batch, BatchPhase, BatchStats, Export, Import, Pagination

from ..reference import REFERENCE

FASTGEN = converter
CATTRS = REFERENCE
ALL_MODELS = (Batch, Export, Import, Pagination, BatchPhase, BatchStats)
for _model in ALL_MODELS:
    attrs.resolve_types(_model)  # the models use postponed (string) annotations

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=6),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
sane_times = st.datetimes(datetime(1970, 1, 2), datetime(2100, 1, 1))
zones = st.sampled_from([timezone.utc, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5))])
iso_times = st.one_of(
    sane_times.map(datetime.isoformat),
    sane_times.map(lambda t: t.isoformat() + "Z"),
    st.builds(lambda t, z: t.replace(tzinfo=z).isoformat(), sane_times, zones),
)
epochs = st.one_of(
    st.integers(0, 4_000_000_000),  # seconds
    st.integers(100_000_000_000, 4_000_000_000_000),  # milliseconds
    st.floats(0, 4_000_000_000),
)
timestamps = st.one_of(epochs, epochs.map(str), iso_times)
wild_timestamps = st.one_of(
    st.integers(), st.floats(), st.datetimes().map(datetime.isoformat), st.text(max_size=8)
)


def valid_values(tp: Any, valid: bool) -> st.SearchStrategy[Any]:
    """Values the rules accept for a non-null field of type ``tp`` (nested objects
    are wholly valid only if ``valid``)."""
    if tp is datetime:
        return timestamps
    if tp is bool:
        return st.sampled_from([True, False, "true", "false", 0, 1])
    if tp is int:
        return st.integers(0, 10**6) | st.integers(0, 10**6).map(str)
    if tp is str:
        return st.text(max_size=8)
    if (members := open_enum_members(tp)) is not None:
        return st.sampled_from(sorted(members)) | st.text(max_size=8)
    if attrs.has(tp):
        return wire_objects(tp, valid)
    if typing.get_origin(tp) is dict:  # an import's column_mapping: any JSON object
        return st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=3)
    (item,) = tp.__args__  # list[X]
    return st.lists(valid_values(item, valid), max_size=3)


def invalid_values(tp: Any) -> st.SearchStrategy[Any]:
    """Values of other shapes, plus the edge forms of the field's own type."""
    if tp is datetime:
        return junk | wild_timestamps
    if tp is int:
        return junk | st.booleans() | st.floats() | st.integers().map(lambda n: f" {n}")
    if tp is bool:
        return junk | st.sampled_from(["True", "1", "", 2, 1.0, 0.0, -0.0])
    if tp is str:
        return junk | st.just("")
    if (members := open_enum_members(tp)) is not None:
        return junk | st.sampled_from(sorted(members)).map(str.upper)
    return junk


MISSING = object()


@st.composite
def wire_objects(draw: st.DrawFn, cls: type[Any], valid: bool = False) -> dict[str, Any]:
    """A JSON object for ``cls`` among unknown keys: each field's key missing, null,
    valid or (unless ``valid``) of a wrong shape, more or less often."""
    obj = draw(st.dictionaries(st.text(max_size=4), junk, max_size=2))
    odds = 0 if valid else draw(st.sampled_from([2, 6, 30]))
    for field in attrs.fields(cls):
        key = field.metadata.get("json", field.name)
        obj.pop(key, None)
        value = draw(field_values(field, odds))
        if value is not MISSING:
            obj[key] = value
    return obj


def field_values(field: attrs.Attribute[Any], odds: int) -> st.SearchStrategy[Any]:
    """One field's value on the wire, ``MISSING`` for no key at all; 1 in ``odds`` is
    of a wrong shape (none if ``odds`` is 0)."""
    tp, valid = without_none(field.type), odds == 0
    required = field.default is attrs.NOTHING
    good = "text" if required and tp is str else "valid"  # an id is non-empty text
    kinds = [good] * 6 if valid else [good] * (odds - 1) + ["invalid"]
    if not (valid and required):  # a key missing or null, about 1 in 10 each
        kinds += ["missing", "null"] * max(1, len(kinds) // 8)
    strategies = {
        "valid": valid_values(tp, valid),
        "text": st.text(min_size=1, max_size=8),
        "missing": st.just(MISSING),
        "null": st.none(),
        "invalid": invalid_values(tp),
    }
    return st.sampled_from(kinds).flatmap(strategies.__getitem__)


def snapshot(value: Any) -> Any:
    """``value`` with the type of every part, for comparisons that see types."""
    if attrs.has(type(value)):
        parts = tuple(snapshot(getattr(value, f.name)) for f in attrs.fields(type(value)))
        return (type(value), parts)
    if isinstance(value, list):
        return (list, tuple(snapshot(item) for item in value))
    if isinstance(value, datetime):
        return (datetime, value, value.utcoffset())
    if isinstance(value, enum.Enum):
        return (type(value), value.value)
    return (type(value), value)


def outcome(decode: Any, *args: Any, exact: bool = False) -> Any:
    """The snapshot of what ``decode(*args)`` returns, or that it failed as a shape
    error (which one, if ``exact``)."""
    try:
        return snapshot(decode(*args))
    except SHAPE_ERRORS as exc:
        return (type(exc), str(exc)) if exact else "shape error"


MODELS = st.sampled_from(ALL_MODELS)


@settings(max_examples=400)
@given(st.data())
def test_both_backends_decode_any_object_alike(data: st.DataObject) -> None:
    model = data.draw(MODELS)
    raw = data.draw(wire_objects(model) | junk)
    assert outcome(FASTGEN.structure, raw, model) == outcome(CATTRS.structure, raw, model)


@settings(max_examples=200)
@given(st.data())
def test_valid_objects_decode_to_the_same_model(data: st.DataObject) -> None:
    """Not vacuous: valid objects (nulls and missing optional keys included) decode."""
    model = data.draw(MODELS)
    raw = data.draw(wire_objects(model, valid=True))
    fast = FASTGEN.structure(raw, model)
    assert snapshot(fast) == snapshot(CATTRS.structure(raw, model))


@settings(max_examples=300)
@given(st.data())
def test_one_wrong_field_fails_alike_in_both_backends(data: st.DataObject) -> None:
    """A valid object with one key removed or given a wrong value: the same model, or
    the same error with the same message (with several wrong fields the backends may
    trip over different ones first)."""
    model = data.draw(MODELS)
    raw = data.draw(wire_objects(model, valid=True))
    field = data.draw(st.sampled_from(attrs.fields(model)))
    key = field.metadata.get("json", field.name)
    raw.pop(key, None)
    value = data.draw(invalid_values(without_none(field.type)) | st.just(MISSING))
    if value is not MISSING:
        raw[key] = value
    fast = outcome(FASTGEN.structure, raw, model, exact=True)
    assert fast == outcome(CATTRS.structure, raw, model, exact=True)


@settings(max_examples=100)
@given(st.lists(wire_objects(Batch) | junk, max_size=4) | junk)
def test_both_backends_decode_any_batch_list_alike(raw: Any) -> None:
    fast = structure_list(Batch, using=FASTGEN)
    plain = structure_list(Batch, using=CATTRS)
    assert outcome(fast, raw) == outcome(plain, raw)
