"""Decoding tolerates what the API may send next year: new values, new fields, gaps."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from packagex_async import (
    Batch,
    BatchAction,
    BatchMode,
    BatchPhase,
    BatchResource,
    BatchStatus,
    BatchVia,
    DuplicateHandling,
    Export,
    ExportResource,
    ExportStatus,
    Pagination,
)
from packagex_async._codec._converter import converter

from ..builders import batch_json, export_json


def test_every_documented_batch_field_is_decoded() -> None:
    raw = batch_json(
        7,
        _upload_url="u0",
        _upload_csv_url="u1",
        _upload_json_url="u2",
        _errors_csv_url="u3",
        _errors_json_url="u4",
        _result_json_url="u5",
        reason="bad rows",
    )

    batch = converter.structure(raw, Batch)

    assert batch.resource is BatchResource.SHIPMENT
    assert batch.mode is BatchMode.SYNC
    assert batch.via is BatchVia.API
    assert batch.action is BatchAction.MERGE
    assert batch.duplicate_handling is DuplicateHandling.USE_FIRST
    assert batch.reason == "bad rows"
    assert batch.organization_id == "org_1"
    assert (batch.updated_by, batch.checksum) == ("user_1", "abc")
    assert batch.phases == [BatchPhase("validate", BatchMode.SYNC, 3, 3, 2, 1)]
    urls = (
        batch.upload_url,
        batch.upload_csv_url,
        batch.upload_json_url,
        batch.errors_csv_url,
        batch.errors_json_url,
        batch.result_json_url,
    )
    assert urls == ("u0", "u1", "u2", "u3", "u4", "u5")


def test_timestamps_are_aware_utc_datetimes() -> None:
    batch = converter.structure(batch_json(0, created_at=0, updated_at=1_700_000_000), Batch)

    assert batch.created_at == datetime(1970, 1, 1, tzinfo=timezone.utc)
    assert batch.updated_at is not None
    assert batch.updated_at.tzinfo is timezone.utc
    assert batch.updated_at.timestamp() == 1_700_000_000


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        (1_700_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)),
        (1_700_000_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)),
        ("1700000000", datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)),
        ("2023-11-14T22:13:20Z", datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)),
        ("2023-11-14T23:13:20+01:00", datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)),
        ("2023-11-14T22:13:20", datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)),
    ],
)
def test_timestamp_forms_all_decode_to_utc(wire: object, expected: datetime) -> None:
    export = converter.structure(export_json(1, created_at=wire), Export)

    assert export.created_at == expected
    assert export.created_at is not None
    assert export.created_at.utcoffset() == expected.utcoffset()


def test_unknown_enum_values_stay_plain_strings() -> None:
    raw = batch_json(1, status="archived", resource="invoice", mode="turbo", via="email")

    batch = converter.structure(raw, Batch)

    assert batch.status == "archived"
    assert not isinstance(batch.status, BatchStatus)
    assert (batch.resource, batch.mode, batch.via) == ("invoice", "turbo", "email")


def test_known_enum_values_compare_equal_to_their_strings() -> None:
    export = converter.structure(export_json(1, status="timed_out"), Export)

    assert export.status is ExportStatus.TIMED_OUT
    assert export.status == "timed_out"
    assert str(export.status) == "timed_out"


def test_unknown_fields_are_ignored_everywhere() -> None:
    raw = batch_json(1, brand_new={"nested": [1]}, stats={"created": 1, "teleported": 9})
    raw["phases"][0]["eta"] = 12

    batch = converter.structure(raw, Batch)

    assert batch.stats is not None
    assert batch.stats.created == 1
    assert batch.phases[0].total == 3


def test_missing_optional_fields_and_nulls_decode() -> None:
    minimal: dict[str, Any] = {"id": "batch_x", "phases": None, "stats": None, "status": None}

    batch = converter.structure(minimal, Batch)

    assert batch.id == "batch_x"
    assert batch.phases == []
    assert batch.stats is None
    assert batch.status is None
    assert batch.created_at is None
    assert batch.result_json_url is None
    assert converter.structure({"id": "exp_x"}, Export).resource is None


def test_null_counters_in_phases_read_as_zero() -> None:
    phase = converter.structure({"name": "import", "total": None, "error": 2}, BatchPhase)

    assert (phase.total, phase.error) == (0, 2)


def test_new_export_resource_and_integer_strings() -> None:
    raw = export_json(1, resource="warehouse", count_total="12")

    export = converter.structure(raw, Export)

    assert export.resource == "warehouse"
    assert not isinstance(export.resource, ExportResource)
    assert export.count_total == 12


@pytest.mark.parametrize(("wire", "expected"), [(True, True), ("false", False), (0, False)])
def test_has_more_accepts_booleans_and_their_strings(wire: object, expected: bool) -> None:
    raw = {"page": 1, "limit": 25, "has_more": wire}

    assert converter.structure(raw, Pagination).has_more is expected


def test_has_more_of_another_shape_is_refused() -> None:
    with pytest.raises(TypeError, match="expected a boolean"):
        converter.structure({"page": 1, "limit": 25, "has_more": "maybe"}, Pagination)
