"""Models as plain records (JSON-ready dicts) and records as text cells.

Every output format starts from the same record, so JSON, CSV and the table never
disagree: keys are the Python attribute names (``result_json_url``), datetimes are
ISO 8601 in UTC with a ``Z``, enums are their values.
"""

from __future__ import annotations

import enum
import json
from datetime import datetime, timezone
from typing import Any

import attrs

__all__ = ["Record", "cell", "field_names", "iso_utc", "select", "to_record"]

Record = dict[str, Any]


def to_record(obj: attrs.AttrsInstance) -> Record:
    """The model as a dict of JSON values (nested models become dicts too)."""
    return attrs.asdict(obj, recurse=True, value_serializer=_plain)


def select(record: Record, fields: tuple[str, ...] | None) -> Record:
    """Only ``fields``, in their order (``None``: the whole record)."""
    return record if fields is None else {name: record[name] for name in fields}


def field_names(model: type[attrs.AttrsInstance]) -> tuple[str, ...]:
    """The attribute names of a model, in declaration order (the CSV header)."""
    return tuple(field.name for field in attrs.fields(model))


def _plain(_instance: object, _field: object, value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def iso_utc(moment: datetime) -> str:
    """``2024-05-01T10:00:00Z``: unambiguous and sortable as text."""
    if moment.tzinfo is None:  # the SDK's datetimes are aware; be safe with naive ones
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def cell(value: Any, *, empty: str = "") -> str:
    """One value as text for a table or CSV cell; lists and dicts as compact JSON."""
    if value is None:
        return empty
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)
