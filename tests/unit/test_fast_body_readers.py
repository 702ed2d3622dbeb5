"""The msgspec accelerator (``_fastbody``) on every kind of field.

The models' own fields are all optional; a probe model adds what they lack (required
numbers, times and nested objects, booleans) so each branch of the generator is read
against the full decoder. ``tests/property/test_one_result.py`` covers the models.
"""

from __future__ import annotations

import linecache
import traceback
from datetime import datetime, timezone
from typing import Any

import attrs
import orjson
import pytest

from packagex_async._codec._converter import converter
from packagex_async._codec._fastbody import object_accelerator, page_accelerator
from packagex_async.models import (
    Batch,
    BatchMode,
    BatchPhase,
    BatchStats,
    BatchStatus,
    Export,
    Page,
    Pagination,
)

FASTGEN = converter


@attrs.define
class Inner:
    """A nested model with a time: its conversion needs temporaries of its own."""

    at: datetime | None = None
    mode: BatchMode | str | None = None


@attrs.define
class Probe:
    """Every kind of field the fast path reads, required and optional."""

    ref: str = attrs.field(metadata={"json": "_ref"})
    count: int = attrs.field(metadata={"json": "_count"})
    when: datetime
    stats: BatchStats
    done: bool = False
    mode: BatchMode | str | None = None
    later: datetime | None = attrs.field(default=None, metadata={"json": "_later"})
    maybe: BatchStats | None = None
    phases: list[BatchPhase] = attrs.field(factory=list, metadata={"json": "_phases"})
    total: int = attrs.field(default=7, metadata={"json": "_total"})
    inner: Inner | None = None
    inners: list[Inner] = attrs.Factory(list)


FULL = {
    "_ref": "p_1",
    "_count": 3,
    "when": 1_700_000_000,
    "stats": {"created": 2},
    "done": True,
    "mode": "async",
    "_later": 1_700_000_100,
    "maybe": {"events": 4},
    "_phases": [{"name": "parsing", "mode": "sync", "total": 9}],
    "_total": 5,
    "inner": {"at": 1_700_000_200, "mode": "sync"},
    "inners": [{"at": 1_700_000_300}, {"mode": "async"}],
}
"""Every field set, under its wire key where the probe has one of its own."""


def read_one(model: type[Any], data: Any) -> Any:
    return object_accelerator(model)(orjson.dumps({"data": data}))


def test_every_kind_of_field_reads_as_the_full_decoder_reads_it() -> None:
    probe = read_one(Probe, FULL)

    assert probe == FASTGEN.structure(FULL, Probe)
    assert (probe.ref, probe.count, probe.total, probe.done) == ("p_1", 3, 5, True)
    assert probe.later == datetime(2023, 11, 14, 22, 15, tzinfo=timezone.utc)
    assert probe.when == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert probe.mode is BatchMode.ASYNC
    assert probe.phases[0].mode is BatchMode.SYNC
    assert probe.maybe == BatchStats(events=4)
    assert probe.inner == Inner(datetime(2023, 11, 14, 22, 16, 40, tzinfo=timezone.utc), "sync")
    assert [i.at for i in probe.inners] == [
        datetime(2023, 11, 14, 22, 18, 20, tzinfo=timezone.utc),
        None,
    ]


def test_missing_optional_keys_are_their_defaults() -> None:
    required = {"_ref": "p", "_count": 1, "when": 0, "stats": {}}

    probe = read_one(Probe, required)

    assert probe == Probe("p", 1, datetime(1970, 1, 1, tzinfo=timezone.utc), BatchStats())
    assert probe.total == 7
    assert probe.phases == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("_ref", ""),  # an empty id
        ("_ref", None),
        ("_count", None),  # a required number
        ("when", None),  # a required time
        ("stats", None),  # a required object
        ("done", "true"),  # a boolean in another accepted form
        ("_total", None),  # null where the default is not None
        ("_phases", None),  # null where the default is []
        ("when", -1),  # before 1970: the full rule handles it
        ("_later", 100_000_000_000),  # milliseconds
        ("mode", "someday"),  # a value added later
    ],
)
def test_other_forms_are_handed_back(key: str, value: Any) -> None:
    assert read_one(Probe, {**FULL, key: value}) is None


def test_a_missing_required_key_is_handed_back() -> None:
    data = {key: value for key, value in FULL.items() if key != "_count"}

    assert read_one(Probe, data) is None


def test_a_page_reads_its_pagination_or_the_page_asked_for_when_null() -> None:
    read = page_accelerator(Batch)
    pagination = {"page": 2, "limit": 1, "has_more": False}

    with_it = read(orjson.dumps({"data": [{"id": "b"}], "pagination": pagination}), 5, 6)
    null = read(orjson.dumps({"data": [], "pagination": None}), 5, 6)

    assert with_it == Page([Batch("b")], Pagination(2, 1, False, None))
    assert null == Page([], Pagination(5, 6, False, None))
    assert read(orjson.dumps({"data": []}), 1, 1) is None  # no pagination: the full way


