"""Deterministic file rows: records of the ten resources, results, errors, sanitized rows.

Rows are pure functions of (resource, index, salt), with the salt derived from the
fake's seed and the item id, so a file's bytes never change between requests or runs.
Index arithmetic instead of a random call per field keeps 100,000-row files quick to
build. Some values contain commas and quotes so CSV quoting is exercised.
"""

from __future__ import annotations

import csv
import io
import random
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from ._words import (
    CARRIERS,
    CITIES,
    COMPANIES,
    FIRST_NAMES,
    FULFILLMENT_STATUSES,
    LAST_NAMES,
    PRODUCTS,
    SHIPMENT_STATUSES,
)

__all__ = [
    "ERROR_COLUMNS",
    "RESULT_COLUMNS",
    "Row",
    "Table",
    "error_table",
    "export_error_table",
    "resource_table",
    "result_table",
    "salt_of",
    "sanitized_table",
    "to_csv",
    "to_json",
]

Row = tuple[Any, ...]
Builder = Callable[[int, int], Row]
ERROR_COLUMNS = ("row", "field", "message")
RESULT_COLUMNS = ("row", "id", "result")


class Table:
    """Column names plus rows as tuples (CSV wants tuples, JSON wants dicts)."""

    __slots__ = ("columns", "rows")

    def __init__(self, columns: Sequence[str], rows: list[Row]) -> None:
        self.columns = tuple(columns)
        self.rows = rows


def salt_of(*parts: object) -> int:
    """A stable 32-bit salt from ``parts`` (crc32, unlike ``hash``, is not randomized)."""
    return zlib.crc32(":".join(map(str, parts)).encode())


