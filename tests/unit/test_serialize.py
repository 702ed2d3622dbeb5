"""``to_dict``: the models as plain data a web handler can encode as JSON."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import orjson
import pytest

from packagex_async import (
    Batch,
    BatchStatus,
    Export,
    PackageXTypeError,
    Page,
    Pagination,
    to_dict,
    to_json,
)
from packagex_async._codec import object_reader
from packagex_async._codec._converter import converter

from ..builders import batch_json, export_json

CREATED = datetime(2023, 11, 14, 22, 13, 27, tzinfo=timezone.utc)  # 1_700_000_007


def _batch(**fields: Any) -> Batch:
    return converter.structure(batch_json(7, **fields), Batch)


def test_a_batch_becomes_the_dict_of_its_attributes() -> None:
    batch = _batch(_result_json_url="https://files.example.com/r.json?sig=x", reason="ok")

    assert to_dict(batch) == {
        "id": "batch_0007",
        "organization_id": "org_1",
        "resource": "shipment",
        "mode": "sync",
        "via": "api",
        "action": "merge",
        "status": "completed",
        "duplicate_handling": "use_first",
        "reason": "ok",
        "phases": [
            {
                "name": "validate",
                "mode": "sync",
                "total": 3,
                "processed": 3,
                "success": 2,
                "error": 1,
            }
        ],
        "stats": {"created": 2, "updated": 0, "deleted": 0, "overwritten": 0, "events": 2},
        "created_at": CREATED,
        "updated_at": datetime(2023, 11, 14, 22, 15, 7, tzinfo=timezone.utc),
        "updated_by": "user_1",
        "checksum": "abc",
        "upload_url": None,
        "upload_csv_url": None,
        "upload_json_url": None,
        "errors_csv_url": None,
        "errors_json_url": None,
        "result_json_url": "https://files.example.com/r.json?sig=x",
    }


def test_an_export_uses_attribute_names_not_wire_keys() -> None:
    export = converter.structure(export_json(3, _csv_url="https://files.example.com/e.csv"), Export)

    plain = to_dict(export)

    assert plain["csv_url"] == "https://files.example.com/e.csv"
    assert "_csv_url" not in plain
    assert (plain["status"], plain["count_total"]) == ("completed", 40)
    assert set(plain) == {field.name for field in Export.__attrs_attrs__}


def test_enum_members_become_plain_strings_nested_ones_too() -> None:
    batch = _batch()
    assert batch.status is BatchStatus.COMPLETED

    plain = to_dict(batch)

    assert type(plain["status"]) is str
    assert type(plain["resource"]) is str
    assert type(plain["phases"][0]["mode"]) is str


def test_a_value_the_sdk_does_not_know_stays_the_string_it_is() -> None:
    batch = _batch(status="archived", phases=[{"name": "x", "mode": "turbo"}])

    plain = to_dict(batch)

    assert plain["status"] == "archived"
    assert type(plain["status"]) is str
    assert plain["phases"][0]["mode"] == "turbo"


def test_datetimes_stay_aware_datetimes() -> None:
    plain = to_dict(_batch())

    assert plain["created_at"] == CREATED
    assert plain["created_at"].tzinfo is timezone.utc


def test_missing_values_stay_none() -> None:
    plain = to_dict(converter.structure({"id": "batch_x"}, Batch))

    assert plain["stats"] is None
    assert plain["created_at"] is None
    assert plain["phases"] == []


def test_orjson_encodes_the_result_and_json_does_with_default_str() -> None:
    plain = to_dict(_batch(status="archived"))

    decoded = orjson.loads(orjson.dumps(plain))
    with_json = json.loads(json.dumps(plain, default=str))

    assert decoded["created_at"] == "2023-11-14T22:13:27+00:00"
    assert (decoded["status"], decoded["resource"]) == ("archived", "shipment")
    assert with_json["created_at"] == "2023-11-14 22:13:27+00:00"
    assert with_json["phases"] == decoded["phases"]


def test_a_page_converts_its_items_and_pagination() -> None:
    page = Page(data=[_batch()], pagination=Pagination(page=2, limit=1, has_more=True))

    plain = to_dict(page)

    assert plain["pagination"] == {"page": 2, "limit": 1, "has_more": True, "total_count": None}
    assert plain["data"] == [to_dict(page.data[0])]


def test_the_result_is_a_copy_changing_it_leaves_the_model_alone() -> None:
    batch = _batch()

    plain = to_dict(batch)
    plain["phases"].clear()

    assert len(batch.phases) == 1


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ({"id": "batch_1"}, "got dict"),
        ([], "got list"),
        (None, "got NoneType"),
    ],
)
def test_anything_but_a_model_is_a_type_error_naming_what_is_allowed(
    value: object, named: str
) -> None:
    with pytest.raises(PackageXTypeError) as caught:
        to_dict(value)  # type: ignore[arg-type]

    assert named in str(caught.value)
    assert "Batch, Export, Import, BatchPhase, BatchStats, Pagination, Page" in str(caught.value)
    assert isinstance(caught.value, TypeError)


# to_json


def test_to_json_is_to_dict_encoded_with_sorted_keys_and_utc_z() -> None:
    batch = _batch(reason='déjà "vu"\n')

    encoded = to_json(batch)

    assert encoded.startswith(b'{"action":"merge","checksum":"abc","created_at":"2023-11-14T')
    assert b'"created_at":"2023-11-14T22:13:27Z"' in encoded
    assert orjson.loads(encoded)["reason"] == 'déjà "vu"\n'
    assert list(orjson.loads(encoded)) == sorted(to_dict(batch))


def test_to_json_gives_the_bytes_of_orjson_encoding_to_dict() -> None:
    batch = _batch()
    batch.status = "paused"  # a value PackageX added later
    page = Page([batch], Pagination(page=1, limit=1, has_more=False, total_count=1))

    expected = orjson.dumps(to_dict(page), option=orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z)
    assert to_json(page) == expected


@pytest.mark.parametrize("counter", [2**64, -(2**63) - 1, 10**30])
def test_a_counter_past_64_bits_the_sdk_decoded_encodes(counter: int) -> None:
    read = object_reader(Batch)
    body = orjson.dumps({"data": {"id": "b_1", "stats": {"created": 1}}})
    batch = read(body.replace(b'"created":1', b'"created":%d' % counter))

    exact = int(float(counter))  # the full decoder reads it through a float, as orjson does
    assert to_dict(batch)["stats"]["created"] == exact
    assert b'"created":%d' % exact in to_json(batch)


def test_to_json_takes_models_only() -> None:
    with pytest.raises(PackageXTypeError, match=r"to_json\(\) takes a model of packagex_async"):
        to_json({"id": "batch_1"})  # type: ignore[arg-type]