def test_an_object_answer_is_its_model() -> None:
    read = object_accelerator(Batch)
    envelope = {"message": "ok", "status": 200, "errors": [], "code": None, "endpoint": "/b"}

    decoded = read(orjson.dumps({**envelope, "data": {"id": "b", "status": "failed"}}))

    assert decoded == Batch("b", status=BatchStatus.FAILED)
    assert read(orjson.dumps({"data": {"id": "b", "object": "batch"}})) == Batch("b")
    assert read(b'{"data": [{"id": "b"}]}') is None


@pytest.mark.parametrize(
    "body",
    [
        b'{"data": {"id": "b"}, "extra": 1}',  # a key the envelope does not document
        b'{"data": {"id": "b", "extra": 1}}',  # a key the model does not know
        b'{"data": {"id": "b", "object": 1.5}}',  # an ignored key in another form
        b'{"data": {"id": "b"}, "message": {"a": 1}}',
    ],
)
def test_a_body_with_keys_it_does_not_check_goes_the_full_way(body: bytes) -> None:
    """msgspec would skip them unchecked (a ``1e400``, a deep nesting in them)."""
    assert object_accelerator(Batch)(body) is None


def test_the_generated_source_is_in_linecache_one_field_per_line() -> None:
    read = object_accelerator(Probe)
    filename = f"<packagex_async generated fast body {__name__}.Probe>"
    lines = linecache.getlines(filename)

    assert lines[0] == "def convert(s):\n"
    assert "    o0.count = s.f1\n" in lines
    assert read(orjson.dumps({"data": FULL})) is not None


def test_a_traceback_through_the_generated_code_shows_its_lines() -> None:
    broken = attrs.make_class(
        "Broken",
        {"n": attrs.field(type=int), "m": attrs.field(type=int)},
    )
    read = object_accelerator(broken)
    broken.__setattr__ = lambda self, name, value: 1 / 0  # type: ignore[method-assign,assignment]

    with pytest.raises(ZeroDivisionError) as caught:
        read(b'{"data": {"n": 1, "m": 2}}')

    text = "".join(traceback.format_exception(caught.value))
    assert f"<packagex_async generated fast body {broken.__module__}.Broken>" in text


def test_a_reader_is_built_once_per_model() -> None:
    """``with_options`` makes a client per call: it must not build Structs each time."""
    assert page_accelerator(Batch) is page_accelerator(Batch)
    assert object_accelerator(Batch) is object_accelerator(Batch)


# What orjson reads differently: those bodies go the full way (found by a review)


@pytest.mark.parametrize("counter", [2**63 - 1, -(2**63), 0])
def test_counters_orjson_reads_exactly_are_read_exactly(counter: int) -> None:
    body = orjson.dumps({"data": {"id": "e", "count_total": counter}})

    decoded = object_accelerator(Export)(body)

    assert decoded is not None
    assert decoded.count_total == counter


@pytest.mark.parametrize("counter", [2**63, 2**64 + 1, 10**400])
def test_counters_orjson_would_read_as_floats_go_the_full_way(counter: int) -> None:
    body = b'{"data": {"id": "e", "count_total": %d}}' % counter

    assert object_accelerator(Export)(body) is None


@pytest.mark.parametrize("counter", [-(2**63) - 1, -(2**64)])
def test_a_counter_below_64_bits_goes_the_full_way(counter: int) -> None:
    """orjson reads it as a float: the full decoder's result, not msgspec's exact one."""
    body = b'{"data": {"id": "e", "count_total": %d}}' % counter
    assert object_accelerator(Export)(body) is None


@pytest.mark.parametrize(
    "pagination",
    [b'{"page": 1, "limit": 1, "has_more": false, "total_count": 1e400}', b'{"page": 1e400}'],
)
def test_a_number_past_double_in_pagination_goes_the_full_way(pagination: bytes) -> None:
    assert page_accelerator(Batch)(b'{"data": [], "pagination": ' + pagination + b"}", 1, 1) is None


def test_a_body_that_is_not_utf8_goes_the_full_way() -> None:
    assert page_accelerator(Batch)(b'{"data": [{"id": "a\xff"}], "pagination": null}', 1, 1) is None
    assert object_accelerator(Batch)(b'{"data": {"id": "a", "reason": "\xed\xa0\x80"}}') is None


def test_text_beyond_ascii_is_read() -> None:
    body = '{"data": {"id": "a", "reason": "déjà vu ✓"}}'.encode()

    decoded = object_accelerator(Batch)(body)

    assert decoded is not None
    assert decoded.reason == "déjà vu ✓"
