"""One result per body: every decoder gives the same model or the same error.

Three ways to read an answer body: the SDK's readers (the msgspec accelerator, then
the full way for any body it leaves), the full way alone (orjson and the generated
structure functions), and the plain-cattrs reference of ``tests/reference.py``.
For every body of a fixed adversarial corpus and of a Hypothesis strategy, all
three give the same model (compared with the types of its parts) or fail with the
same error class and message (the reference may name another of several wrong
fields first); the accelerator, where it answers, gives that model.
Nothing else may escape: a raw exception fails the test. The pipeline words the
error from what the codec raised (``NotEnvelope``: the body excerpt, ``Misshapen``:
its text), so the same codec outcome is the same ``PackageXError``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from packagex_async._codec import _decode
from packagex_async._codec._decode import decode_object, decode_page, parse
from packagex_async._codec._fastbody import object_accelerator, page_accelerator
from packagex_async._codec._rules import field_rules, open_enum_members
from packagex_async._http import Misshapen, NotEnvelope
from packagex_async.models import Batch, BatchStats, Export

from ..reference import use_reference
from .test_decoders_agree import junk, snapshot, wire_objects

READ_MODELS = (Batch, Export)
PAGE, LIMIT = 2, 3


def sdk(model: type[Any], body: bytes, page: bool) -> Any:
    if page:
        return _decode.page_reader(model)(body, PAGE, LIMIT)
    return _decode.object_reader(model)(body)


def full_way(model: type[Any], body: bytes, page: bool) -> Any:
    if page:
        return decode_page(parse(body), model, page=PAGE, limit=LIMIT)
    return decode_object(parse(body), model)


def reference(model: type[Any], body: bytes, page: bool) -> Any:
    use_reference()
    try:
        return sdk(model, body, page)
    finally:
        use_reference(False)


def outcome(read: Callable[[type[Any], bytes, bool], Any], *args: Any) -> Any:
    """What ``read`` made of the body, with types; or the error class and message."""
    try:
        return snapshot(read(*args))
    except (NotEnvelope, Misshapen) as exc:
        return (type(exc).__name__, str(exc))


def assert_one_result(model: type[Any], body: bytes, page: bool, *, exact: bool = True) -> Any:
    """The SDK, the full way and the accelerator agree exactly; the reference too, or
    (not ``exact``: several wrong fields, which cattrs may check in another order) on
    the model or the class of the error."""
    expected = outcome(full_way, model, body, page)
    assert outcome(sdk, model, body, page) == expected
    plain = outcome(reference, model, body, page)
    if exact or not isinstance(plain[0], str):
        assert plain == expected
    else:
        assert plain[0] == expected[0]
    fast = page_accelerator(model)(body, PAGE, LIMIT) if page else object_accelerator(model)(body)
    if fast is not None:
        assert snapshot(fast) == expected
    return expected


# The fixed adversarial corpus

NUMBERS = [
    "1e400",
    "-1e400",
    "1E400",
    "1" + "0" * 400,
    "18446744073709551616",  # 2**64
    "18446744073709551615",
    "9223372036854775808",  # 2**63
    "9223372036854775807",
    "-9223372036854775808",
    "-9223372036854775809",  # below 64 bits
    "-18446744073709551616",
    "1.5",
    "1e2",
    "-0",
    "0",
    "1700000000",
    "1700000000000",
    "NaN",
    "Infinity",
    "-Infinity",
]
WRONG_TYPES = ["null", "true", "false", '"x"', '""', "[]", "{}", '["x"]', '{"a": 1}', "[null]"]
TIMESTAMPS = [
    '"2024-05-01T10:00:00Z"',
    '"2024-05-01T10:00:00+05:00"',
    '"2024-05-01T10:00:00"',
    '"2024-05-01"',
    '"1700000000"',
    '"1700000000000.5"',
    '" 1700000000 "',
    '"soon"',
    "1700000000.25",
    "-1",
    "100000000000000000",
    "1e17",
]
ENUMS = ['"paused"', '"FAILED"', "7", "1.5", "true", "[]", "{}", '["failed"]', '""']
TEXTS = ['"\\ud800"', '"\\udc00x"', '"a\\u0000b"', '"\\ud83d\\ude00"', '"d\\u00e9j\\u00e0"']
BAD_BYTES = [b'"\xff"', b'"\xed\xa0\x80"', b'"\xc3"', '"déjà ✓"'.encode()]
DEEP = b"[" * 1100 + b"]" * 1100

BASE_BATCH = {
    "id": "batch_1",
    "object": "batch",
    "organization_id": "org_1",
    "resource": "shipment",
    "mode": "async",
    "via": "api",
    "action": "merge",
    "status": "completed",
    "duplicate_handling": "use_first",
    "reason": None,
    "phases": [{"name": "parsing", "mode": "sync", "total": 3, "processed": 3}],
    "stats": {"created": 1, "updated": 0, "deleted": 0, "overwritten": 0, "events": 2},
    "created_at": 1_700_000_000,
    "updated_at": 1_700_000_100,
    "updated_by": "user_1",
    "checksum": "abc",
    "_result_json_url": None,
}
BASE_EXPORT = {
    "id": "exp_1",
    "object": "export",
    "name": "weekly",
    "resource": "shipment",
    "status": "completed",
    "count_batches": 2,
    "count_total": 40,
    "created_at": 1_700_000_000,
    "_json_url": "https://files.example/e.json",
}
ENVELOPE = {"message": "ok", "status": 200, "errors": [], "code": None, "endpoint": "/v1"}
PAGINATION = {"page": 2, "limit": 3, "has_more": True, "total_count": 9}
HOLE = "\x00hole\x00"


def with_hole(model: type[Any], page: bool, where: str) -> bytes:
    """The documented body of ``model`` with ``HOLE`` where a raw token goes:
    a field (``data.KEY``, ``data.stats.KEY``, ``data.phases.KEY``), ``pagination.KEY``,
    an envelope key (``envelope.KEY``) or an unknown key (``data.x``, ``envelope.x``)."""
    item: dict[str, Any] = json.loads(json.dumps(BASE_BATCH if model is Batch else BASE_EXPORT))
    envelope: dict[str, Any] = {**ENVELOPE, "pagination": dict(PAGINATION) if page else None}
    part, _, key = where.partition(".")
    if part == "data":
        target = item
        if key.startswith(("stats.", "phases.")):
            nested, _, key = key.partition(".")
            target = item[nested] if nested == "stats" else item[nested][0]
        target[key] = HOLE
    elif part == "pagination":
        envelope["pagination"][key] = HOLE
    else:
        envelope[key] = HOLE
    envelope["data"] = [item] if page else item
    return json.dumps(envelope).encode()


def spots(model: type[Any], page: bool) -> list[str]:
    """Every place a token is tried: each field, nested ones, pagination, envelope."""
    fields = [f"data.{rule.key}" for rule in field_rules(model)]
    if model is Batch:
        fields += [f"data.stats.{r.key}" for r in field_rules(BatchStats)]
        fields += ["data.phases.total", "data.phases.mode", "data.phases.name"]
    places = [*fields, "data.object", "data.x", "envelope.x", "envelope.status", "envelope.errors"]
    if page:
        places += [f"pagination.{key}" for key in PAGINATION]
    return places


def corpus() -> Iterator[tuple[type[Any], bool, bytes]]:
    tokens = [t.encode() for t in NUMBERS + WRONG_TYPES + TIMESTAMPS + ENUMS + TEXTS]
    tokens += [*BAD_BYTES, DEEP]
    for model in READ_MODELS:
        for page in (False, True):
            for where in spots(model, page):
                hole = with_hole(model, page, where)
                for token in tokens:
                    yield model, page, hole.replace(json.dumps(HOLE).encode(), token)
            base = with_hole(model, page, "envelope.x").replace(b', "x": "\\u0000hole\\u0000"', b"")
            yield model, page, base
            yield model, page, b"\xef\xbb\xbf" + base  # a byte order mark
            yield model, page, base[:-1] + b', "data": null}'  # a duplicate key, last wins
            yield model, page, base.replace(b'"id": ', b'"id": "first", "id": ', 1)
            yield model, page, base.replace(b'"status": "completed"', b'"status": 7, "status": "x"')
            yield model, page, base + b" "
            yield model, page, base + b"x"
            for envelope in [b"", b"null", b"[]", b'{"data": 1}', b'{"x": 1}', DEEP]:
                yield model, page, envelope


def test_the_corpus_reads_alike_in_every_decoder() -> None:
    disagreements = []
    results: dict[str, int] = {}
    for model, page, body in corpus():
        try:
            expected = assert_one_result(model, body, page)
        except AssertionError:
            disagreements.append((model.__name__, page, body[:300]))
            continue
        kind = expected[0] if isinstance(expected[0], str) else "model"
        results[kind] = results.get(kind, 0) + 1
    assert disagreements == []
    # Not vacuous: the corpus gives models, shape errors and bodies that are not envelopes.
    assert min(results.get(kind, 0) for kind in ("model", "Misshapen", "NotEnvelope")) > 100


@pytest.mark.parametrize("model", READ_MODELS)
def test_the_documented_bodies_take_the_accelerator(model: type[Any]) -> None:
    body = with_hole(model, True, "envelope.x").replace(b', "x": "\\u0000hole\\u0000"', b"")
    assert page_accelerator(model)(body, PAGE, LIMIT) is not None
    one = orjson.dumps({**ENVELOPE, "data": BASE_BATCH if model is Batch else BASE_EXPORT})
    assert object_accelerator(model)(one) is not None


# Generated bodies


def documented_values(tp: Any) -> st.SearchStrategy[Any]:
    """A value of ``tp`` in the form the API documents (what the accelerator is for)."""
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
    is ``None``, or documented values (``wire_objects`` adds unknown keys)."""
    obj: dict[str, Any] = {}
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


