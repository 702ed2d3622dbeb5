"""The codec (``_codec``) at the edges mutation testing found (issue 24).

The public models' decoders are built once, when the package is imported, so a test
that decodes a ``Batch`` checks decoders built before it ran. These tests make their
models inside the test (each call of ``every_kind`` is a new class, and the codec
builds its readers per class), so the converter, the generated structure functions
and the msgspec accelerator are built under the test and checked against the
documented result. See ``tests/MUTANTS.md`` and ``python -m tools.mutate``.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import attrs
import orjson
import pytest

from packagex_async import PackageXTypeError, to_dict
from packagex_async._codec import _decode, build, object_reader, page_reader
from packagex_async._codec._converter import converter, make_converter, structure_list
from packagex_async._codec._decode import decode_page
from packagex_async._codec._decode import use_reference as decode_with
from packagex_async._codec._fastbody import object_accelerator, page_accelerator
from packagex_async._http import Misshapen
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

from .._codec_helpers import model_with
from ..reference import REFERENCE, use_reference

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
STAMP = datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)


def every_kind() -> type[Any]:
    """A new model with a field of each kind the codec converts, each with its kind of
    default: ``None``, a literal, a constant that is no literal, a factory."""

    @attrs.define
    class Every:
        id: str
        count: int | None = None
        tags: list[str] = attrs.Factory(list)
        status: BatchStatus | str | None = None
        at: datetime | None = None
        since: datetime = attrs.Factory(lambda: EPOCH)
        first: datetime = STAMP
        stats: BatchStats | None = None
        totals: BatchStats = attrs.Factory(BatchStats)
        phases: list[BatchPhase] = attrs.Factory(list)
        level: int = 7

    return Every


FULL = {
    "id": "e_1",
    "object": "every",
    "count": 3,
    "tags": ["a", "b"],
    "status": "failed",
    "at": 1_700_000_000,
    "since": 1_700_000_000,
    "first": 0,
    "stats": {"created": 1},
    "totals": {"events": 2},
    "phases": [{"name": "parsing", "mode": "sync", "total": 9}],
    "level": 8,
}
"""Every field in its documented form, and the documented ``object`` key models skip."""

ENVELOPE = {"message": "OK", "status": 200, "code": "ok", "endpoint": "/v1/every", "errors": []}
"""The envelope's documented keys besides ``data`` and ``pagination``."""


def _full(model: type[Any]) -> Any:
    return model(
        "e_1",
        3,
        ["a", "b"],
        BatchStatus.FAILED,
        STAMP,
        STAMP,
        EPOCH,
        BatchStats(created=1),
        BatchStats(events=2),
        [BatchPhase("parsing", BatchMode.SYNC, 9)],
        8,
    )


def test_a_documented_answer_with_every_kind_of_field_is_read_by_the_accelerator() -> None:
    model = every_kind()
    build(model)
    expected = _full(model)
    body = orjson.dumps({"data": FULL, "pagination": None, **ENVELOPE})

    read = object_accelerator(model)(body)

    assert read == expected  # read by msgspec, not handed on to the full way
    assert read.status is BatchStatus.FAILED  # the member, not the equal string
    assert read.phases[0].mode is BatchMode.SYNC
    assert converter.structure(FULL, model) == expected
    assert REFERENCE.structure(FULL, model) == expected


def test_a_documented_page_is_read_by_the_accelerator_with_its_pagination() -> None:
    model = every_kind()
    sent = {"page": 2, "limit": 1, "has_more": True, "total_count": 5}
    body = orjson.dumps({"data": [FULL], "pagination": sent, **ENVELOPE})

    page = page_accelerator(model)(body, 1, 1)

    assert page == Page([_full(model)], Pagination(2, 1, True, 5))
    assert page_reader(model)(body, 1, 1) == page


