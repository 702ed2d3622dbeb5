"""The decoding rulebook (``_rules``), rule by rule, and the two backends built on it."""

from __future__ import annotations

import linecache
import traceback
from datetime import datetime, timezone
from typing import Any

import attrs
import cattrs
import pytest

from packagex_async._codec import _rules
from packagex_async._codec._converter import converter, make_converter, structure_list
from packagex_async._codec._fastgen import make_structure_fn
from packagex_async.models import (
    Batch,
    BatchMode,
    BatchPhase,
    BatchStats,
    BatchStatus,
    Export,
    Pagination,
)

from ..builders import batch_json
from ..reference import REFERENCE

NOVEMBER_14 = datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
BACKENDS = {"fastgen": converter, "reference": REFERENCE}


@pytest.fixture(params=list(BACKENDS))
def backend(request: pytest.FixtureRequest) -> cattrs.Converter:
    return BACKENDS[request.param]


# Timestamps


@pytest.mark.parametrize(
    "wire",
    [
        1_700_000_000,
        1_700_000_000_000,
        1_700_000_000.0,
        1_700_000_000_000.0,
        "1700000000",
        "1700000000000",
        " 1700000000.0 ",
        "2023-11-14T22:13:20Z",
        "2023-11-14T23:13:20+01:00",
        "2023-11-14T22:13:20",
    ],
)
def test_every_timestamp_form_is_an_aware_utc_datetime(wire: object) -> None:
    decoded = _rules.timestamp(wire)

    assert decoded == NOVEMBER_14
    assert decoded.tzinfo is timezone.utc


def test_the_millisecond_threshold_is_past_year_5000_in_seconds() -> None:
    below = _rules.MILLISECONDS_THRESHOLD - 1

    assert _rules.timestamp(below).year == 5138
    assert _rules.timestamp(_rules.MILLISECONDS_THRESHOLD).year == 1973


