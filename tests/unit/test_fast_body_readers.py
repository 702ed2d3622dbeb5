"""The msgspec readers (``_fastbody``) on every kind of field, and when there are none.

The models' own fields are all optional; a probe model adds what they lack (required
numbers, times and nested objects, booleans) so each branch of the generator is read
against the full decoder. The property tests in ``tests/property`` cover the models.
"""

from __future__ import annotations

import linecache
import sys
import traceback
from datetime import datetime, timezone
from typing import Any

import attrs
import orjson
import pytest

pytest.importorskip("msgspec")  # the ``fast`` extra

from packagex_async._codec import _fastbody
from packagex_async._codec._converter import make_converter
from packagex_async._codec._fastbody import (
    Decoded,
    _Unsupported,
    make_object_reader,
    make_page_reader,
    reader_for,
)
from packagex_async.models import Batch, BatchMode, BatchPhase, BatchStats, BatchStatus, Export

FASTGEN = make_converter("fastgen")


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
    decoded = make_object_reader(model)(orjson.dumps({"data": data}))
    return None if decoded is None else decoded["data"]


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


def test_a_page_keeps_its_pagination_as_sent_and_says_when_there_was_none() -> None:
    read = make_page_reader(Batch)
    pagination = {"page": 2, "limit": 1, "has_more": False}

    with_it = read(orjson.dumps({"data": [{"id": "b"}], "pagination": pagination}))
    without = read(orjson.dumps({"data": []}))

    assert isinstance(with_it, Decoded)
    assert with_it == {"data": [Batch("b")], "pagination": pagination}
    assert without == {"data": []}


def test_an_object_answer_holds_its_model() -> None:
    read = make_object_reader(Batch)

    decoded = read(orjson.dumps({"data": {"id": "b", "status": "failed"}, "extra": 1}))

    assert decoded == {"data": Batch("b", status=BatchStatus.FAILED)}
    assert read(b'{"data": [{"id": "b"}]}') is None


def test_a_field_without_a_fast_form_leaves_its_model_to_the_full_decoder() -> None:
    odd = attrs.make_class("Odd", {"ratio": attrs.field(type=float | None, default=None)})

    with pytest.raises(_Unsupported, match="ratio"):
        make_page_reader(odd)
    assert reader_for(odd, page=True) is None
    assert reader_for(odd, page=False) is None


@attrs.define
class Hooked:
    """``__init__`` does more than set the attributes: a bare instance would skip it."""

    n: int = 0

    def __attrs_post_init__(self) -> None:
        self.n += 1


@attrs.define
class PreHooked:
    n: int = 0

    def __attrs_pre_init__(self) -> None:
        pass


def _checked(value: int) -> int:
    return value


@pytest.mark.parametrize(
    "model",
    [
        Hooked,
        PreHooked,
        attrs.make_class("Frozen", {"n": attrs.field(type=int, default=0)}, frozen=True),
        attrs.make_class("Checked", {"n": attrs.field(type=int, default=0, converter=_checked)}),
        attrs.make_class(
            "Validated",
            {"n": attrs.field(type=int, default=0, validator=attrs.validators.instance_of(int))},
        ),
        attrs.make_class("Unset", {"n": attrs.field(type=int, default=0, init=False)}),
    ],
    ids=["post_init", "pre_init", "frozen", "converter", "validator", "init_false"],
)
def test_a_model_whose_init_does_more_than_set_fields_goes_the_full_way(model: type) -> None:
    with pytest.raises(_Unsupported, match="__init__ does more than set attributes"):
        make_object_reader(model)
    assert reader_for(model, page=True) is None
    assert reader_for(model, page=False) is None


def test_no_reader_when_msgspec_is_not_the_decoder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fastbody, "DECODER", "fastgen")

    assert reader_for(Batch, page=True) is None


def test_no_reader_without_msgspec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fastbody, "DECODER", "msgspec")
    monkeypatch.setattr(_fastbody, "msgspec", None)

    assert reader_for(Export, page=False) is None
    with pytest.raises(_Unsupported, match="^msgspec is not installed$"):
        make_object_reader(Export)


def test_readers_exist_for_both_models_when_msgspec_is_the_decoder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_fastbody, "DECODER", "msgspec")

    for model in (Batch, Export):
        assert reader_for(model, page=True) is not None
        assert reader_for(model, page=False) is not None