def test_missing_keys_are_each_field_s_own_default_on_every_path() -> None:
    model = every_kind()
    expected = model("e_1")
    assert (expected.since, expected.first, expected.totals) == (EPOCH, STAMP, BatchStats())
    body = orjson.dumps({"data": {"id": "e_1"}})

    assert object_accelerator(model)(body) == expected
    assert converter.structure({"id": "e_1"}, model) == expected
    assert REFERENCE.structure({"id": "e_1"}, model) == expected


def test_null_is_each_field_s_default_on_every_path() -> None:
    model = every_kind()
    nulls = {"count": None, "status": None, "at": None, "stats": None}
    body = orjson.dumps({"data": {"id": "e_1", **nulls}})

    assert object_accelerator(model)(body) == model("e_1")  # the documented null
    every_null = {"id": "e_1", **{key: None for key in FULL if key != "id"}}
    assert converter.structure(every_null, model) == model("e_1")
    assert object_reader(model)(orjson.dumps({"data": every_null})) == model("e_1")


@pytest.mark.parametrize(
    "body",
    [
        {"data": {"id": "e_1"}, "extra": 1},
        {"data": {"id": "e_1", "extra": 1}},
    ],
    ids=["in the envelope", "in the object"],
)
def test_a_key_the_accelerator_does_not_know_is_left_to_the_full_way(
    body: dict[str, Any],
) -> None:
    model = every_kind()

    assert object_accelerator(model)(orjson.dumps(body)) is None
    assert object_reader(model)(orjson.dumps(body)) == model("e_1")


def test_a_pre_init_hook_runs_when_the_accelerator_builds_the_model() -> None:
    calls: list[str] = []

    @attrs.define
    class PreHooked:
        id: str

        def __attrs_pre_init__(self) -> None:
            calls.append("pre")

    read = object_accelerator(PreHooked)(orjson.dumps({"data": {"id": "h"}}))

    assert calls == ["pre"]
    assert read == PreHooked("h")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1], "expected an object, got list"),
        ({}, "field 'id' must be a non-empty string, got nothing"),
        ({"id": ""}, "field 'id' must be a non-empty string, got ''"),
        ({"id": 5}, "field 'id' must be a non-empty string, got 5"),
    ],
)
def test_a_generated_function_says_what_is_wrong(data: Any, message: str) -> None:
    model = every_kind()

    with pytest.raises(TypeError, match=re.escape(message)):
        converter.structure(data, model)
    if isinstance(data, dict):  # the reader checks an object is one itself
        with pytest.raises(Misshapen, match=re.escape(f"the Every could not be read: {message}")):
            object_reader(model)(orjson.dumps({"data": data}))


def test_a_documented_answer_never_reaches_the_full_way(monkeypatch: pytest.MonkeyPatch) -> None:
    # The speed the README promises rests on this: the full way parses with orjson and
    # structures dict by dict, about twice the CPU of the accelerator.
    def full_way(body: bytes) -> Any:
        raise AssertionError("decoded the full way")

    monkeypatch.setattr(_decode, "parse", full_way)
    model = every_kind()
    body = orjson.dumps({"data": FULL})
    page = orjson.dumps({"data": [FULL], "pagination": None})
    decode_with(None)  # the package's decoders, in a reference run too
    try:
        assert object_reader(model)(body) == _full(model)
        expected = Page([_full(model)], Pagination(1, 1, False, None))
        assert page_reader(model)(page, 1, 1) == expected
        with pytest.raises(AssertionError, match="decoded the full way"):
            object_reader(model)(orjson.dumps({"data": {**FULL, "extra": 1}}))
    finally:
        use_reference(False)  # this run's decoder back


def test_a_fresh_converter_reads_open_enums_and_reports_shape_errors_plainly() -> None:
    made = make_converter()

    assert made.structure({"id": "b", "status": 5}, Batch).status == "5"
    assert made.structure("failed", BatchStatus | str | None) is BatchStatus.FAILED
    assert made.structure("paused", BatchStatus | str | None) == "paused"
    # A list field of another shape is a TypeError the decoder turns into a shape
    # error, not one of cattrs' exception groups, which no handler would catch.
    with pytest.raises(TypeError, match="expected an object, got str"):
        made.structure({"id": "b", "phases": "ab"}, Batch)