def _person(i: int, salt: int) -> tuple[str, str]:
    first = FIRST_NAMES[(i * 7 + salt) % len(FIRST_NAMES)]
    last = LAST_NAMES[(i * 11 + salt // 7) % len(LAST_NAMES)]
    return first, last


def _tracking(i: int, salt: int) -> str:
    return f"1Z{(salt * 31 + i * 7919) % 10**12:012d}"


def _contact(i: int, salt: int) -> Row:
    first, last = _person(i, salt)
    company = COMPANIES[(i + salt) % len(COMPANIES)]
    email = f"{first}.{last}{i}@example.com".lower()
    return (f"ctc_{salt:08x}{i:07d}", f"{first} {last}", email, f"+1555{i % 10**7:07d}", company)


def _group(i: int, salt: int) -> Row:
    first, last = _person(i, salt)
    return (f"grp_{salt:08x}{i:07d}", f"{last} team", f'Led by {first}, "{last}"', 2 + i % 9)


def _location(i: int, salt: int) -> Row:
    city, country = CITIES[(i + salt) % len(CITIES)]
    return (f"loc_{salt:08x}{i:07d}", f"{city} depot {i}", city, country)


def _shipment(i: int, salt: int) -> Row:
    first, last = _person(i, salt)
    status = SHIPMENT_STATUSES[(i + salt) % len(SHIPMENT_STATUSES)]
    carrier = CARRIERS[(i * 3 + salt) % len(CARRIERS)]
    return (f"shp_{salt:08x}{i:07d}", _tracking(i, salt), carrier, status, f"{first} {last}")


def _tracker(i: int, salt: int) -> Row:
    status = SHIPMENT_STATUSES[(i * 5 + salt) % len(SHIPMENT_STATUSES)]
    carrier = CARRIERS[(i + salt) % len(CARRIERS)]
    return (f"trk_{salt:08x}{i:07d}", _tracking(i, salt), carrier, status)


def _label(i: int, salt: int) -> Row:
    first, last = _person(i, salt)
    carrier = CARRIERS[(i + salt // 3) % len(CARRIERS)]
    confidence = round(0.5 + ((i * 37 + salt) % 50) / 100, 2)
    return (f"inf_{salt:08x}{i:07d}", _tracking(i, salt), carrier, f"{first} {last}", confidence)


def _fulfillment(i: int, salt: int) -> Row:
    first, last = _person(i, salt)
    status = FULFILLMENT_STATUSES[(i * 3 + salt) % len(FULFILLMENT_STATUSES)]
    order = f"SO-{(salt + i * 104_729) % 10**6:06d}"
    return (f"ful_{salt:08x}{i:07d}", order, status, f"{first} {last}", 1 + (i + salt) % 6)


def _item(i: int, salt: int) -> Row:
    product = PRODUCTS[(i + salt) % len(PRODUCTS)]
    sku = f"SKU-{(salt * 7 + i * 389) % 10**5:05d}"
    return (f"itm_{salt:08x}{i:07d}", sku, product, (i * 13 + salt) % 250)


def _manifest(i: int, salt: int) -> Row:
    carrier = CARRIERS[(i + salt) % len(CARRIERS)]
    city, _ = CITIES[(i * 5 + salt) % len(CITIES)]
    return (f"mfst_{salt:08x}{i:07d}", f"{city} {carrier} pickup {i}", carrier, 1 + i % 40)


def _asset(i: int, salt: int) -> Row:
    product = PRODUCTS[(i * 3 + salt) % len(PRODUCTS)]
    city, _ = CITIES[(i + salt // 5) % len(CITIES)]
    serial = f"SN{(salt * 13 + i * 6_007) % 10**8:08d}"
    return (f"ast_{salt:08x}{i:07d}", f"{product} #{i}", serial, f"{city} depot")


def _generic(i: int, salt: int) -> Row:
    return (f"obj_{salt:08x}{i:07d}", " ".join(_person(i, salt)))


RESOURCES: dict[str, tuple[tuple[str, ...], Builder]] = {
    "contact": (("id", "name", "email", "phone", "company"), _contact),
    "group": (("id", "name", "description", "members"), _group),
    "location": (("id", "name", "city", "country"), _location),
    "shipment": (("id", "tracking_number", "carrier", "status", "recipient"), _shipment),
    "tracker": (("id", "tracking_number", "carrier", "status"), _tracker),
    "shipping_label_inference": (
        ("id", "tracking_number", "carrier", "recipient", "confidence"),
        _label,
    ),
    "fulfillment": (("id", "order_number", "status", "recipient", "items"), _fulfillment),
    "item": (("id", "sku", "name", "quantity"), _item),
    "manifest": (("id", "name", "carrier", "shipments"), _manifest),
    "asset": (("id", "name", "serial_number", "location"), _asset),
}
GENERIC = (("id", "name"), _generic)
ERROR_FIELDS = (
    ("email", "must be a valid email address"),
    ("phone", "must be an E.164 phone number"),
    ("name", "is required"),
    ("tracking_number", "is not a recognised tracking number"),
)


def resource_table(resource: str, count: int, salt: int) -> Table:
    """``count`` records of ``resource`` (unknown resources get id and name columns)."""
    columns, build = RESOURCES.get(resource, GENERIC)
    return Table(columns, [build(i, salt) for i in range(count)])


def _row_numbers(count: int, total: int, salt: int) -> list[int]:
    """``count`` distinct 1-based row numbers out of ``total``, ascending."""
    return sorted(random.Random(salt).sample(range(1, max(total, count) + 1), count))


def error_table(count: int, total: int, salt: int) -> Table:
    """A batch's rejected rows: which row, which field, why."""
    rows = []
    for n, row in enumerate(_row_numbers(count, total, salt)):
        field, message = ERROR_FIELDS[(n + salt) % len(ERROR_FIELDS)]
        rows.append((row, field, f"{field} {message}"))
    return Table(ERROR_COLUMNS, rows)


def result_table(count: int, action: str, salt: int) -> Table:
    """A batch's applied rows: row number, record id and what happened to it."""
    verbs = {"delete": ("deleted",), "overwrite": ("overwritten",)}.get(
        action, ("created", "updated")
    )
    rows = [(i + 1, f"obj_{salt:08x}{i:07d}", verbs[i % len(verbs)]) for i in range(count)]
    return Table(RESULT_COLUMNS, rows)


def export_error_table(count: int, salt: int) -> Table:
    """Problems met while exporting: record id and the error."""
    rows = [(f"obj_{salt:08x}{i:07d}", "record could not be serialized") for i in range(count)]
    return Table(("id", "error"), rows)


def sanitized_table(resource: str, count: int, salt: int) -> Table:
    """Rows held back as potentially malicious, with the formula neutralised."""
    table = resource_table(resource, count, salt ^ 0x5A5A5A5A)
    rows = [(row[0], f'\'=HYPERLINK("{row[1]}")', *row[2:]) for row in table.rows]
    return Table(table.columns, rows)


def to_csv(table: Table) -> bytes:
    """The table as CSV with a header line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buffer.getvalue().encode()


def to_json(table: Table) -> bytes:
    """The table as a JSON array of objects."""
    columns = table.columns
    return orjson.dumps([dict(zip(columns, row, strict=True)) for row in table.rows])