def test_the_generated_source_is_in_linecache_one_field_per_line() -> None:
    read = make_object_reader(Probe)
    filename = f"<packagex_async generated fast body {__name__}.Probe>"
    lines = linecache.getlines(filename)

    assert lines[0] == "def convert(s):\n"
    assert "    o0.count = s.count\n" in lines
    assert read(orjson.dumps({"data": FULL})) is not None


def test_a_traceback_through_the_generated_code_shows_its_lines() -> None:
    broken = attrs.make_class(
        "Broken",
        {"n": attrs.field(type=int), "m": attrs.field(type=int)},
    )
    read = make_object_reader(broken)
    broken.__setattr__ = lambda self, name, value: 1 / 0  # type: ignore[method-assign,assignment]

    with pytest.raises(ZeroDivisionError) as caught:
        read(b'{"data": {"n": 1, "m": 2}}')

    text = "".join(traceback.format_exception(caught.value))
    assert f"<packagex_async generated fast body {broken.__module__}.Broken>" in text


def test_a_reader_is_built_once_per_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """``with_options`` makes a client per call: it must not build Structs each time."""
    monkeypatch.setattr(_fastbody, "DECODER", "msgspec")

    assert reader_for(Batch, page=True) is reader_for(Batch, page=True)
    assert reader_for(Batch, page=False) is not reader_for(Batch, page=True)


# What orjson reads differently: those bodies go the full way (found by a review)


@pytest.mark.parametrize("counter", [2**63 - 1, -(2**63), 0])
def test_counters_orjson_reads_exactly_are_read_exactly(counter: int) -> None:
    body = orjson.dumps({"data": {"id": "e", "count_total": counter}})

    decoded = make_object_reader(Export)(body)

    assert decoded is not None
    assert decoded["data"].count_total == counter


@pytest.mark.parametrize("counter", [2**63, 2**64 + 1, 10**400])
def test_counters_orjson_would_read_as_floats_go_the_full_way(counter: int) -> None:
    body = b'{"data": {"id": "e", "count_total": %d}}' % counter

    assert make_object_reader(Export)(body) is None


def test_a_counter_below_64_bits_is_read_exactly_where_orjson_reads_a_float() -> None:
    """The one difference kept on purpose: a lower bound costs 0.3 us per batch."""
    body = b'{"data": {"id": "e", "count_total": -9223372036854775809}}'

    decoded = make_object_reader(Export)(body)

    assert decoded is not None
    assert decoded["data"].count_total == -(2**63) - 1
    assert orjson.loads(body)["data"]["count_total"] == float(-(2**63))


def test_pagination_is_read_as_orjson_reads_it() -> None:
    body = b'{"data": [], "pagination": {"page": 1, "total_count": 99999999999999999999999}}'

    decoded = make_page_reader(Batch)(body)

    assert decoded is not None
    assert decoded["pagination"] == orjson.loads(body)["pagination"]
    assert isinstance(decoded["pagination"]["total_count"], float)  # refused later, as without


def test_a_body_that_is_not_utf8_goes_the_full_way_even_in_an_ignored_key() -> None:
    assert make_page_reader(Batch)(b'{"data": [{"id": "a", "\xff": 1}]}') is None
    assert make_page_reader(Batch)(b'{"data": [], "x": "\xed\xa0\x80"}') is None  # a surrogate


def test_text_beyond_ascii_is_read() -> None:
    body = '{"data": [{"id": "a", "reason": "déjà vu ✓"}]}'.encode()

    decoded = make_page_reader(Batch)(body)

    assert decoded is not None
    assert decoded["data"][0].reason == "déjà vu ✓"


def test_nesting_past_the_recursion_limit_goes_the_full_way() -> None:
    depth = 1_000  # orjson reads up to 1,024 levels; msgspec stops at the recursion limit
    body = b'{"data": [], "x": ' + b"[" * depth + b"]" * depth + b"}"

    assert make_page_reader(Batch)(body) is None


def test_the_fast_path_stays_up_to_its_recursion_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    read = make_page_reader(Batch)
    monkeypatch.setattr(_fastbody, "_MAX_RECURSION_LIMIT", sys.getrecursionlimit())

    assert read(b'{"data": []}') == {"data": []}


def test_no_fast_path_once_the_recursion_limit_is_raised_past_the_c_stack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read = make_page_reader(Batch)
    monkeypatch.setattr(_fastbody, "_MAX_RECURSION_LIMIT", 50)  # below this run's limit

    assert read(b'{"data": []}') is None
