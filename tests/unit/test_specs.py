"""Every public signature agrees with its resource's spec, so the two cannot drift."""

from __future__ import annotations

import enum
import inspect
import typing
from typing import Any

import attrs
import pytest

from packagex_async import PackageX, PackageXTypeError, PackageXValueError
from packagex_async._specs import ResourceSpec
from packagex_async.resources import RESOURCES as REGISTRY
from packagex_async.resources import SPECS, Batches, Exports, Imports, Resources
from packagex_async.resources._batches import BatchFile
from packagex_async.resources._exports import ExportFile
from packagex_async.resources._imports import ImportFile

from ..builders import KEY, batch_json, envelope, page_envelope
from ..conftest import MockAPI

RESOURCES: list[tuple[type[Batches | Exports | Imports], Any]] = [
    (Batches, BatchFile),
    (Exports, ExportFile),
    (Imports, ImportFile),
]
PAGING = ("page", "limit", "concurrency", "extra_query")


def keywords(method: Any) -> list[str]:
    return [
        p.name for p in inspect.signature(method).parameters.values() if p.kind is p.KEYWORD_ONLY
    ]


@pytest.mark.parametrize(("resource", "file_type"), RESOURCES)
def test_include_flags_of_retrieve_and_retrieve_many_are_the_spec_s(
    resource: type[Batches | Exports | Imports], file_type: Any
) -> None:
    flags = list(resource.spec.include_flags)
    assert [k for k in keywords(resource.retrieve) if k.startswith("include_")] == flags
    assert [k for k in keywords(resource.retrieve_many) if k.startswith("include_")] == flags
    assert keywords(resource.retrieve) == [*flags, "extra_query"]


@pytest.mark.parametrize(("resource", "file_type"), RESOURCES)
def test_list_filters_are_the_spec_s_and_typed_with_its_enums(
    resource: type[Batches | Exports | Imports], file_type: Any
) -> None:
    spec = resource.spec
    listed = keywords(resource.list)
    assert listed[: len(spec.filters)] == [f.name for f in spec.filters]
    assert sorted(listed[len(spec.filters) :]) == sorted(PAGING)
    hints = typing.get_type_hints(resource.list)
    for flt in spec.filters:
        assert flt.values is None or flt.values in _flatten(hints[flt.name])
        assert type(None) in typing.get_args(hints[flt.name])  # None: no filter


@pytest.mark.parametrize(("resource", "file_type"), RESOURCES)
def test_file_names_and_attributes_are_the_spec_s(
    resource: type[Batches | Exports | Imports], file_type: Any
) -> None:
    spec: ResourceSpec = resource.spec
    assert typing.get_args(file_type) == spec.file_names
    model_fields = {f.name for f in attrs.fields(spec.model)}
    assert {f.attribute for f in spec.files} <= model_fields


@pytest.mark.parametrize("spec", SPECS)
def test_final_statuses_are_statuses_of_the_model(spec: ResourceSpec) -> None:
    hint = _flatten(_hint(spec.model, "status"))
    status_enum = next(a for a in hint if isinstance(a, type) and issubclass(a, enum.Enum))
    assert spec.final_statuses <= {str(m.value) for m in status_enum}


def test_the_registry_names_each_resource_by_its_spec() -> None:
    assert list(Resources.__annotations__) == [spec.name for spec in SPECS]
    assert len({spec.path for spec in SPECS}) == len(SPECS)
    assert all(issubclass(resource, Batches.__mro__[1]) for resource in REGISTRY)


@pytest.mark.parametrize("spec", SPECS)
def test_the_success_status_is_final_and_every_create_argument_is_a_keyword(
    spec: ResourceSpec,
) -> None:
    resource = next(r for r in REGISTRY if r.spec is spec)
    assert spec.success_status in spec.final_statuses
    create = keywords(resource.create)
    assert {*spec.create.sources, *(a.name for a in spec.create.arguments)} <= set(create)
    assert set(spec.columns) <= {f.name for f in attrs.fields(spec.model)}


async def test_every_registered_resource_is_an_attribute_of_the_client() -> None:
    async with PackageX(KEY) as px:
        for resource in REGISTRY:
            assert type(getattr(px, resource.spec.name)) is resource


def _hint(model: type[Any], name: str) -> Any:
    return typing.get_type_hints(model)[name]


def _flatten(tp: Any) -> set[Any]:
    args = typing.get_args(tp)
    if not args:
        return {tp}
    return set().union(*(_flatten(a) for a in args))


# --- extra_query -------------------------------------------------------------------------


async def test_extra_query_is_sent_as_given_beside_the_typed_filters(mock_api: MockAPI) -> None:
    mock_api.get("/v1/batches", payload=page_envelope([batch_json(1)], page=1, limit=25, total=1))

    async with PackageX(KEY) as px:
        extra = {"created_at": "gte:2024-01-01", "archived": False, "min": 3}
        [b async for b in px.batches.list(status="completed", extra_query=extra)]

    (url, _), *_ = mock_api.sent()
    assert dict(url.query) == {
        "status": "completed",
        "created_at": "gte:2024-01-01",
        "archived": "false",
        "min": "3",
        "limit": "25",
        "page": "1",
    }


async def test_extra_query_on_retrieve(mock_api: MockAPI) -> None:
    mock_api.get("/v1/exports/exp_1", payload=envelope({"id": "exp_1"}))

    async with PackageX(KEY) as px:
        await px.exports.retrieve("exp_1", include_csv=True, extra_query={"include_logs": True})

    (url, _), *_ = mock_api.sent()
    assert dict(url.query) == {"include_csv": "true", "include_logs": "true"}


@pytest.mark.parametrize(
    ("extra", "error", "message"),
    [
        ({"page": 2}, PackageXValueError, "extra_query cannot set 'page'"),
        ({"limit": 2}, PackageXValueError, "extra_query cannot set 'limit'"),
        ({"status": "done"}, PackageXValueError, "extra_query cannot set 'status'"),
        ({"x": None}, PackageXTypeError, r"extra_query\['x'\] must be a str"),
        ({"x": float("nan")}, PackageXValueError, "must be a finite number"),
        ({"x": "\ud800"}, PackageXValueError, "lone surrogate"),
        ([("x", "1")], PackageXTypeError, "extra_query must be a mapping"),
    ],
)
async def test_extra_query_cannot_override_or_smuggle(
    mock_api: MockAPI, extra: Any, error: type[Exception], message: str
) -> None:
    async with PackageX(KEY) as px:
        with pytest.raises(error, match=message):
            px.batches.list(extra_query=extra)

    assert mock_api.sent() == []


async def test_extra_query_cannot_override_an_include_flag(mock_api: MockAPI) -> None:
    async with PackageX(KEY) as px:
        with pytest.raises(PackageXValueError, match="extra_query cannot set 'include_csv'"):
            await px.exports.retrieve("exp_1", extra_query={"include_csv": "true"})

    assert mock_api.sent() == []


@pytest.mark.parametrize(
    "resource", ["contact", "fulfillment", "item", "manifest", "asset", "shipping_label_inference"]
)
async def test_every_exportable_resource_is_a_valid_export_filter(
    mock_api: MockAPI, resource: str
) -> None:
    mock_api.get("/v1/exports", payload=page_envelope([], page=1, limit=10, total=0))

    async with PackageX(KEY) as px:
        assert [e async for e in px.exports.list(resource=resource)] == []

    (url, _), *_ = mock_api.sent()
    assert url.query["resource"] == resource
