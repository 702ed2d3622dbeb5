"""Adding a field: the codec reads every attrs feature the models may use, or refuses
the model when it is built (at import for the public models) saying why.

Each throwaway model adds one field of a kind to an id; a handled one decodes through
the SDK's readers (the accelerator answering) to the model the full way and the
plain-cattrs reference make; a refused one fails ``build`` with a ``TypeError``
naming the field and the reason.
"""

from __future__ import annotations

import enum
from datetime import datetime, timezone
from typing import Any

import attrs
import orjson
import pytest

from packagex_async._codec import build, object_reader
from packagex_async._codec._fastbody import object_accelerator, page_accelerator
from packagex_async._http import Misshapen
from packagex_async.models import BatchStats, BatchStatus

from .._codec_helpers import model_with
from ..reference import REFERENCE

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class Closed(enum.Enum):
    A = "a"


def _positive(_: Any, attribute: Any, value: Any) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{attribute.name} must be >= 0")


HANDLED: dict[str, tuple[Any, Any, Any]] = {
    # kind: (attrs field, a documented wire value, the attribute it becomes)
    "float": (attrs.field(type=float | None, default=None), 2, 2.0),
    "list[str]": (attrs.field(type=list[str], factory=list), ["a", "b"], ["a", "b"]),
    "list[int]": (attrs.field(type=list[int], factory=list), [1, 2], [1, 2]),
    "list[datetime]": (attrs.field(type=list[datetime], factory=list), [0], [EPOCH]),
    "required int": (attrs.field(type=int), 5, 5),
    "required datetime": (attrs.field(type=datetime), 0, EPOCH),
    "datetime with a default": (
        attrs.field(type=datetime, factory=lambda: EPOCH),
        86_400,
        datetime(1970, 1, 2, tzinfo=timezone.utc),
    ),
    "model with a default": (
        attrs.field(type=BatchStats, factory=BatchStats),
        {"created": 3},
        BatchStats(created=3),
    ),
    "open enum": (attrs.field(type=BatchStatus | str | None, default=None), "failed", "failed"),
    "validator": (attrs.field(type=int | None, default=None, validator=_positive), 3, 3),
    "converter": (attrs.field(type=int | None, default=None, converter=lambda v: v), 4, 4),
    "kw_only": (attrs.field(type=int | None, default=None, kw_only=True), 6, 6),
    "alias": (attrs.field(type=str | None, default=None, alias="other"), "x", "x"),
    "wire key": (attrs.field(type=str | None, default=None, metadata={"json": "_k"}), "y", "y"),
}

REFUSED: dict[str, tuple[Any, str]] = {
    "init=False": (attrs.field(type=int, default=0, init=False), "init=False cannot be decoded"),
    "default taking self": (
        attrs.field(type=list[int], default=attrs.Factory(lambda self: [], takes_self=True)),
        "a default taking self is not supported",
    ),
    "dict": (attrs.field(type=dict[str, int] | None, default=None), "has no rule for"),
    "closed enum": (attrs.field(type=Closed | None, default=None), "an enum must be open"),
    "tuple": (attrs.field(type=tuple[int, ...] | None, default=None), "has no rule for"),
    "list of optionals": (
        attrs.field(type=list[int | None], factory=list),
        "a list holds items of one non-null kind",
    ),
    "list of lists": (
        attrs.field(type=list[list[int]], factory=list),
        "a list holds items of one non-null kind",
    ),
    "Any": (attrs.field(type=Any, default=None), "has no rule for"),
}


@pytest.mark.parametrize("kind", list(HANDLED))
@pytest.mark.parametrize("frozen", [False, True], ids=["mutable", "frozen"])
def test_a_field_of_each_handled_kind_decodes_alike_everywhere(kind: str, frozen: bool) -> None:
    field, wire, expected = HANDLED[kind]
    model = model_with(field, frozen=frozen)
    build(model)
    name = attrs.fields(model)[1].name
    key = field.metadata.get("json", name)
    body = orjson.dumps({"data": {"id": "m_1", key: wire}})

    decoded = object_reader(model)(body)

    assert getattr(decoded, name) == expected
    assert object_accelerator(model)(body) == decoded  # read by msgspec, not handed on
    assert REFERENCE.structure({"id": "m_1", key: wire}, model) == decoded
    page = orjson.dumps({"data": [{"id": "m_1", key: wire}], "pagination": None})
    assert page_accelerator(model)(page, 1, 1) is not None


def test_a_validator_failing_is_the_full_decoders_shape_error() -> None:
    model = model_with(HANDLED["validator"][0])
    body = orjson.dumps({"data": {"id": "m_1", "value": -1}})

    assert object_accelerator(model)(body) is None
    with pytest.raises(ValueError, match="value must be >= 0"):
        object_reader(model)(body)


def test_a_post_init_hook_runs() -> None:
    @attrs.define
    class Hooked:
        id: str
        calls: int = 0

        def __attrs_post_init__(self) -> None:
            self.calls += 1

    build(Hooked)
    body = orjson.dumps({"data": {"id": "h", "calls": 1}})

    assert object_accelerator(Hooked)(body) == Hooked("h", 1)  # 1 + 1: __init__ ran
    assert object_reader(Hooked)(body).calls == 2


@pytest.mark.parametrize("frozen", [False, True], ids=["mutable", "frozen"])
def test_a_free_form_object_is_kept_as_read_and_never_accelerated(frozen: bool) -> None:
    """``dict[str, Any]`` (an import's ``column_mapping``): the full way keeps the object
    as orjson reads it; msgspec would read numbers in it otherwise, so it never answers."""
    model = model_with(attrs.field(type=dict[str, Any] | None, default=None), frozen=frozen)
    build(model)
    body = (
        b'{"data": {"id": "m_1", "value": '
        b'{"Name": "name", "n": [1, 2.5, null], "big": 1180591620717411303424}}}'
    )

    decoded = object_reader(model)(body)

    assert decoded.value == orjson.loads(body)["data"]["value"]
    assert decoded.value["big"] == float(2**70)  # orjson's reading, on every install
    assert decoded.value["n"] == [1, 2.5, None]
    assert object_accelerator(model)(body) is None
    assert page_accelerator(model)(b'{"data": [], "pagination": null}', 1, 1) is None
    assert REFERENCE.structure({"id": "m_1", "value": {"a": 1}}, model).value == {"a": 1}
    with pytest.raises(Misshapen, match="could not be read: expected an object, got list"):
        object_reader(model)(b'{"data": {"id": "m_1", "value": [1]}}')


def test_a_list_of_free_form_objects_is_never_accelerated_either() -> None:
    model = model_with(attrs.field(type=list[dict[str, Any]], factory=list))
    build(model)
    body = b'{"data": {"id": "m_1", "value": [{"big": 1180591620717411303424}, {}]}}'

    assert object_reader(model)(body).value == [{"big": float(2**70)}, {}]
    assert object_accelerator(model)(body) is None


@pytest.mark.parametrize("kind", list(REFUSED))
def test_a_field_of_a_refused_kind_fails_the_build_saying_why(kind: str) -> None:
    field, why = REFUSED[kind]
    model = model_with(field)

    with pytest.raises(TypeError, match=why) as caught:
        build(model)

    assert f"{model.__qualname__}.value" in str(caught.value)
