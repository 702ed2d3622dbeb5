"""``POST /v1/exports`` bodies: ``{resource, options?, csv_field_options?}`` checked and read.

``options`` are "the List API's options" of the resource; the fake checks and applies
``limit`` (a positive integer or ``"all"``; absent: all), ``page`` (with a numeric limit:
skip ``(page - 1) * limit`` records), ``order_by`` (any record column; default
created_at), ``direction`` (asc, the default, or desc) and the date filters
``created_at`` / ``updated_at`` (``"<op>:<ISO date>"``, see ``_dates``, or a list of
them for a range, every condition applying: the docs show one, the SDK sends a list for
``[since(a), until(b)]``; a bad element is named ``options.created_at.<i>``). Other options
(``group_id``, ``search``...) are accepted and not applied: the fake's records have no
relations. ``csv_field_options``: ``columns`` (column name -> true; the order given is
the order written; an unknown name is an empty column), ``timezone`` (the zone of CSV
timestamps; unknown names write UTC) and ``datetime_format`` (checked to be a string,
not applied: timestamps are always ISO 8601).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ._body import MAX_INT, MISSING, BodyReader, is_int
from ._dates import DATE_OPS, DateFilter, parse_filter
from ._records import DATE_COLUMNS, record_columns

__all__ = ["EXPORTABLE_RESOURCES", "ExportQuery", "read_export"]

EXPORTABLE_RESOURCES = (
    "contact",
    "group",
    "location",
    "shipment",
    "tracker",
    "shipping_label_inference",
    "fulfillment",
    "item",
    "manifest",
    "asset",
)
"""The list page's six plus the four more the exports overview names."""

DATE_HINT = (
    f'must be "<condition>:<ISO date>[,<ISO date>...]" with condition one of '
    f'{", ".join(DATE_OPS)}, e.g. "gte:2024-01-01" or "bwi:2024-01-01,2024-01-31"'
)


@dataclasses.dataclass(frozen=True)
class ExportQuery:
    """What an export selects and how it writes it (``limit`` None: every record)."""

    resource: str
    limit: int | None = None
    page: int = 1
    order_by: str = "created_at"
    descending: bool = False
    dates: tuple[DateFilter, ...] = ()
    columns: tuple[str, ...] | None = None
    timezone: str | None = None


def _count(options: BodyReader, name: str, allow_all: bool) -> int | None:
    """A positive integer option (``"all"`` too if ``allow_all``); None: absent or all."""
    value = options.get(name)
    if value is MISSING or (allow_all and value == "all"):
        return None
    if not is_int(value) or not 1 <= value <= MAX_INT:
        extra = ' or "all"' if allow_all else ""
        options.fail(name, value, f"{name} must be an integer from 1 to {MAX_INT}{extra}")
        return None
    return int(value)


def _date_filters(options: BodyReader, field: str) -> list[DateFilter]:
    """One filter, or a list of them (a range: every condition applies)."""
    value = options.get(field)
    if value is MISSING:
        return []
    if value == []:
        options.fail(field, value, f"{field} must hold at least one date filter")
    found, listed = [], isinstance(value, list)
    for i, item in enumerate(value if listed else [value]):
        parsed = parse_filter(field, item)
        if parsed is None:
            options.fail(f"{field}.{i}" if listed else field, item, f"{field} {DATE_HINT}")
        else:
            found.append(parsed)
    return found


def _dates(options: BodyReader) -> tuple[DateFilter, ...]:
    return tuple(found for field in DATE_COLUMNS for found in _date_filters(options, field))


def _columns(csv: BodyReader) -> tuple[str, ...] | None:
    value = csv.get("columns")
    if value is MISSING or value is None:
        return None
    if not isinstance(value, dict):
        csv.fail("columns", value, "columns must be an object mapping column names to true")
        return None
    for name, flag in value.items():
        if flag is not True:
            csv.fail(f"columns.{name}", flag, f"columns.{name} must be true")
    return tuple(value) or None


def _text(reader: BodyReader, name: str) -> str | None:
    value = reader.get(name)
    if value is MISSING or value is None:
        return None
    if not isinstance(value, str):
        reader.fail(name, value, f"{name} must be a string")
        return None
    return value


def read_export(body: dict[str, Any]) -> ExportQuery:
    """The export ``body`` asks for; BodyError naming every bad property."""
    reader = BodyReader(body)
    resource = reader.choice("resource", EXPORTABLE_RESOURCES) or ""
    options, csv = reader.child("options"), reader.child("csv_field_options")
    query = ExportQuery(
        resource=resource,
        limit=_count(options, "limit", allow_all=True),
        page=_count(options, "page", allow_all=False) or 1,
        order_by=options.choice("order_by", record_columns(resource), "created_at") or "",
        descending=options.choice("direction", ("asc", "desc"), "asc") == "desc",
        dates=_dates(options),
        columns=_columns(csv),
        timezone=_text(csv, "timezone"),
    )
    _text(csv, "datetime_format")
    reader.check()
    return query