raw_tokens = st.sampled_from(NUMBERS + WRONG_TYPES + TIMESTAMPS + ENUMS + TEXTS).map(str.encode)
paginations = st.none() | st.fixed_dictionaries(
    {"page": st.integers(1, 9), "limit": st.integers(1, 9), "has_more": st.booleans()},
    optional={"total_count": st.none() | st.integers(0, 99) | junk},
)


@st.composite
def bodies(draw: st.DrawFn) -> tuple[type[Any], bool, bytes]:
    """A body of ``model``: documented or not objects, a pagination, and sometimes one
    value swapped for a raw token (a number past double, a lone surrogate, ...)."""
    model = draw(st.sampled_from(READ_MODELS))
    page = draw(st.booleans())
    items = st.one_of(documented_objects(model), wire_objects(model))
    envelope: dict[str, Any] = draw(
        st.fixed_dictionaries({}, optional=dict.fromkeys(ENVELOPE, junk))
    )
    envelope["data"] = draw(st.lists(items, max_size=3) if page else items | junk)
    if page and draw(st.integers(0, 9)):
        envelope["pagination"] = draw(paginations)
    body = json.dumps(envelope).encode()  # the standard library's: big integers too
    if draw(st.booleans()):  # one JSON value (after a key) becomes a raw token
        marks = [i for i in range(len(body)) if body[i : i + 2] == b": "]
        if marks:
            at = draw(st.sampled_from(marks)) + 2
            end = _value_end(body, at)
            body = body[:at] + draw(raw_tokens) + body[end:]
    return model, page, body


def _value_end(body: bytes, at: int) -> int:
    """Where the JSON value starting at ``at`` ends (``json.dumps`` wrote ASCII)."""
    try:
        return json.JSONDecoder().raw_decode(body.decode(), at)[1]
    except ValueError:
        return at


@settings(max_examples=500)
@given(bodies())
def test_any_body_reads_alike_in_every_decoder(case: tuple[type[Any], bool, bytes]) -> None:
    model, page, body = case
    assert_one_result(model, body, page, exact=False)


@settings(max_examples=200)
@given(st.data())
def test_documented_bodies_are_read_by_the_accelerator(data: st.DataObject) -> None:
    """Not vacuous: the accelerator answers for every documented body, as the rest do."""
    model = data.draw(st.sampled_from(READ_MODELS))
    items = data.draw(st.lists(documented_objects(model), max_size=3))
    body = json.dumps({"data": items, "pagination": {"page": 1, "limit": 3, "has_more": False}})

    assert page_accelerator(model)(body.encode(), PAGE, LIMIT) is not None
    assert_one_result(model, body.encode(), True)