def test_a_fresh_converter_reads_free_form_objects_as_read() -> None:
    """``dict[str, Any]`` (an import's ``column_mapping``) is kept as read, and anything
    but an object refused by name. The converter built at import cannot show this: it
    predates any change to ``make_converter``."""
    made = make_converter()
    mapping = {"Name": "name", "n": [1, 2.5, None]}

    assert made.structure(mapping, dict[str, Any]) == mapping
    with pytest.raises(TypeError, match="^expected an object, got list$"):
        made.structure([1], dict[str, Any])


def test_structure_list_decodes_with_the_converter_it_is_given() -> None:
    made = make_converter(models=lambda cls, _: lambda value, _t: ("made", value["id"]))

    assert structure_list(Batch, using=made)([{"id": "b_1"}]) == [("made", "b_1")]
    assert structure_list(Batch)([{"id": "b_1"}]) == [Batch("b_1")]


def test_the_reference_decodes_every_answer_without_the_accelerator() -> None:
    made = make_converter(models=lambda cls, _: lambda value, _t: cls(id="by the reference"))
    body = orjson.dumps({"data": {"id": "b_1"}})
    page = orjson.dumps({"data": [{"id": "b_1"}], "pagination": None})
    decode_with(made)
    try:
        assert object_reader(Batch)(body).id == "by the reference"
        assert page_reader(Batch)(page, 1, 1).data[0].id == "by the reference"
    finally:
        use_reference(False)  # this run's decoder back
    assert object_reader(Batch)(body).id == "b_1"


def test_pages_of_two_models_each_decode_as_their_own() -> None:
    envelope = {"data": [{"id": "x_1"}], "pagination": None}
    use_reference()  # starts with no list function cached, as a new process does
    try:
        batches = decode_page(envelope, Batch, page=1, limit=1)
        exports = decode_page(envelope, Export, page=1, limit=1)
    finally:
        use_reference(False)  # this run's decoder back

    assert [type(item) for item in batches.data] == [Batch]
    assert [type(item) for item in exports.data] == [Export]


@pytest.mark.parametrize(
    ("field", "named"),
    [
        (attrs.field(type=list[dict[str, int]], factory=list), "dict[str, int]"),
        (attrs.field(type=bytes | None, default=None), "<class 'bytes'>"),
    ],
    ids=["a list of dicts", "bytes"],
)
def test_a_field_of_a_refused_kind_is_named_with_what_is_allowed(field: Any, named: str) -> None:
    model = model_with(field)

    with pytest.raises(TypeError) as caught:
        build(model)

    assert str(caught.value) == (
        f"{model.__qualname__}.value: the codec has no rule for {named}; a field is "
        "str, int, float, bool, datetime, an Enum | str, an attrs model, dict[str, Any] or a "
        "list of one of these, optionally | None (add a rule in packagex_async/_codec/_rules.py)"
    )


def test_a_closed_enum_is_refused_saying_it_must_be_open() -> None:
    model = model_with(attrs.field(type=BatchMode, default=BatchMode.SYNC))

    with pytest.raises(TypeError) as caught:
        build(model)

    assert str(caught.value) == (
        f"{model.__qualname__}.value: the codec has no rule for <enum 'BatchMode'>; an enum "
        "must be open (Enum | str); a field is str, int, float, bool, datetime, an Enum | str, "
        "an attrs model, dict[str, Any] or a list of one of these, optionally | None (add a "
        "rule in packagex_async/_codec/_rules.py)"
    )


def test_to_dict_names_itself_when_given_anything_but_a_model() -> None:
    with pytest.raises(PackageXTypeError, match=r"^to_dict\(\) takes a model of packagex_async"):
        to_dict({"id": "batch_1"})  # type: ignore[arg-type]