@pytest.mark.parametrize(
    ("wire", "error"),
    [
        (True, TypeError),
        (None, TypeError),
        ([1_700_000_000], TypeError),
        ("yesterday", ValueError),
        ("nan", ValueError),
        (-(10**11) + 1, ValueError),  # seconds: year -1199
        (10**20, ValueError),  # the C library says OSError; a shape error is promised
        (-(2**63), ValueError),
        (float("inf"), OverflowError),
        (2**70, ValueError),
        (10**400, OverflowError),
    ],
)
def test_other_timestamps_are_shape_errors(wire: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        _rules.timestamp(wire)


# Booleans


@pytest.mark.parametrize(
    ("wire", "expected"),
    [(True, True), (False, False), ("true", True), ("false", False), (1, True), (0, False)],
)
def test_booleans_and_their_spellings(wire: object, expected: bool) -> None:
    assert _rules.boolean(wire) is expected


@pytest.mark.parametrize("wire", ["True", "yes", "", 2, -1, None, [], {}])
def test_other_booleans_are_type_errors(wire: object) -> None:
    with pytest.raises(TypeError, match="expected a boolean"):
        _rules.boolean(wire)


# Open enums

STATUSES = _rules.open_enum_members(BatchStatus | str | None)


def test_an_open_enum_is_an_enum_or_str_annotation() -> None:
    assert STATUSES is not None
    assert STATUSES["failed"] is BatchStatus.FAILED
    assert _rules.open_enum_members(BatchStatus | str) is not None
    for closed in (BatchStatus, BatchStatus | None, str | None, int | str, str):
        assert _rules.open_enum_members(closed) is None


@pytest.mark.parametrize(
    ("wire", "expected", "kind"),
    [
        ("failed", BatchStatus.FAILED, BatchStatus),
        ("archived", "archived", str),
        ("FAILED", "FAILED", str),
        (5, "5", str),
        (True, "True", str),
        (None, None, type(None)),
    ],
)
def test_open_enum_values(wire: object, expected: object, kind: type) -> None:
    assert STATUSES is not None
    decoded = _rules.open_enum(STATUSES, wire)

    assert decoded == expected
    assert type(decoded) is kind


def test_an_unhashable_open_enum_value_is_a_type_error() -> None:
    assert STATUSES is not None
    with pytest.raises(TypeError):
        _rules.open_enum(STATUSES, ["failed"])


# Required fields, objects, defaults


def test_a_required_text_field_is_a_non_empty_string() -> None:
    assert _rules.required_text("id", "b_1") == "b_1"
    with pytest.raises(TypeError, match=r"field 'id' must be a non-empty string, got nothing"):
        _rules.required_text("id", None)
    with pytest.raises(TypeError, match=r"got ''"):
        _rules.required_text("id", "")
    with pytest.raises(TypeError, match=r"got 12"):
        _rules.required_text("id", 12)


@pytest.mark.parametrize(("wire", "kind"), [([], "list"), (None, "null"), ("b", "str")])
def test_a_model_is_read_from_an_object_only(wire: object, kind: str) -> None:
    assert _rules.json_object({"id": "b"}) == {"id": "b"}
    with pytest.raises(TypeError, match=f"expected an object, got {kind}"):
        _rules.json_object(wire)


def test_field_rules_name_key_type_default_and_requirement() -> None:
    rules = {rule.name: rule for rule in _rules.field_rules(Batch)}

    assert (rules["id"].required, rules["id"].text, rules["id"].key) == (True, True, "id")
    assert rules["result_json_url"].key == "_result_json_url"
    assert rules["created_at"].type is datetime
    assert (rules["created_at"].required, rules["created_at"].default_value()) == (False, None)
    assert rules["phases"].default_value() == []
    assert rules["phases"].default_value() is not rules["phases"].default_value()
    assert _rules.field_rules(BatchPhase)[2].default_value() == 0
    page = _rules.field_rules(Pagination)[0]
    assert (page.required, page.text, page.type) == (True, False, int)


def test_field_hook_reads_null_as_the_default_and_checks_required_text() -> None:
    rules = {rule.name: rule for rule in _rules.field_rules(Batch)}
    hook_for = converter.get_structure_hook

    assert _rules.field_hook(rules["phases"], hook_for)(None, None) == []
    assert _rules.field_hook(rules["mode"], hook_for)("sync", None) is BatchMode.SYNC
    with pytest.raises(TypeError, match="field 'id'"):
        _rules.field_hook(rules["id"], hook_for)("", None)


def test_without_none() -> None:
    assert _rules.without_none(int | None) is int
    assert _rules.without_none(list[int]) == list[int]
    assert _rules.open_enum_members(_rules.without_none(BatchStatus | str | None)) is not None


def test_a_factory_taking_self_is_refused() -> None:
    @attrs.define
    class Odd:
        x: list[int] = attrs.Factory(lambda self: [], takes_self=True)

    with pytest.raises(TypeError, match="taking self"):
        _rules.field_rules(Odd)


# Both backends


def test_both_backends_decode_a_documented_batch_to_the_same_model(
    backend: cattrs.Converter,
) -> None:
    raw = batch_json(3, created_at="2023-11-14T22:13:20Z", status="archived", _errors_csv_url="u")

    batch = backend.structure(raw, Batch)

    assert batch == converter.structure(raw, Batch)
    assert (batch.created_at, batch.status, batch.errors_csv_url) == (NOVEMBER_14, "archived", "u")
    assert batch.phases == [BatchPhase("validate", BatchMode.SYNC, 3, 3, 2, 1)]


def test_both_backends_read_nulls_and_missing_keys_as_defaults(backend: cattrs.Converter) -> None:
    raw: dict[str, Any] = {"id": "b", "phases": None, "stats": {"created": None}, "extra": 1}

    batch = backend.structure(raw, Batch)

    assert (batch.phases, batch.stats, batch.status) == ([], BatchStats(), None)
    assert backend.structure({"total": None, "error": "2"}, BatchPhase) == BatchPhase(error=2)


@pytest.mark.parametrize(("wire", "got"), [({}, "nothing"), ({"id": None}, "nothing")])
def test_both_backends_require_the_id(backend: cattrs.Converter, wire: Any, got: str) -> None:
    with pytest.raises(TypeError, match=f"field 'id' must be a non-empty string, got {got}"):
        backend.structure(wire, Export)


def test_both_backends_refuse_a_nested_non_object(backend: cattrs.Converter) -> None:
    with pytest.raises(TypeError, match="expected an object, got str"):
        backend.structure({"id": "b", "stats": "none"}, Batch)
    with pytest.raises(KeyError):
        backend.structure({"page": 1, "limit": 2}, Pagination)


def test_structure_list_uses_the_given_converter() -> None:
    plain = REFERENCE

    items = structure_list(Batch, using=plain)([{"id": "a"}, {"id": "b", "status": "failed"}])

    assert [item.status for item in items] == [None, BatchStatus.FAILED]
    with pytest.raises(TypeError, match="expected an array, got dict"):
        structure_list(Batch, using=plain)({"id": "a"})


# The converter of the package


def test_the_package_converter_decodes_with_the_generated_functions() -> None:
    filename = converter.get_structure_hook(Batch).__code__.co_filename
    assert filename.startswith("<packagex_async generated structure")
    assert not REFERENCE.get_structure_hook(Batch).__code__.co_filename.startswith("<packagex")


def test_a_new_converter_decodes_alike() -> None:
    raw = batch_json(2, status="paused")
    assert make_converter().structure(raw, Batch) == converter.structure(raw, Batch)


# Generated source in linecache


def test_generated_source_is_in_linecache() -> None:
    hook = make_converter().get_structure_hook(Export)
    filename = hook.__code__.co_filename

    assert filename == "<packagex_async generated structure packagex_async.models.Export>"
    source = "".join(linecache.getlines(filename))
    assert source.startswith("def structure(o, _=None):")
    assert "g('_csv_sanitized_url')" in source


def test_a_traceback_shows_the_failing_fields_line() -> None:
    hook = make_converter().get_structure_hook(Export)

    with pytest.raises(ValueError, match="isoformat") as caught:
        hook({"id": "e", "updated_at": "soon"}, Export)

    text = "".join(traceback.format_exception(caught.value))
    assert "<packagex_async generated structure packagex_async.models.Export>" in text
    assert "(v := g('updated_at'))" in text
    assert "g('created_at')" not in text  # the line of the field, not the whole call


def test_different_source_for_one_class_name_gets_its_own_filename() -> None:
    hook_for = converter.get_structure_hook
    first = attrs.make_class("RulesProbe", {"a": attrs.field(type=int | None, default=None)})
    other = attrs.make_class("RulesProbe", {"b": attrs.field(type=str | None, default=None)})

    names = [make_structure_fn(cls, hook_for).__code__.co_filename for cls in (first, other)]

    assert names[0] != names[1]
    assert make_structure_fn(first, hook_for).__code__.co_filename == names[0]  # same source
    assert "g('a')" in "".join(linecache.getlines(names[0]))
    assert "g('b')" in "".join(linecache.getlines(names[1]))
